package dev.hookwire.preset;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hookwire.receive.ReceiveResult;
import dev.hookwire.receive.WebhookReceiver;
import dev.hookwire.signature.WebhookHeaders;
import dev.hookwire.testing.DispatchHarness;
import java.util.ArrayList;
import java.util.List;

import static dev.hookwire.testing.DispatchHarness.headers;
import static dev.hookwire.testing.DispatchHarness.take;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.EndpointValidationException;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.SignatureVerificationException;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.testing.DispatchHarness;
import dev.hookwire.testing.Hmacs;
import dev.hookwire.testing.TestEvents;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InsightarcTest {
  @StartStop final MockWebServer server = new MockWebServer();
  final DispatchHarness harness = new DispatchHarness();
  final String secret = "insightarc-webhook-secret";

  @AfterEach
  void tearDown() {
    harness.close();
  }

  static WebhookEvent<Map<String, Object>> signal() {
    Map<String, Object> signal = new LinkedHashMap<>();
    signal.put("drop_proba", 0.95);
    signal.put("perfomance", 1.2);
    signal.put("num_events", 10);
    signal.put("num_loops", 2);
    signal.put("relevant_events", Map.of("name", "/products/blue-mug"));
    return new WebhookEvent<>(TestEvents.ID, "signal.updated", TestEvents.T0, signal);
  }

  @Test
  void headOnRegistration_answering204_isRefused_asInsightarcRefusesIt() throws Exception {
    server.enqueue(new MockResponse.Builder().code(204).build());
    String url = server.url("/hooks/insightarc").toString();

    assertThatThrownBy(() -> harness.dispatcher().register(Insightarc.endpoint(url, secret).build()))
        .isInstanceOf(dev.hookwire.dispatch.EndpointValidationException.class)
        .hasMessageContaining("answered HEAD with 204")
        .hasMessageContaining("exactly 200");
    assertThat(take(server).getMethod()).isEqualTo("HEAD");
    assertThat(harness.dispatcher().endpoints()).isEmpty();
    // The generic check takes any answer below 500.
    server.enqueue(new MockResponse.Builder().code(204).build());
    harness.dispatcher().register(
        dev.hookwire.dispatch.Endpoint.builder(url).verifyOnRegistration(true).build());
    assertThat(harness.dispatcher().endpoints()).hasSize(1);
  }

  @Test
  void headOnRegistration_thenPostsTheSignalAlone_signedOverBodyAndTheRegisteredUrl() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    String url = server.url("/hooks/insightarc?project=42").toString();

    harness.dispatcher().register(Insightarc.endpoint(url, secret).build());
    RecordedRequest head = take(server);
    assertThat(head.getMethod()).isEqualTo("HEAD");
    assertThat(head.getTarget()).isEqualTo("/hooks/insightarc?project=42");

    harness.dispatcher().start();
    harness.runUntilState(harness.dispatcher().send(signal()), DeliveryState.SUCCEEDED);
    RecordedRequest post = take(server);
    assertThat(post.getMethod()).isEqualTo("POST");
    byte[] body = post.getBody().toByteArray();
    assertThat(new String(body, UTF_8))
        .isEqualTo(
            "{\"drop_proba\":0.95,\"perfomance\":1.2,\"num_events\":10,\"num_loops\":2,"
                + "\"relevant_events\":{\"name\":\"/products/blue-mug\"}}");
    assertThat(post.getHeaders().get("x-insightarc-signature"))
        .isEqualTo(Hmacs.base64(Hmacs.hmac("HmacSHA1", secret, body, url.getBytes(UTF_8))));

    Map<String, String> headers = headers(post);
    assertThat(Insightarc.verifier(url, secret).verify(headers, body).scheme().name()).isEqualTo("insightarc");
    assertThatThrownBy(() -> Insightarc.verifier(url.replace("?project=42", "/?project=42"), secret).verify(headers, body))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(SignatureVerificationException.Reason.NO_MATCHING_SIGNATURE))
        .hasMessageContaining("URL");
    byte[] tampered = new String(body, UTF_8).replace("0.95", "0.05").getBytes(UTF_8);
    assertThatThrownBy(() -> Insightarc.verifier(url, secret).verify(headers, tampered))
        .isInstanceOf(SignatureVerificationException.class);
    assertThatThrownBy(() -> Insightarc.verifier(url, "other-secret").verify(headers, body))
        .isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void receiver_withTheReader_getsTheSignal_asTheHandlersClass_onceOnly() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    String url = server.url("/hooks/insightarc").toString();
    harness.dispatcher().register(Insightarc.endpoint(url, secret).build());
    take(server); // HEAD
    harness.dispatcher().start();
    harness.runUntilState(harness.dispatcher().send(signal()), DeliveryState.SUCCEEDED);
    RecordedRequest post = take(server);
    byte[] body = post.getBody().toByteArray();
    List<WebhookEvent<Signal>> handled = new ArrayList<>();
    WebhookReceiver receiver =
        WebhookReceiver.builder()
            .verifier(Insightarc.verifier(url, secret))
            .payloadReader(Insightarc.reader(harness.clock()))
            .on(Insightarc.SIGNAL_TYPE, Signal.class, handled::add)
            .build();

    ReceiveResult first = receiver.receive(WebhookHeaders.of(DispatchHarness.headers(post)), body);
    ReceiveResult again = receiver.receive(WebhookHeaders.of(DispatchHarness.headers(post)), body);
    byte[] tampered = new String(body, UTF_8).replace("0.95", "0.05").getBytes(UTF_8);
    ReceiveResult forged =
        receiver.receive(WebhookHeaders.of(DispatchHarness.headers(post)), tampered);

    assertThat(first.outcome()).isEqualTo(ReceiveResult.Outcome.PROCESSED);
    assertThat(again.outcome()).isEqualTo(ReceiveResult.Outcome.DUPLICATE);
    assertThat(forged.status()).isEqualTo(401);
    assertThat(handled).hasSize(1);
    assertThat(handled.get(0).data()).isEqualTo(new Signal(0.95, 10));
    assertThat(handled.get(0).id()).startsWith("ia_");
    assertThat(handled.get(0).timestamp()).isEqualTo(harness.clock().instant());
  }

  /** The part of a signal a receiving application reads. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Signal(@JsonProperty("drop_proba") double dropProba, @JsonProperty("num_events") int numEvents) {}

  @Test
  void registrationIsRefused_whenHeadDoesNotSucceed() throws Exception {
    server.enqueue(new MockResponse.Builder().code(404).build());

    assertThatThrownBy(() -> harness.dispatcher().register(Insightarc.endpoint(server.url("/gone").toString(), secret).build()))
        .isInstanceOfSatisfying(
            EndpointValidationException.class,
            e -> assertThat(e.check()).isEqualTo(EndpointValidationException.Check.STATUS))
        .hasMessageContaining("404");
    assertThat(take(server).getMethod()).isEqualTo("HEAD");
    assertThat(harness.dispatcher().endpoints()).isEmpty();
  }

  @Test
  void registrationIsRefused_whenTheCertificateIsNotTrusted(@TempDir Path dir) throws Exception {
    try (MockWebServer tls = new MockWebServer()) {
      tls.useHttps(selfSignedContext(dir).getSocketFactory());
      tls.start();
      tls.enqueue(new MockResponse.Builder().code(200).build());
      String url = "https://localhost:" + tls.getPort() + "/hooks/insightarc";

      assertThatThrownBy(() -> harness.dispatcher().register(Insightarc.endpoint(url, secret).build()))
          .isInstanceOfSatisfying(
              EndpointValidationException.class,
              e -> assertThat(e.check()).isEqualTo(EndpointValidationException.Check.REACHABILITY))
          .hasMessageContaining("TLS certificate");
      assertThat(harness.dispatcher().endpoints()).isEmpty();
    }
  }

  @Test
  void endpointSettings_andArgumentChecks() {
    Endpoint endpoint = Insightarc.endpoint("https://crm.example.com/hooks/insightarc", secret).build();
    assertThat(endpoint.verifyOnRegistration()).contains(true);
    assertThat(endpoint.scheme().orElseThrow().name()).isEqualTo("insightarc");
    assertThat(endpoint.payloadMapper()).contains(Insightarc.payload());
    assertThat(endpoint.eventTypes()).isEmpty();

    assertThatThrownBy(() -> Insightarc.verifier(null, secret))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("url == null");
    assertThatThrownBy(() -> Insightarc.verifier(secret, "https://crm.example.com/hooks/insightarc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("url ")
        .hasMessageNotContaining(secret);
    assertThatThrownBy(() -> Insightarc.verifier("https://crm.example.com/hooks/insightarc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secrets");
    assertThatThrownBy(() -> Insightarc.endpoint("ftp://crm.example.com/", secret))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("url is not an absolute http or https URL");
  }

  /** A TLS context serving a fresh self-signed certificate for localhost, made by keytool. */
  static SSLContext selfSignedContext(Path dir) throws Exception {
    Path store = dir.resolve("server.p12");
    char[] password = "changeit".toCharArray();
    Process keytool =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", "changeit", "-keypass", "changeit"))
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), UTF_8);
    assertThat(keytool.waitFor(30, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(keytool.exitValue()).as("keytool: " + output).isZero();
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, password);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }
}
