package dev.hookwire.receive;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.ExperienceEvent;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.Signer;
import dev.hookwire.testing.TestEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A receiver behind the JDK's {@code HttpServer} on loopback, sent real HTTP requests by the JDK's
 * client: the raw body reaches the verifier byte for byte, and every status reaches the sender.
 */
class WebhookReceiverHttpTest {
  private static final int MAX_BODY = 64 * 1024;

  private final String secret = Secrets.newStandardSecret();
  private final Signer signer = SignatureScheme.standardWebhooks().signer(secret);
  private final List<ExperienceEvent> handled = new CopyOnWriteArrayList<>();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private WebhookReceiver receiver;
  private HttpServer server;
  private URI uri;

  @BeforeEach
  void start() throws IOException {
    receiver =
        WebhookReceiver.builder()
            .verifier(SignatureScheme.standardWebhooks(), secret)
            .maxBodyBytes(MAX_BODY)
            .onExperience(event -> handled.add(event.data()))
            .build();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/webhooks", this::handle);
    server.start();
    uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  /** The adapter: raw bytes in (no more than the limit and one), the result out. */
  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(receiver.maxBodyBytes() + 1);
    }
    ReceiveResult result = receiver.receive(exchange.getRequestHeaders(), body);
    result.headers().forEach(exchange.getResponseHeaders()::set);
    byte[] text = result.bodyBytes();
    exchange.sendResponseHeaders(result.status(), text.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(text);
    }
  }

  private HttpResponse<String> post(Map<String, String> headers, byte[] body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    request.header("Content-Type", "application/json");
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] body(String id) {
    WebhookEvent<ExperienceEvent> event =
        new WebhookEvent<>(id, ExperienceEvent.STARTED, Instant.now(), TestEvents.experienceStarted());
    return EventCodec.ofDefaults().encode(event);
  }

  @Test
  void aSignedWebhookOverHttp_is200_thenADuplicate() throws Exception {
    byte[] body = body("msg_http_1");
    Map<String, String> headers = signer.sign("msg_http_1", Instant.now(), body);

    HttpResponse<String> first = post(headers, body);
    HttpResponse<String> retry = post(signer.sign("msg_http_1", Instant.now(), body), body);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("processed");
    assertThat(first.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(retry.body()).isEqualTo("duplicate: already processed");
    assertThat(handled).containsExactly(TestEvents.experienceStarted());
  }

  @Test
  void aBodyWithNonAsciiTextAndOddWhitespace_verifiesBecauseItsBytesArriveUntouched()
      throws Exception {
    String json =
        "{ \"id\" : \"msg_http_2\",\n\t\"type\":\"experience.started\", \"timestamp\":0,"
            + " \"data\":{\"experienceId\":\"exp_1\",\"name\":\"Prix réduit ✓\","
            + "\"experienceType\":\"pricing\",\"action\":\"started\",\"timestamp\":0} }\r\n";
    byte[] body = json.getBytes(UTF_8);

    HttpResponse<String> response = post(signer.sign("msg_http_2", Instant.now(), body), body);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(handled).extracting(ExperienceEvent::name).containsExactly("Prix réduit ✓");
  }

  @Test
  void aTamperedBody_is401_andAnUnsignedOne_too() throws Exception {
    byte[] body = body("msg_http_3");
    Map<String, String> headers = signer.sign("msg_http_3", Instant.now(), body);
    byte[] tampered = new String(body, UTF_8).replace("exp_8f2c41", "exp_8f2c42").getBytes(UTF_8);

    HttpResponse<String> changed = post(headers, tampered);
    HttpResponse<String> unsigned = post(Map.of(), body);

    assertThat(changed.statusCode()).isEqualTo(401);
    assertThat(changed.body()).isEqualTo("invalid signature: no matching signature");
    assertThat(unsigned.statusCode()).isEqualTo(401);
    assertThat(handled).isEmpty();
  }

  @Test
  void anOversizedBody_is413_andAnUnparseableOne_400() throws Exception {
    byte[] big = new byte[MAX_BODY + 10];
    byte[] notJson = "hello".getBytes(UTF_8);

    HttpResponse<String> tooLarge = post(signer.sign("msg_big", Instant.now(), big), big);
    HttpResponse<String> malformed = post(signer.sign("msg_nj", Instant.now(), notJson), notJson);

    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).startsWith("malformed event: cannot decode event: invalid JSON: ");
  }
}
