package dev.hookwire.preset;

import static dev.hookwire.testing.DispatchHarness.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.dispatch.Authentication;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.PayloadMapper;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.testing.DispatchHarness;
import dev.hookwire.testing.TestEvents;
import java.net.ServerSocket;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IntemptTest {
  @StartStop final MockWebServer server = new MockWebServer();
  final DispatchHarness harness = new DispatchHarness();

  @AfterEach
  void tearDown() {
    harness.close();
  }

  static Map<String, Object> properties() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("source", "hookwire");
    properties.put("list", "newsletter");
    properties.put("score", 7);
    properties.put("tags", List.of("vip"));
    properties.put("note", null);
    return properties;
  }

  /** Sends one event to each endpoint and answers the recorded requests by path. */
  Map<String, RecordedRequest> deliver(WebhookEvent<?> event, Endpoint... endpoints) throws Exception {
    for (Endpoint endpoint : endpoints) {
      server.enqueue(new MockResponse.Builder().code(200).build());
      harness.dispatcher().register(endpoint);
    }
    harness.dispatcher().start();
    harness.runUntilSettled(harness.dispatcher().send(event));
    Map<String, RecordedRequest> byPath = new HashMap<>();
    for (int i = 0; i < endpoints.length; i++) {
      RecordedRequest request = take(server);
      byPath.put(request.getUrl().encodedPath(), request);
    }
    return byPath;
  }

  @Test
  void eachRequestType_withBasicOrTokenAuthentication_customHeaders_andTheCustomPayloadMerged()
      throws Exception {
    PayloadMapper custom = Intempt.customPayload(properties());
    Map<String, RecordedRequest> byPath =
        deliver(
            TestEvents.experienceEvent(),
            Intempt.endpoint(server.url("/post").toString(), "POST")
                .authentication(Authentication.basic("hookwire", "s3cr:et"))
                .payloadMapper(custom)
                .header("X-Tenant", "acme")
                .build(),
            Intempt.endpoint(server.url("/put").toString(), "put")
                .authentication(Authentication.bearer("tok_81f"))
                .payloadMapper(custom)
                .build(),
            Intempt.endpoint(server.url("/delete").toString(), "DELETE")
                .authentication(Authentication.apiKey("X-Api-Token", "key_77"))
                .build());

    RecordedRequest post = byPath.get("/post");
    assertThat(post.getMethod()).isEqualTo("POST");
    assertThat(post.getHeaders().get("Authorization"))
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("hookwire:s3cr:et".getBytes()));
    assertThat(post.getHeaders().get("X-Tenant")).isEqualTo("acme");
    String envelope = EventCodec.ofDefaults().encodeToString(TestEvents.experienceEvent());
    assertThat(post.getBody().utf8())
        .isEqualTo(
            envelope.substring(0, envelope.length() - 1)
                + ",\"source\":\"hookwire\",\"list\":\"newsletter\",\"score\":7,\"tags\":[\"vip\"],\"note\":null}");
    WebhookEvent<?> decoded = EventCodec.ofDefaults().decodeTyped(post.getBody().toByteArray());
    assertThat(decoded).isEqualTo(TestEvents.experienceEvent());

    RecordedRequest put = byPath.get("/put");
    assertThat(put.getMethod()).isEqualTo("PUT");
    assertThat(put.getHeaders().get("Authorization")).isEqualTo("Bearer tok_81f");
    assertThat(put.getBody().utf8()).isEqualTo(post.getBody().utf8());

    RecordedRequest delete = byPath.get("/delete");
    assertThat(delete.getMethod()).isEqualTo("DELETE");
    assertThat(delete.getHeaders().get("X-Api-Token")).isEqualTo("key_77");
    assertThat(delete.getBody().utf8()).isEqualTo(envelope);

    for (RecordedRequest request : byPath.values()) {
      assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
      assertThat(request.getHeaders().get("webhook-signature")).isNull();
    }
  }

  @Test
  void differentCustomPayloads_makeDifferentBodies_equalOnesShareOne() throws Exception {
    Map<String, Object> other = new LinkedHashMap<>(properties());
    other.put("list", "churn-risk");
    assertThat(Intempt.customPayload(properties()).name())
        .startsWith("preset:intempt:")
        .isEqualTo(Intempt.customPayload(new LinkedHashMap<>(properties())).name())
        .isNotEqualTo(Intempt.customPayload(other).name());

    Map<String, RecordedRequest> byPath =
        deliver(
            TestEvents.goalEvent(),
            Intempt.endpoint(server.url("/a").toString(), "POST").payloadMapper(Intempt.customPayload(properties())).build(),
            Intempt.endpoint(server.url("/b").toString(), "POST").payloadMapper(Intempt.customPayload(other)).build(),
            Intempt.endpoint(server.url("/c").toString(), "POST").payloadMapper(Intempt.customPayload(properties())).build());

    assertThat(byPath.get("/a").getBody().utf8()).contains("\"list\":\"newsletter\"");
    assertThat(byPath.get("/b").getBody().utf8()).contains("\"list\":\"churn-risk\"");
    assertThat(byPath.get("/c").getBody()).isEqualTo(byPath.get("/a").getBody());
  }

  @Test
  void noHeadRequestOnRegistration_evenForHttps() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "https://127.0.0.1:" + closedPort + "/contacts";

    Endpoint registered = harness.dispatcher().register(Intempt.endpoint(url, "POST").build());

    assertThat(registered.verifyOnRegistration()).contains(false);
    assertThat(harness.dispatcher().endpoints()).hasSize(1);
    assertThat(registered.scheme()).isEmpty();
  }

  @Test
  void badArguments_failAtTheCall_namingTheArgument() {
    assertThatThrownBy(() -> Intempt.endpoint("https://crm.example.com/x", "PATCH"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("method is not usable")
        .hasMessageContaining("POST, PUT or DELETE");
    assertThatThrownBy(() -> Intempt.endpoint("https://crm.example.com/x", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("method == null");
    assertThatThrownBy(() -> Intempt.endpoint("/relative", "POST"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("url ");
    assertThatThrownBy(() -> Intempt.customPayload(Map.of("id", "mine")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"id\"")
        .hasMessageContaining("envelope");
    Map<String, Object> nullName = new HashMap<>();
    nullName.put(null, 1);
    assertThatThrownBy(() -> Intempt.customPayload(nullName))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("null name");
    assertThatThrownBy(() -> Intempt.customPayload(Map.of("opaque", new Object())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("properties cannot be written as JSON");
    assertThat(Intempt.customPayload(Map.of("user_email", "ana@example.com")).toString())
        .doesNotContain("ana@example.com");
  }
}
