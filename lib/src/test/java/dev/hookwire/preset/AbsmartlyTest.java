package dev.hookwire.preset;

import static dev.hookwire.testing.DispatchHarness.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.SendReceipt;
import dev.hookwire.event.GoalEvent;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.testing.DispatchHarness;
import dev.hookwire.testing.TestEvents;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AbsmartlyTest {
  static final String API_KEY = "abs_sdk_key_93f1";

  @StartStop final MockWebServer server = new MockWebServer();
  final DispatchHarness harness = new DispatchHarness();

  @AfterEach
  void tearDown() {
    harness.close();
  }

  Endpoint.Builder collector() {
    return Absmartly.endpoint(server.url("/").toString(), API_KEY, "www", "production");
  }

  @Test
  void putsTheGoalToTheContextApi_withTheCollectorHeaders_unsigned() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    harness.dispatcher().register(collector().build());
    harness.dispatcher().start();

    harness.runUntilState(harness.dispatcher().send(TestEvents.goalEvent()), DeliveryState.SUCCEEDED);

    RecordedRequest request = take(server);
    assertThat(request.getMethod()).isEqualTo("PUT");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/context");
    assertThat(request.getHeaders().get("X-API-Key")).isEqualTo(API_KEY);
    assertThat(request.getHeaders().get("X-Application")).isEqualTo("www");
    assertThat(request.getHeaders().get("X-Application-Version")).isEqualTo("0");
    assertThat(request.getHeaders().get("X-Environment")).isEqualTo("production");
    assertThat(request.getHeaders().get("X-Agent")).isEqualTo("hookwire");
    assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(request.getHeaders().names())
        .noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).contains("signature"))
        .doesNotContain("webhook-id");
    long t0 = TestEvents.T0.toEpochMilli();
    assertThat(request.getBody().utf8())
        .isEqualTo(
            "{\"publishedAt\":" + t0 + ",\"units\":[{\"type\":\"user_id\",\"uid\":\"u_1842\"}],"
                + "\"goals\":[{\"name\":\"intercom_conversation_started\",\"achievedAt\":" + (t0 - 2000)
                + ",\"properties\":{\"user_email\":\"ana@example.com\",\"company\":null,\"messages\":3,"
                + "\"score\":4.5,\"tags\":[\"vip\",\"eu\"],\"first\":true}},"
                + "{\"name\":\"intercom_user_messaged\",\"achievedAt\":" + (t0 - 1000) + ",\"properties\":{}}]}");
  }

  @Test
  void threeAttemptsInAll() throws Exception {
    for (int i = 0; i < 4; i++) {
      server.enqueue(new MockResponse.Builder().code(503).build());
    }
    harness.dispatcher().register(collector().build());
    harness.dispatcher().start();

    SendReceipt receipt = harness.dispatcher().send(TestEvents.goalEvent());
    assertThat(harness.runToTheEnd(receipt, Duration.ofHours(1))).hasSize(3);

    assertThat(harness.only(receipt).state()).isEqualTo(DeliveryState.DEAD);
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(harness.retryDelays()).hasSize(2);
    assertThat(harness.retryDelays().get(0)).isBetween(Duration.ofMillis(4500), Duration.ofMillis(5500));
    assertThat(harness.retryDelays().get(1)).isBetween(Duration.ofSeconds(270), Duration.ofSeconds(330));
  }

  @Test
  void subscribesToGoalEventsOnly_andTheUserCanChangeTheVersionAndAgent() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    harness.dispatcher().register(
        collector().header("X-Application-Version", "12").header("X-Agent", "shop-backend").build());
    harness.dispatcher().start();

    assertThat(harness.dispatcher().send(TestEvents.experienceEvent()).deliveryIds()).isEmpty();
    harness.runUntilState(harness.dispatcher().send(TestEvents.goalEvent()), DeliveryState.SUCCEEDED);

    RecordedRequest request = take(server);
    assertThat(request.getHeaders().values("X-Application-Version")).containsExactly("12");
    assertThat(request.getHeaders().values("X-Agent")).containsExactly("shop-backend");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://acme.absmartly.io",
        "https://acme.absmartly.io/",
        "https://acme.absmartly.io/v1",
        "https://acme.absmartly.io/v1/",
        "https://acme.absmartly.io/v1/context"
      })
  void collectorUrl_inEachAcceptedForm_leadsToTheContextApi(String collectorUrl) {
    Endpoint endpoint = Absmartly.endpoint(collectorUrl, API_KEY, "www", "production").build();

    assertThat(endpoint.url()).isEqualTo("https://acme.absmartly.io/v1/context");
    assertThat(endpoint.method()).isEqualTo("PUT");
    assertThat(endpoint.scheme()).isEmpty();
    assertThat(endpoint.verifyOnRegistration()).contains(false);
    assertThat(endpoint.eventTypes()).containsExactly(GoalEvent.TYPE);
    assertThat(endpoint.toString()).doesNotContain(API_KEY);
  }

  @Test
  void goalTypedEventsWithOtherData_failTheSend() {
    harness.dispatcher().register(collector().build());
    var odd = new dev.hookwire.event.WebhookEvent<>(TestEvents.ID, GoalEvent.TYPE, TestEvents.T0, List.of(1, 2));

    assertThatThrownBy(() -> harness.dispatcher().send(odd))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ABsmartly endpoints take GoalEvent data");
  }

  @Test
  void badArguments_failAtTheCall_namingTheArgument() {
    assertThatThrownBy(() -> Absmartly.endpoint("acme.absmartly.io", API_KEY, "www", "production"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("collectorUrl is not an absolute http or https URL");
    assertThatThrownBy(() -> Absmartly.endpoint("https://acme.absmartly.io/v1?x=1", API_KEY, "www", "production"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("collectorUrl has a query");
    assertThatThrownBy(() -> Absmartly.endpoint("https://acme.absmartly.io", " ", "www", "production"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("apiKey is blank");
    assertThatThrownBy(() -> Absmartly.endpoint("https://acme.absmartly.io", "key\nX-Evil: 1", "www", "production"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("apiKey is not usable")
        .hasMessageNotContaining("X-Evil");
    assertThatThrownBy(() -> Absmartly.endpoint("https://acme.absmartly.io", API_KEY, null, "production"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("application == null");
    assertThatThrownBy(() -> Absmartly.endpoint("https://acme.absmartly.io", API_KEY, "www", "prod\r\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("environment is not usable");
  }
}
