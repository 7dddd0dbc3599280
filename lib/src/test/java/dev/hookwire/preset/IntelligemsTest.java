package dev.hookwire.preset;

import dev.hookwire.event.EventFormatException;
import dev.hookwire.event.ExperienceEvent;
import dev.hookwire.receive.ReceiveResult;
import dev.hookwire.receive.WebhookReceiver;
import dev.hookwire.signature.WebhookHeaders;
import java.util.ArrayList;
import java.util.List;

import static dev.hookwire.testing.DispatchHarness.headers;
import static dev.hookwire.testing.DispatchHarness.take;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.SendReceipt;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.SignatureVerificationException;
import dev.hookwire.signature.Verifier;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.testing.DispatchHarness;
import dev.hookwire.testing.Hmacs;
import dev.hookwire.testing.TestEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IntelligemsTest {
  @StartStop final MockWebServer server = new MockWebServer();
  final DispatchHarness harness = new DispatchHarness();
  final String secret = "ig_secret_5f0c2a";

  @AfterEach
  void tearDown() {
    harness.close();
  }

  RecordedRequest deliver(WebhookEvent<?> event) throws InterruptedException {
    server.enqueue(new MockResponse.Builder().code(200).build());
    harness.dispatcher().register(Intelligems.endpoint(server.url("/hooks/intelligems").toString(), secret).build());
    harness.dispatcher().start();
    harness.runUntilState(harness.dispatcher().send(event), DeliveryState.SUCCEEDED);
    return take(server);
  }

  @Test
  void postsTheDocumentedColumns_signedWithTheHexHmacOfTheRawBody() throws Exception {
    RecordedRequest request = deliver(TestEvents.experienceEvent());

    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/hooks/intelligems");
    assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
    byte[] body = request.getBody().toByteArray();
    assertThat(new String(body, UTF_8))
        .isEqualTo(
            "{\"experienceName\":\"Free shipping over $50\",\"actionType\":\"started\","
                + "\"experienceType\":\"shipping\",\"timestamp\":\"2024-05-01T11:59:58.500Z\","
                + "\"experienceId\":\"exp_8f2c41\",\"triggeredByEmail\":\"ana@example.com\"}");
    assertThat(request.getHeaders().get("X-Intelligems-Signature"))
        .isEqualTo(Hmacs.hex(Hmacs.hmac("HmacSHA256", secret, body)));
    assertThat(request.getHeaders().get("webhook-signature")).isNull();
  }

  @Test
  void verifier_acceptsWhatTheEndpointSent_rejectsTamperingAndOtherSecrets() throws Exception {
    RecordedRequest request = deliver(TestEvents.experienceEvent());
    Map<String, String> headers = headers(request);
    byte[] body = request.getBody().toByteArray();

    assertThat(Intelligems.verifier(secret).verify(headers, body).scheme().name()).isEqualTo("intelligems");
    assertThat(Intelligems.verifier("ig_new_secret", secret).verify(headers, body).keyIndex()).isEqualTo(1);

    byte[] tampered = new String(body, UTF_8).replace("started", "stopped").getBytes(UTF_8);
    assertThatThrownBy(() -> Intelligems.verifier(secret).verify(headers, tampered))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(SignatureVerificationException.Reason.NO_MATCHING_SIGNATURE));
    assertThatThrownBy(() -> Intelligems.verifier("another secret").verify(headers, body))
        .isInstanceOf(SignatureVerificationException.class);
    assertThatThrownBy(() -> Intelligems.verifier(secret).verify(Map.of(), body))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(SignatureVerificationException.Reason.MISSING_HEADER));
  }

  @Test
  void systemTriggeredAction_sendsANullEmail_andDataHeldAsJsonMapsToo() throws Exception {
    EventCodec codec = EventCodec.ofDefaults();
    WebhookEvent<?> ended =
        new WebhookEvent<>(TestEvents.ID, "experience.ended", TestEvents.T0, TestEvents.experienceEndedBySystem());
    WebhookEvent<JsonNode> asTree = codec.decode(codec.encode(ended));

    RecordedRequest request = deliver(asTree);

    assertThat(request.getBody().utf8())
        .isEqualTo(
            "{\"experienceName\":\"Free shipping over $50\",\"actionType\":\"ended\","
                + "\"experienceType\":\"shipping\",\"timestamp\":\"2024-05-15T00:00:00.123456789Z\","
                + "\"experienceId\":\"exp_8f2c41\",\"triggeredByEmail\":null}");
  }

  @Test
  void fiveAttemptsInAll_onTheStartOfTheStandardSchedule_tenSecondsEach() throws Exception {
    for (int i = 0; i < 6; i++) {
      server.enqueue(new MockResponse.Builder().code(500).build());
    }
    Endpoint endpoint =
        harness.dispatcher().register(Intelligems.endpoint(server.url("/hook").toString(), secret).build());
    harness.dispatcher().start();

    SendReceipt receipt = harness.dispatcher().send(TestEvents.experienceEvent());
    List<AttemptRecord> attempts = harness.runToTheEnd(receipt, Duration.ofHours(3));

    assertThat(attempts).hasSize(5);
    assertThat(harness.only(receipt).state()).isEqualTo(DeliveryState.DEAD);
    assertThat(server.getRequestCount()).isEqualTo(5);
    List<Duration> expected =
        List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2));
    assertThat(harness.retryDelays()).hasSize(4);
    for (int i = 0; i < 4; i++) {
      assertThat(harness.retryDelays().get(i))
          .isBetween(expected.get(i).multipliedBy(9).dividedBy(10), expected.get(i).multipliedBy(11).dividedBy(10));
    }
    assertThat(endpoint.timeout()).contains(Duration.ofSeconds(10));
    assertThat(endpoint.retryPolicy().orElseThrow().maxAttempts()).isEqualTo(5);
  }

  @Test
  void subscribesToExperienceEventsOnly_andRefusesExperienceTypesWithoutExperienceData() {
    harness.dispatcher().register(Intelligems.endpoint(server.url("/hook").toString(), secret).build());

    assertThat(harness.dispatcher().send(TestEvents.goalEvent()).deliveryIds()).isEmpty();
    WebhookEvent<Map<String, Object>> odd =
        new WebhookEvent<>(TestEvents.ID, "experience.started", TestEvents.T0, Map.of("colour", "red"));
    assertThatThrownBy(() -> harness.dispatcher().send(odd))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Intelligems endpoints take ExperienceEvent data")
        .hasMessageContaining(TestEvents.ID)
        .hasMessageContaining("experienceId");
  }

  @Test
  void receiver_withTheReader_getsTheExperienceBack_typed_onceOnly() throws Exception {
    RecordedRequest request = deliver(TestEvents.experienceEvent());
    byte[] body = request.getBody().toByteArray();
    List<WebhookEvent<ExperienceEvent>> handled = new ArrayList<>();
    WebhookReceiver receiver =
        WebhookReceiver.builder()
            .verifier(Intelligems.verifier(secret))
            .payloadReader(Intelligems.reader())
            .onExperience(handled::add)
            .build();

    ReceiveResult first = receiver.receive(WebhookHeaders.of(headers(request)), body);
    ReceiveResult again = receiver.receive(WebhookHeaders.of(headers(request)), body);

    assertThat(first.outcome()).isEqualTo(ReceiveResult.Outcome.PROCESSED);
    assertThat(again.outcome()).isEqualTo(ReceiveResult.Outcome.DUPLICATE);
    assertThat(handled).hasSize(1);
    WebhookEvent<ExperienceEvent> event = handled.get(0);
    assertThat(event.data()).isEqualTo(TestEvents.experienceEvent().data());
    assertThat(event.type()).isEqualTo("experience.started");
    assertThat(event.timestamp()).isEqualTo(TestEvents.experienceEvent().data().timestamp());
    assertThat(event.id()).startsWith("ig_").hasSize(3 + 32);
  }

  @Test
  void reader_refusesBodiesThatAreNotIntelligemsColumns_naming_whatIsWrong() {
    EventCodec codec = EventCodec.ofDefaults();
    String good =
        "{\"experienceName\":\"A\",\"actionType\":\"paused\",\"experienceType\":\"price\","
            + "\"timestamp\":\"2024-05-01T12:00:00Z\",\"experienceId\":\"exp_1\","
            + "\"triggeredByEmail\":null}";
    WebhookEvent<?> read = Intelligems.reader().read(good.getBytes(UTF_8), codec);
    assertThat(read.type()).isEqualTo("experience.paused");
    assertThat(((ExperienceEvent) read.data()).triggeredBy()).isNull();

    for (String[] bad :
        new String[][] {
          {"[1,2]", "not a JSON object"},
          {"{", "invalid JSON"},
          {good.replace("{\"experienceName\":\"A\",", "{\"experienceName\":\"A\",\"experienceName\":\"B\","),
            "Duplicate field 'experienceName'"},
          {good.replace("paused", "exploded"), "experience.exploded"},
          {good.replace("\"exp_1\"", "\"\""), "experienceId"},
          {good.replace("2024-05-01T12:00:00Z", "yesterday"), "yesterday"},
        }) {
      assertThatThrownBy(() -> Intelligems.reader().read(bad[0].getBytes(UTF_8), codec))
          .as(bad[0])
          .isInstanceOf(EventFormatException.class)
          .hasMessageContaining(bad[1]);
    }
  }

  @Test
  void testEvent_needsASampleTheMapperAccepts_andSendsItMapped() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    Endpoint endpoint =
        harness.dispatcher().register(Intelligems.endpoint(server.url("/ig").toString(), secret).build());

    assertThatThrownBy(() -> harness.dispatcher().sendTestEvent(endpoint.id()))
        .isInstanceOf(IllegalArgumentException.class);
    AttemptRecord attempt =
        harness.dispatcher()
            .sendTestEvent(endpoint.id(), TestEvents.experienceEvent())
            .get(10, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(attempt.succeeded()).isTrue();
    byte[] body = take(server).getBody().toByteArray();
    assertThat(new String(body, UTF_8)).startsWith("{\"experienceName\":\"Free shipping over $50\"");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void presetIsABuilder_theUserAdjustsIt() {
    Endpoint endpoint =
        Intelligems.endpoint("https://hooks.example.com/ig", secret)
            .timeout(Duration.ofSeconds(3))
            .subscribe("experience.started")
            .build();

    assertThat(endpoint.timeout()).contains(Duration.ofSeconds(3));
    assertThat(endpoint.payloadMapper()).contains(Intelligems.payload());
    assertThat(endpoint.scheme().orElseThrow().name()).isEqualTo("intelligems");
    assertThat(endpoint.toString()).doesNotContain(secret);
  }

  @Test
  void badArguments_failAtTheCall_namingTheArgument_neverEchoingASecret() {
    assertThatThrownBy(() -> Intelligems.endpoint(null, secret))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("url == null");
    assertThatThrownBy(() -> Intelligems.endpoint("https://hooks.example.com/ig", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("secret == null");
    assertThatThrownBy(() -> Intelligems.endpoint("https://hooks.example.com/ig", "  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secret is blank");
    assertThatThrownBy(() -> Intelligems.endpoint(secret, "https://hooks.example.com/ig"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("url ")
        .hasMessageNotContaining(secret);
    assertThatThrownBy(Intelligems::verifier)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secrets");
    assertThatThrownBy(() -> Intelligems.verifier(secret, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secrets[1] is blank");
    assertThatThrownBy(() -> Intelligems.endpoint("https://hooks.example.com/ig", "ig_short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("secret is not usable: key #0 is 8 bytes long")
        .hasMessageNotContaining("ig_short");
  }
}
