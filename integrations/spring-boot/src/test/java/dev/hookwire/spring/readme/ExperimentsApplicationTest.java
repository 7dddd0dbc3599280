package dev.hookwire.spring.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.event.EventCodec;
import dev.hookwire.event.ExperienceAction;
import dev.hookwire.event.ExperienceEvent;
import dev.hookwire.event.ExperienceType;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.receive.WebhookReceiver;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The README's application, with Spring Security, Spring MVC, an H2 data source, and only the
 * Jackson 3 that Spring Boot 4 configures: it sends an experience's event inside a transaction to
 * its own webhook endpoint, which verifies it on the raw bytes and hands it to the annotated
 * handler, while the rest of the application keeps Spring Boot's default security.
 */
@SpringBootTest(
    classes = ExperimentsApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = {
      "server.address=127.0.0.1",
      "spring.sql.init.schema-locations=classpath:readme/schema.sql",
      "hookwire.network.allow-private-networks=true"
    })
class ExperimentsApplicationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SECRET = Secrets.newStandardSecret();
  private static final int PORT = freePort();

  @Autowired ExperienceService experiences;
  @Autowired ReceivedExperiences received;
  @Autowired ApplicationContext context;

  private final HttpClient http = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void application(DynamicPropertyRegistry registry) {
    registry.add("server.port", () -> PORT);
    registry.add("hookwire.receiver.secrets", () -> SECRET);
    registry.add("experiments.webhook-secret", () -> SECRET);
    registry.add("experiments.webhook-url", () -> "http://127.0.0.1:" + PORT + "/webhooks");
  }

  @Test
  void anExperienceRecordedInATransaction_comesBackThroughTheEndpoint_toItsHandler()
      throws InterruptedException {
    ExperienceEvent started = experience(ExperienceAction.STARTED);

    experiences.record(started);

    ExperienceEvent back = received.next(WAIT);
    assertThat(back.experienceId()).isEqualTo("exp_8c1f");
    assertThat(back.action()).isEqualTo(ExperienceAction.STARTED);
  }

  @Test
  void theSignatureIsVerifiedOnTheRawBytes_behindSpringSecurity() throws Exception {
    WebhookEvent<ExperienceEvent> event = experience(ExperienceAction.PAUSED).toEvent();
    byte[] body = EventCodec.ofDefaults().encode(event);
    Map<String, String> headers =
        SignatureScheme.standardWebhooks().signer(SECRET).sign(event.id(), Instant.now(), body);
    // The same JSON with one more byte: equal to a parser, not to the signature.
    byte[] altered = Arrays.copyOf(body, body.length + 1);
    altered[body.length] = ' ';

    HttpResponse<String> refused = post("/webhooks", headers, altered);
    HttpResponse<String> accepted = post("/webhooks", headers, body);

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).isEqualTo("invalid signature: no matching signature");
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(accepted.body()).isEqualTo("processed");
    assertThat(received.next(WAIT).action()).isEqualTo(ExperienceAction.PAUSED);
  }

  @Test
  void aBodyOverTheReceiversLimit_isRefused413() throws Exception {
    WebhookReceiver receiver = context.getBean(WebhookReceiver.class);
    byte[] body = new byte[receiver.maxBodyBytes() + 64 * 1024];
    Arrays.fill(body, (byte) ' ');

    HttpResponse<String> tooLarge = post("/webhooks", Map.of(), body);

    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.body()).isEqualTo("body too large");
  }

  @Test
  void theRestOfTheApplication_keepsSpringBootsDefaultSecurity() throws Exception {
    HttpResponse<String> other = post("/experiments", Map.of(), "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(other.statusCode()).isEqualTo(401);
  }

  @Test
  void theApplicationConfiguresOnlyJackson3() {
    assertThat(context.getBeanNamesForType(tools.jackson.databind.json.JsonMapper.class)).isNotEmpty();
    assertThat(context.getBeanNamesForType(com.fasterxml.jackson.databind.ObjectMapper.class)).isEmpty();
  }

  private HttpResponse<String> post(String path, Map<String, String> headers, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static ExperienceEvent experience(ExperienceAction action) {
    return ExperienceEvent.builder()
        .experienceId("exp_8c1f")
        .name("Free shipping over $50")
        .experienceType(ExperienceType.SHIPPING)
        .action(action)
        .timestamp(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .triggeredBy("ana@example.com")
        .build();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
