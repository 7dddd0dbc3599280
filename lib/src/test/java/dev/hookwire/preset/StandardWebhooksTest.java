package dev.hookwire.preset;

import static dev.hookwire.testing.DispatchHarness.headers;
import static dev.hookwire.testing.DispatchHarness.take;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Ed25519KeyPair;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureVerificationException;
import dev.hookwire.signature.VerifiedWebhook;
import dev.hookwire.signature.Verifier;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.testing.DispatchHarness;
import dev.hookwire.testing.TestEvents;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StandardWebhooksTest {
  @StartStop final MockWebServer server = new MockWebServer();
  final DispatchHarness harness = new DispatchHarness();

  @AfterEach
  void tearDown() {
    harness.close();
  }

  RecordedRequest deliver(Endpoint endpoint, WebhookEvent<?> event) throws InterruptedException {
    server.enqueue(new MockResponse.Builder().code(200).build());
    harness.dispatcher().register(endpoint);
    harness.dispatcher().start();
    harness.runUntilState(harness.dispatcher().send(event), DeliveryState.SUCCEEDED);
    return take(server);
  }

  void assertVerifies(Verifier verifier, Verifier wrongKey, RecordedRequest request, WebhookEvent<?> event) {
    Map<String, String> headers = headers(request);
    byte[] body = request.getBody().toByteArray();
    assertThat(body).isEqualTo(EventCodec.ofDefaults().encode(event));
    VerifiedWebhook verified = verifier.verify(headers, body);
    assertThat(verified.webhookId()).contains(event.id());
    assertThat(verified.timestamp()).contains(harness.clock().instant());

    byte[] tampered = new String(body, UTF_8).replace("ana@", "eve@").getBytes(UTF_8);
    assertThatThrownBy(() -> verifier.verify(headers, tampered))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(SignatureVerificationException.Reason.NO_MATCHING_SIGNATURE));
    assertThatThrownBy(() -> wrongKey.verify(headers, body)).isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void v1_hmac_endpointSignsTheEnvelope_andTheVerifierAcceptsIt() throws Exception {
    String secret = Secrets.newStandardSecret();
    WebhookEvent<?> event = TestEvents.experienceEvent();

    RecordedRequest request = deliver(StandardWebhooks.endpoint(server.url("/events").toString(), secret).build(), event);

    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getHeaders().get("webhook-id")).isEqualTo(event.id());
    assertThat(request.getHeaders().get("webhook-signature")).startsWith("v1,");
    assertVerifies(
        StandardWebhooks.verifier(secret),
        StandardWebhooks.verifier(Secrets.newStandardSecret()),
        request,
        event);
    assertThat(StandardWebhooks.verifier(Secrets.newStandardSecret(), secret).verify(headers(request), request.getBody().toByteArray()).keyIndex())
        .isEqualTo(1);
  }

  @Test
  void v1a_ed25519_endpointSignsTheEnvelope_andTheVerifierWithThePublicKeyAcceptsIt() throws Exception {
    Ed25519KeyPair pair = Secrets.newEd25519KeyPair();
    WebhookEvent<?> event = TestEvents.experienceEvent();

    RecordedRequest request =
        deliver(StandardWebhooks.ed25519Endpoint(server.url("/events").toString(), pair.secretKey()).build(), event);

    assertThat(request.getHeaders().get("webhook-id")).isEqualTo(event.id());
    assertThat(request.getHeaders().get("webhook-signature")).startsWith("v1a,");
    assertVerifies(
        StandardWebhooks.ed25519Verifier(pair.publicKey()),
        StandardWebhooks.ed25519Verifier(Secrets.newEd25519KeyPair().publicKey()),
        request,
        event);
  }

  @Test
  void endpointsTakeTheDispatcherDefaults() {
    Endpoint endpoint = StandardWebhooks.endpoint("https://hooks.example.com/events", Secrets.newStandardSecret()).build();

    assertThat(endpoint.scheme().orElseThrow().name()).isEqualTo("standard");
    assertThat(endpoint.retryPolicy()).isEmpty();
    assertThat(endpoint.timeout()).isEmpty();
    assertThat(endpoint.payloadMapper()).isEmpty();
    assertThat(endpoint.verifyOnRegistration()).isEmpty();
  }

  @Test
  void malformedKeys_failAtTheCall_namingTheArgument_neverEchoingTheKey() {
    Ed25519KeyPair pair = Secrets.newEd25519KeyPair();
    String url = "https://hooks.example.com/events";

    assertThatThrownBy(() -> StandardWebhooks.endpoint(url, "not-base64!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("secret is not usable: ")
        .hasMessageNotContaining("not-base64!")
        .hasCauseInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StandardWebhooks.ed25519Endpoint(url, pair.publicKey()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("secretKey is not usable: ")
        .hasMessageNotContaining(pair.publicKey());
    assertThatThrownBy(() -> StandardWebhooks.ed25519Verifier(pair.secretKey()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("publicKeys is not usable: ")
        .hasMessageNotContaining(pair.secretKey());
    assertThatThrownBy(() -> StandardWebhooks.verifier((String[]) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("secrets == null");
    assertThatThrownBy(() -> StandardWebhooks.endpoint("hooks.example.com/events", Secrets.newStandardSecret()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("url is not an absolute http or https URL");
  }
}
