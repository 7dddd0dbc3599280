package dev.hookwire.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.ExperienceAction;
import dev.hookwire.event.ExperienceEvent;
import dev.hookwire.event.ExperienceType;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.Signer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs {@code hookwire listen} on an ephemeral port and sends it real HTTP requests. */
class ListenCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Pattern LISTENING =
      Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+/) for standard webhooks; Ctrl-C to stop");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ExperienceEvent FREE_SHIPPING =
      ExperienceEvent.builder()
          .experienceId("exp_8c1f")
          .name("Free shipping")
          .experienceType(ExperienceType.SHIPPING)
          .action(ExperienceAction.STARTED)
          .timestamp(Instant.parse("2026-11-23T18:26:00Z"))
          .build();
  /** The data in the README's {@code hookwire send} example. */
  private static final String README_DATA =
      "{\"experienceId\":\"exp_8c1f\",\"name\":\"Free shipping\",\"experienceType\":\"shipping\","
          + "\"action\":\"started\",\"timestamp\":\"2026-11-23T18:26:00Z\"}";

  private final String secret = Secrets.newStandardSecret();
  private final Signer signer = SignatureScheme.standardWebhooks().signer(secret);
  private final HttpClient http = HttpClient.newHttpClient();
  private final Capture out = new Capture();
  private final Capture err = new Capture();
  private final StopSignal stop = StopSignal.manual();
  private CompletableFuture<Integer> listening;
  private URI base;

  @BeforeEach
  void listen() throws Exception {
    Terminal terminal =
        Cli.create()
            .env(Map.of("LISTEN_SECRET", secret))
            .terminal(new byte[0], out, err, stop);
    String[] args = {
      "listen", "--port", "0", "--scheme", "standard", "--secret-env", "LISTEN_SECRET",
      "--status-on-success", "202"
    };
    listening = CompletableFuture.supplyAsync(() -> Main.run(args, terminal));
    Matcher m = LISTENING.matcher(err.nextLine(WAIT));
    assertThat(m.matches()).isTrue();
    base = URI.create(m.group(1));
  }

  @AfterEach
  void stop() throws Exception {
    stop.request();
    listening.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void aValidEventIsAnsweredWithTheSuccessStatusAndPrintedWhole() throws Exception {
    WebhookEvent<ExperienceEvent> event = FREE_SHIPPING.toEvent();
    byte[] body = EventCodec.ofDefaults().encode(event);

    HttpResponse<String> response = post("hooks/shop?x=1", signer.sign(event.id(), Instant.now(), body), body);

    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode line = JSON.readTree(out.nextLine(WAIT));
    assertThat(line.get("method").asText()).isEqualTo("POST");
    assertThat(line.get("path").asText()).isEqualTo("/hooks/shop?x=1");
    assertThat(line.get("valid").asBoolean()).isTrue();
    assertThat(line.get("keyIndex").asInt()).isZero();
    assertThat(line.get("id").asText()).isEqualTo(event.id());
    assertThat(line.get("type").asText()).isEqualTo("experience.started");
    assertThat(line.get("status").asInt()).isEqualTo(202);
    assertThat(line.get("event").get("data").get("name").asText()).isEqualTo("Free shipping");
    assertThat(Instant.parse(line.get("time").asText())).isBefore(Instant.now().plusSeconds(1));
    assertThat(line.has("reason")).isFalse();
    assertThat(line.has("error")).isFalse();
  }

  @Test
  void aValidlySignedEventWhoseDataDoesNotFitItsType_isAnswered400NamingTheField()
      throws Exception {
    WebhookEvent<Map<String, Object>> event =
        WebhookEvent.create(
            "experience.started", Map.of("experienceId", "exp_8c1f", "name", "Free shipping"));
    byte[] body = EventCodec.ofDefaults().encode(event);

    HttpResponse<String> response = post("hooks", signer.sign(event.id(), Instant.now(), body), body);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).startsWith("malformed event: ").contains("experienceType");
    JsonNode line = JSON.readTree(out.nextLine(WAIT));
    assertThat(line.get("valid").asBoolean()).isTrue();
    assertThat(line.get("status").asInt()).isEqualTo(400);
    assertThat(line.get("error").asText())
        .isEqualTo(response.body().strip())
        .contains("ExperienceEvent", "experienceType");
    assertThat(line.get("type").asText()).isEqualTo("experience.started");
    assertThat(line.get("event").get("data").get("name").asText()).isEqualTo("Free shipping");
  }

  @Test
  void theReadmesSendExample_isDeliveredToListen() throws Exception {
    Cli sender = Cli.create().env(Map.of("HOOK_SECRET", secret));

    Cli.Result sent =
        sender.run(
            "send", "--url", base.resolve("hooks").toString(), "--allow-private",
            "--scheme", "standard", "--secret-env", "HOOK_SECRET", "--type", "experience.started",
            "--data", README_DATA);

    assertThat(sent.exit()).as(sent.out() + sent.err()).isZero();
    assertThat(sent.err()).isEmpty();
    List<String> lines = sent.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .matches(
            "sending msg_\\w{26} \\(experience\\.started, \\d+ bytes\\) to POST "
                + Pattern.quote(base + "hooks") + ", signed standard, up to 4 attempt\\(s\\)");
    assertThat(lines.get(1)).matches("attempt 1: 202 in [\\d.]+ m?s");
    assertThat(lines.get(2)).matches("delivered msg_\\w{26} after 1 attempt\\(s\\)");
    JsonNode line = JSON.readTree(out.nextLine(WAIT));
    assertThat(line.get("path").asText()).isEqualTo("/hooks");
    assertThat(line.get("status").asInt()).isEqualTo(202);
    assertThat(line.get("event").get("data")).isEqualTo(JSON.readTree(README_DATA));
  }

  @Test
  void sendShowsTheFieldListenRefuses() throws Exception {
    Cli sender = Cli.create().env(Map.of("HOOK_SECRET", secret));

    Cli.Result sent =
        sender.run(
            "send", "--url", base.resolve("hooks").toString(), "--allow-private",
            "--scheme", "standard", "--secret-env", "HOOK_SECRET", "--type", "experience.started",
            "--data", "{\"experienceId\":\"exp_8c1f\",\"name\":\"Free shipping\"}",
            "--attempts", "1");

    assertThat(sent.exit()).isEqualTo(1);
    assertThat(sent.err())
        .startsWith("note: a Hookwire receiver would refuse this event as malformed (400): ")
        .contains("experienceType");
    assertThat(sent.out())
        .containsPattern(
            "attempt 1: 400 in [\\d.]+ m?s \\(malformed event: cannot decode event: at data: "
                + "not a valid ExperienceEvent: experienceType, action and timestamp are null.*\\)\n");
  }

  @Test
  void aTamperedBodyIsAnswered401WithTheReason() throws Exception {
    WebhookEvent<Map<String, Object>> event = WebhookEvent.create("goal.achieved", Map.of("n", 1));
    byte[] body = EventCodec.ofDefaults().encode(event);
    Map<String, String> headers = signer.sign(event.id(), Instant.now(), body);
    byte[] tampered = new String(body, UTF_8).replace("\"n\":1", "\"n\":2").getBytes(UTF_8);

    HttpResponse<String> response = post("", headers, tampered);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).startsWith("NO_MATCHING_SIGNATURE: ");
    JsonNode line = JSON.readTree(out.nextLine(WAIT));
    assertThat(line.get("valid").asBoolean()).isFalse();
    assertThat(line.get("reason").asText()).isEqualTo("NO_MATCHING_SIGNATURE");
    assertThat(line.get("message").asText()).contains("raw request body");
    assertThat(line.get("status").asInt()).isEqualTo(401);
    assertThat(line.get("event").get("data").get("n").asInt()).isEqualTo(2);
  }

  @Test
  void aRequestWithoutSignatureHeadersIsAnswered401() throws Exception {
    HttpResponse<String> response = post("", Map.of(), "{}".getBytes(UTF_8));

    assertThat(response.statusCode()).isEqualTo(401);
    JsonNode line = JSON.readTree(out.nextLine(WAIT));
    assertThat(line.get("reason").asText()).isEqualTo("MISSING_HEADER");
    assertThat(line.get("error").asText()).startsWith("not a webhook event: ");
  }

  @Test
  void aValidSignatureOverABodyThatIsNotAnEvent_isAccepted_andPrintedAsSent() throws Exception {
    byte[] body = "this is not JSON".getBytes(UTF_8);

    HttpResponse<String> response = post("", signer.sign("msg_plain1", Instant.now(), body), body);

    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode line = JSON.readTree(out.nextLine(WAIT));
    assertThat(line.get("valid").asBoolean()).isTrue();
    assertThat(line.get("id").asText()).isEqualTo("msg_plain1");
    assertThat(line.get("status").asInt()).isEqualTo(202);
    assertThat(line.get("error").asText()).contains("invalid JSON");
    assertThat(line.get("body").asText()).isEqualTo("this is not JSON");
    assertThat(line.has("event")).isFalse();
  }

  @Test
  void aValidSignatureOverForeignJson_printsTheJsonAsSent() throws Exception {
    byte[] body = "{\"action\":\"opened\",\"number\":7}".getBytes(UTF_8);

    HttpResponse<String> response = post("", signer.sign("msg_plain2", Instant.now(), body), body);

    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode line = JSON.readTree(out.nextLine(WAIT));
    assertThat(line.get("body").get("number").asInt()).isEqualTo(7);
    assertThat(line.has("event")).isFalse();
  }

  @Test
  void stopsCleanlyWhenAsked() throws Exception {
    stop.request();

    assertThat(listening.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
    assertThat(err.nextLine(WAIT)).isEqualTo("stopped");
    assertThatThrownBy(() -> post("", Map.of(), new byte[0])).isInstanceOf(IOException.class);
    assertThat(out.text()).isEmpty();
    assertThat(err.text()).doesNotContain(secret.substring(6));
  }

  private HttpResponse<String> post(String path, Map<String, String> headers, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(WAIT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
