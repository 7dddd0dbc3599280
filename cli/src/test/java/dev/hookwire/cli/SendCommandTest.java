package dev.hookwire.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.VerifiedWebhook;
import dev.hookwire.signature.Verifier;
import dev.hookwire.signature.WebhookHeaders;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sends through {@code hookwire send} to a local MockWebServer, with tiny retry delays. */
class SendCommandTest {
  @StartStop final MockWebServer server = new MockWebServer();

  private final String secret = Secrets.newStandardSecret();
  private final Verifier verifier = SignatureScheme.standardWebhooks().verifier(secret);
  private final Cli cli = Cli.create().env(Map.of("SEND_SECRET", secret));

  @Test
  void retriesAFailureThenReportsDelivery() throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).body("busy, try later").build());
    server.enqueue(new MockResponse.Builder().code(200).build());

    Cli.Result result =
        cli.run(send("--data", "{\"experienceId\":\"exp_1\",\"share\":0.50}", "--retry-delay", "100ms"));

    assertThat(result.exit()).as(result.out() + result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0))
        .matches("sending msg_\\w{26} \\(experience\\.started, \\d+ bytes\\) to POST http://"
            + "[^ ]+/hooks, signed standard, up to 4 attempt\\(s\\)");
    assertThat(lines.get(1))
        .matches("attempt 1: 503 in [\\d.]+ m?s \\(busy, try later\\); next attempt in 100 ms");
    assertThat(lines.get(2)).matches("attempt 2: 200 in [\\d.]+ m?s");
    assertThat(lines.get(3)).matches("delivered msg_\\w{26} after 2 attempt\\(s\\)");
    assertThat(result.out() + result.err()).doesNotContain(secret.substring(6));

    RecordedRequest first = take();
    RecordedRequest second = take();
    VerifiedWebhook one = verify(first);
    VerifiedWebhook two = verify(second);
    assertThat(one.webhookId()).isEqualTo(two.webhookId());
    assertThat(lines.get(0)).contains(one.webhookId().orElseThrow());
    WebhookEvent<JsonNode> event = EventCodec.ofDefaults().decode(second.getBody().toByteArray());
    assertThat(event.id()).isEqualTo(one.webhookId().orElseThrow());
    assertThat(event.type()).isEqualTo("experience.started");
    assertThat(new String(second.getBody().toByteArray(), UTF_8))
        .contains("\"data\":{\"experienceId\":\"exp_1\",\"share\":0.50}");
  }

  @Test
  void reportsEveryAttemptAndExits1WhenTheDeliveryDies() throws Exception {
    server.enqueue(new MockResponse.Builder().code(500).build());
    server.enqueue(new MockResponse.Builder().code(502).build());
    server.enqueue(new MockResponse.Builder().code(500).build());

    Cli.Result result = cli.run(send("--attempts", "3", "--retry-delay", "100ms"));

    assertThat(result.exit()).isEqualTo(1);
    List<String> lines = result.out().lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(1)).matches("attempt 1: 500 in [\\d.]+ m?s; next attempt in 100 ms");
    assertThat(lines.get(2)).matches("attempt 2: 502 in [\\d.]+ m?s; next attempt in 200 ms");
    assertThat(lines.get(3)).matches("attempt 3: 500 in [\\d.]+ m?s");
    assertThat(lines.get(4)).isEqualTo("failed: all 3 attempts failed; last: HTTP 500");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 502, 503, 504})
  void aRetryAfterOn429_502_503And504SetsTheNextDelay(int status) throws Exception {
    server.enqueue(new MockResponse.Builder().code(status).addHeader("Retry-After", "0").build());
    server.enqueue(new MockResponse.Builder().code(200).build());

    Cli.Result result = cli.run(send("--retry-delay", "500ms"));

    assertThat(result.exit()).as(result.out() + result.err()).isZero();
    assertThat(result.out())
        .containsPattern("attempt 1: " + status + " in [\\d.]+ m?s; next attempt in [0-4]?0 ms\n");
  }

  @Test
  void aRetryAfterOnOtherStatusesIsNotHonoured() throws Exception {
    server.enqueue(new MockResponse.Builder().code(500).addHeader("Retry-After", "0").build());
    server.enqueue(new MockResponse.Builder().code(200).build());

    Cli.Result result = cli.run(send("--retry-delay", "100ms"));

    assertThat(result.exit()).as(result.out() + result.err()).isZero();
    assertThat(result.out())
        .containsPattern("attempt 1: 500 in [\\d.]+ m?s; next attempt in 100 ms\n");
  }

  @Test
  void dataAHookwireReceiverWouldRefuseForItsTypeIsNotedWithTheField_andSent() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    server.enqueue(new MockResponse.Builder().code(200).build());

    Cli.Result refused = cli.run(send("--data", "{\"experienceId\":\"exp_8c1f\"}"));
    Cli.Result fits =
        cli.run(
            send("--data", "{\"experienceId\":\"exp_8c1f\",\"name\":\"Free shipping\","
                + "\"experienceType\":\"shipping\",\"action\":\"started\","
                + "\"timestamp\":\"2026-11-23T18:26:00Z\"}"));

    assertThat(refused.exit()).isZero();
    assertThat(refused.err())
        .startsWith("note: a Hookwire receiver would refuse this event as malformed (400): ")
        .contains("not a valid ExperienceEvent: name, experienceType, action and timestamp are null");
    assertThat(refused.out()).contains("delivered msg_");
    assertThat(fits.exit()).isZero();
    assertThat(fits.err()).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void a410StopsAtOnce() throws Exception {
    server.enqueue(new MockResponse.Builder().code(410).build());

    Cli.Result result = cli.run(send("--retry-delay", "10ms"));

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).contains("attempt 1: 410 in ").endsWith("failed: endpoint answered 410 Gone\n");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aConnectionErrorIsReportedAsAnAttempt() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Cli.Result result =
        cli.run(
            "send", "--url", "http://127.0.0.1:" + closedPort + "/hooks", "--scheme", "standard",
            "--secret-env", "SEND_SECRET", "--type", "a.b", "--allow-private", "--attempts", "1");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).containsPattern("attempt 1: error: .+ in [\\d.]+ m?s\n");
    assertThat(result.out()).contains("failed: all 1 attempts failed; last: ");
  }

  @Test
  void sendsTheMethodHeadersAndCredentialsGiven(@TempDir Path dir) throws Exception {
    server.enqueue(new MockResponse.Builder().code(204).build());
    Path data = dir.resolve("data.json");
    Files.writeString(data, "{\n  \"units\": [1, 2]\n}\n");

    Cli.Result result =
        cli.run(send("--method", "PUT", "-H", "X-Env: staging", "--header", "X-Team: growth",
            "--basic", "shop:s3cret pass", "--data", "@" + data));

    assertThat(result.exit()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).doesNotContain("s3cret");
    RecordedRequest request = take();
    assertThat(request.getMethod()).isEqualTo("PUT");
    assertThat(request.getHeaders().get("X-Env")).isEqualTo("staging");
    assertThat(request.getHeaders().get("X-Team")).isEqualTo("growth");
    assertThat(request.getHeaders().get("Authorization"))
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("shop:s3cret pass".getBytes(UTF_8)));
    assertThat(new String(request.getBody().toByteArray(), UTF_8)).contains("\"data\":{\"units\":[1,2]}");
    verify(request);
  }

  @Test
  void readsDataFromStandardInputAndSendsABearerToken() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());

    Cli.Result result =
        cli.runWithInput("[\"a\", true]", send("--data", "@-", "--bearer", "tok_123"));

    assertThat(result.exit()).as(result.out() + result.err()).isZero();
    RecordedRequest request = take();
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer tok_123");
    assertThat(new String(request.getBody().toByteArray(), UTF_8)).contains("\"data\":[\"a\",true]");
  }

  @Test
  void signsWithTheSchemeGiven() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    String text = Secrets.newTextSecret();
    String url = server.url("/gh").toString();

    Cli.Result result =
        cli.run("send", "--url", url, "--scheme", "github", "--secret", text, "--type", "push",
            "--allow-private");

    assertThat(result.exit()).as(result.out() + result.err()).isZero();
    RecordedRequest request = take();
    assertThat(request.getHeaders().get("X-Hub-Signature-256")).startsWith("sha256=");
    SignatureScheme.github().verifier(text).verify(headers(request), request.getBody().toByteArray());
  }

  private String[] send(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "send", "--url", server.url("/hooks").toString(), "--scheme", "standard",
                "--secret-env", "SEND_SECRET", "--type", "experience.started", "--allow-private"));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(request).as("a request within 10 s").isNotNull();
    return request;
  }

  private VerifiedWebhook verify(RecordedRequest request) {
    return verifier.verify(headers(request), request.getBody().toByteArray());
  }

  private static WebhookHeaders headers(RecordedRequest request) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    request.getHeaders().names().forEach(n -> headers.put(n, request.getHeaders().values(n)));
    return WebhookHeaders.ofMulti(headers);
  }
}
