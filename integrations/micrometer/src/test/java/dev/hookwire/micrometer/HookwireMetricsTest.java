package dev.hookwire.micrometer;

import static dev.hookwire.micrometer.HookwireMetrics.ATTEMPTS;
import static dev.hookwire.micrometer.HookwireMetrics.ATTEMPT_DURATION;
import static dev.hookwire.micrometer.HookwireMetrics.DELIVERIES_DEAD;
import static dev.hookwire.micrometer.HookwireMetrics.DELIVERY_LAG;
import static dev.hookwire.micrometer.HookwireMetrics.ENDPOINTS_DISABLED_EVENTS;
import static dev.hookwire.micrometer.HookwireMetrics.RECEIVED;
import static dev.hookwire.micrometer.HookwireMetrics.RECEIVE_DURATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.receive.WebhookReceiver;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.Signer;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.testing.TestTransports;
import dev.hookwire.transport.OkHttpTransport;
import dev.hookwire.transport.Transport;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The meters against a real dispatcher delivering over HTTP to a receiver on loopback, and a real
 * receiver. The dispatcher runs on its own thread; its clock moves only when a test moves it, and
 * each test waits for the dispatcher's own callbacks, with a bound.
 */
class HookwireMetricsTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final MutableClock clock = MutableClock.atT0();
  final LoopbackServer server = new LoopbackServer();
  final Recorder recorder = new Recorder();
  final String secret = Secrets.newStandardSecret();
  final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    server.close();
  }

  Dispatcher dispatcher(HookwireMetrics metrics, RetryPolicy policy, Transport transport) {
    Dispatcher dispatcher = Dispatcher.builder()
        .clock(clock)
        .transport(transport)
        .networkPolicy(TestTransports.LOOPBACK_ALLOWED)
        .retryPolicy(policy)
        .listener(metrics.deliveryListener())
        .listener(recorder)
        .build();
    closing.add(0, () -> dispatcher.close(Duration.ZERO));
    return dispatcher;
  }

  Dispatcher dispatcher(HookwireMetrics metrics, RetryPolicy policy) {
    OkHttpTransport transport = OkHttpTransport.builder().networkPolicy(TestTransports.LOOPBACK_ALLOWED).build();
    closing.add(transport);
    return dispatcher(metrics, policy, transport);
  }

  Endpoint endpoint(String id, String url) {
    return Endpoint.builder(url).id(id).signing(SignatureScheme.standardWebhooks(), secret).build();
  }

  static WebhookEvent<?> event() {
    return TestEvents.experienceStarted().toEvent();
  }

  static final RetryPolicy RETRY_IN_A_MINUTE = RetryPolicy.of(Duration.ofMinutes(1)).withJitter(0);

  double attempts(String outcome) {
    return registry.get(ATTEMPTS).tag("outcome", outcome).counter().count();
  }

  @Test
  void attempts_areCountedAndTimed_byTheStatusClassOfTheAnswer() throws Exception {
    HookwireMetrics metrics = HookwireMetrics.builder(registry).build();
    Dispatcher dispatcher = dispatcher(metrics, RETRY_IN_A_MINUTE);
    for (int status : new int[] {200, 302, 400, 404, 503}) {
      dispatcher.register(endpoint("e" + status, server.url("/status/" + status)));
    }
    dispatcher.start();
    dispatcher.send(event());

    recorder.next("succeeded");
    for (int i = 0; i < 4; i++) {
      recorder.next("failed");
    }

    assertThat(attempts("success")).isEqualTo(1);
    assertThat(attempts("http_3xx")).isEqualTo(1);
    assertThat(attempts("http_4xx")).isEqualTo(2);
    assertThat(attempts("http_5xx")).isEqualTo(1);
    assertThat(attempts("timeout") + attempts("network") + attempts("refused")).isZero();
    assertThat(registry.get(ATTEMPT_DURATION).tag("outcome", "http_4xx").timer().count()).isEqualTo(2);
    assertThat(registry.get(ATTEMPT_DURATION).tag("outcome", "success").timer().totalTime(TimeUnit.NANOSECONDS))
        .isPositive();
  }

  @Test
  void everyAttemptOutcome_isRegisteredAtZero_beforeAnyAttempt() {
    HookwireMetrics.builder(registry).build();

    assertThat(registry.find(ATTEMPTS).counters())
        .extracting(c -> c.getId().getTag("outcome"))
        .containsExactlyInAnyOrder("success", "http_3xx", "http_4xx", "http_5xx", "timeout", "network", "refused");
    assertThat(registry.find(ATTEMPTS).counters()).allSatisfy(c -> assertThat(c.count()).isZero());
  }

  @Test
  void anAttemptWithoutAnAnswerInTime_isATimeout_andIsActiveMeanwhile() throws Exception {
    HookwireMetrics metrics = HookwireMetrics.builder(registry).build();
    Dispatcher dispatcher = dispatcher(metrics, RETRY_IN_A_MINUTE);
    dispatcher.register(Endpoint.builder(server.url("/stall"))
        .signing(SignatureScheme.standardWebhooks(), secret)
        .timeout(Duration.ofMillis(300))
        .build());
    closing.add(0, metrics.bindTo(dispatcher));
    dispatcher.start();
    dispatcher.send(event());

    recorder.next("started");
    assertThat(registry.get(HookwireMetrics.ATTEMPTS_ACTIVE).gauge().value()).isEqualTo(1);
    recorder.next("failed");

    assertThat(attempts("timeout")).isEqualTo(1);
    assertThat(registry.get(ATTEMPT_DURATION).tag("outcome", "timeout").timer().totalTime(TimeUnit.MILLISECONDS))
        .isGreaterThanOrEqualTo(200);
  }

  @Test
  void aDestinationTheTransportsPolicyRefuses_isRefused() throws Exception {
    HookwireMetrics metrics = HookwireMetrics.builder(registry).build();
    // Registration allows loopback; the transport, with the default policy, does not.
    OkHttpTransport strict = OkHttpTransport.ofDefaults();
    closing.add(strict);
    Dispatcher dispatcher = dispatcher(metrics, RETRY_IN_A_MINUTE, strict);
    dispatcher.register(endpoint("local", server.url("/status/200")));
    dispatcher.start();
    dispatcher.send(event());

    recorder.next("failed");

    assertThat(attempts("refused")).isEqualTo(1);
    assertThat(attempts("success")).isZero();
  }

  @Test
  void aConnectionRefusedByTheHost_isANetworkFailure() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    HookwireMetrics metrics = HookwireMetrics.builder(registry).build();
    Dispatcher dispatcher = dispatcher(metrics, RETRY_IN_A_MINUTE);
    dispatcher.register(endpoint("gone", "http://127.0.0.1:" + closedPort + "/hooks"));
    dispatcher.start();
    dispatcher.send(event());

    recorder.next("failed");

    assertThat(attempts("network")).isEqualTo(1);
  }

  @Test
  void lag_isTimedFromDueToSent_forFirstAttemptsAndRetries() throws Exception {
    HookwireMetrics metrics = HookwireMetrics.builder(registry).build();
    Dispatcher dispatcher = dispatcher(metrics, RetryPolicy.of(Duration.ofSeconds(5)).withJitter(0));
    dispatcher.register(endpoint("failing", server.url("/status/500")));
    dispatcher.send(event());                      // due now, at T0
    clock.advance(Duration.ofSeconds(3));
    dispatcher.start();                            // sent 3 s late

    Instant retryDue = recorder.next("failed").nextAttemptAt();
    clock.set(retryDue.plusMillis(1_250));
    dispatcher.wake();                             // the retry, 1.25 s late
    recorder.next("dead");

    assertThat(registry.get(DELIVERY_LAG).tag("attempt", "first").timer().totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(3_000);
    assertThat(registry.get(DELIVERY_LAG).tag("attempt", "first").timer().count()).isEqualTo(1);
    assertThat(registry.get(DELIVERY_LAG).tag("attempt", "retry").timer().totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(1_250);
    assertThat(registry.get(DELIVERY_LAG).tag("attempt", "retry").timer().count()).isEqualTo(1);
  }

  @Test
  void aDeliveryWhoseAttemptsRunOut_isCountedDead_andItsLastAttemptToo() throws Exception {
    HookwireMetrics metrics = HookwireMetrics.builder(registry).build();
    Dispatcher dispatcher = dispatcher(metrics, RetryPolicy.of());
    dispatcher.register(endpoint("failing", server.url("/status/500")));
    dispatcher.start();
    dispatcher.send(event());

    recorder.next("dead");

    assertThat(registry.get(DELIVERIES_DEAD).counter().count()).isEqualTo(1);
    assertThat(registry.get(ENDPOINTS_DISABLED_EVENTS).counter().count()).isZero();
    // The last attempt of a dead delivery is an attempt like any other.
    assertThat(attempts("http_5xx")).isEqualTo(1);
  }

  @Test
  void a410_disablesTheEndpoint_andKillsTheDelivery() throws Exception {
    HookwireMetrics metrics = HookwireMetrics.builder(registry).build();
    Dispatcher dispatcher = dispatcher(metrics, RETRY_IN_A_MINUTE);
    dispatcher.register(endpoint("gone", server.url("/status/410")));
    closing.add(0, metrics.bindTo(dispatcher));
    dispatcher.start();
    dispatcher.send(event());

    recorder.next("disabled");
    recorder.next("dead");

    assertThat(registry.get(ENDPOINTS_DISABLED_EVENTS).counter().count()).isEqualTo(1);
    assertThat(registry.get(DELIVERIES_DEAD).counter().count()).isEqualTo(1);
    assertThat(registry.get(HookwireMetrics.ENDPOINTS_DISABLED).gauge().value()).isEqualTo(1);
    assertThat(registry.get(HookwireMetrics.QUEUE_SIZE).tag("state", "dead").gauge().value()).isEqualTo(1);
    assertThat(attempts("http_4xx")).isEqualTo(1);
  }

  @Test
  void withEndpointTags_eachEndpointHasItsOwnSeries() throws Exception {
    HookwireMetrics metrics = HookwireMetrics.builder(registry).tagEndpoints(true).build();
    Dispatcher dispatcher = dispatcher(metrics, RETRY_IN_A_MINUTE);
    dispatcher.register(endpoint("orders", server.url("/status/200")));
    dispatcher.register(endpoint("crm", server.url("/status/500")));
    dispatcher.start();
    dispatcher.send(event());

    recorder.next("succeeded");
    recorder.next("failed");

    assertThat(registry.get(ATTEMPTS).tags("outcome", "success", "endpoint", "orders").counter().count()).isEqualTo(1);
    assertThat(registry.get(ATTEMPTS).tags("outcome", "http_5xx", "endpoint", "crm").counter().count()).isEqualTo(1);
    assertThat(registry.find(ATTEMPTS).counters()).hasSize(2);
    assertThat(registry.get(DELIVERY_LAG).tags("attempt", "first", "endpoint", "crm").timer().count()).isEqualTo(1);
  }

  @Test
  void withoutEndpointTags_noMeterNamesAnEndpoint() throws Exception {
    HookwireMetrics metrics = HookwireMetrics.builder(registry).build();
    Dispatcher dispatcher = dispatcher(metrics, RETRY_IN_A_MINUTE);
    dispatcher.register(endpoint("orders", server.url("/status/200")));
    dispatcher.register(endpoint("crm", server.url("/status/410")));
    closing.add(0, metrics.bindTo(dispatcher));
    dispatcher.start();
    dispatcher.send(event());

    recorder.next("succeeded");
    recorder.next("dead");
    registry.get(HookwireMetrics.QUEUE_SIZE).gauges().forEach(g -> g.value());

    assertThat(registry.getMeters()).isNotEmpty().allSatisfy(meter ->
        assertThat(meter.getId().getTags()).extracting(Tag::getKey).doesNotContain("endpoint"));
    assertThat(attempts("success")).isEqualTo(1);
  }

  @Test
  void aTagOfTheHost_isOnEveryMeter() {
    HookwireMetrics metrics = HookwireMetrics.builder(registry).tag("dispatcher", "billing").build();
    Dispatcher dispatcher = dispatcher(metrics, RETRY_IN_A_MINUTE);
    closing.add(0, metrics.bindTo(dispatcher));

    assertThat(registry.getMeters()).extracting(Meter::getId)
        .allSatisfy(id -> assertThat(id.getTag("dispatcher")).isEqualTo("billing"));
  }

  @Test
  void theBuilder_refusesTagsOfItsOwn_andANegativeInterval() {
    HookwireMetrics.Builder builder = HookwireMetrics.builder(registry);

    assertThatThrownBy(() -> builder.tag("outcome", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outcome");
    assertThatThrownBy(() -> builder.refreshInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refreshInterval");
  }

  // Receiving.

  Map<String, List<String>> signed(String webhookId, byte[] body) {
    Signer signer = SignatureScheme.standardWebhooks().signer(secret);
    Map<String, List<String>> headers = new HashMap<>();
    signer.sign(webhookId, Instant.now(), body).forEach((k, v) -> headers.put(k, List.of(v)));
    return headers;
  }

  double received(String outcome) {
    return registry.get(RECEIVED).tag("outcome", outcome).counter().count();
  }

  @Test
  void receivedRequests_areCountedAndTimed_byOutcome() {
    HookwireMetrics metrics = HookwireMetrics.builder(registry).build();
    List<String> handled = new ArrayList<>();
    WebhookReceiver receiver = WebhookReceiver.builder()
        .verifier(SignatureScheme.standardWebhooks(), secret)
        .listener(metrics.receiveListener())
        .onExperience(hook -> handled.add(hook.id()))
        .build();
    WebhookEvent<?> event = event();
    byte[] body = EventCodec.ofDefaults().encode(event);
    Map<String, List<String>> headers = signed(event.id(), body);
    byte[] notAnEvent = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
    byte[] tampered = body.clone();
    tampered[tampered.length - 2] ^= 1;

    receiver.receive(headers, body);
    receiver.receive(headers, body);
    receiver.receive(headers, tampered);
    receiver.receive(signed("msg_other", notAnEvent), notAnEvent);

    assertThat(handled).containsExactly(event.id());
    assertThat(received("processed")).isEqualTo(1);
    assertThat(received("duplicate")).isEqualTo(1);
    assertThat(received("invalid_signature")).isEqualTo(1);
    assertThat(received("malformed")).isEqualTo(1);
    assertThat(received("handler_failed") + received("ignored") + received("too_large")).isZero();
    assertThat(registry.get(RECEIVE_DURATION).tag("outcome", "processed").timer().count()).isEqualTo(1);
    assertThat(registry.get(RECEIVE_DURATION).timers()).hasSize(9);
  }
}
