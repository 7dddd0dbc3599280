package dev.hookwire.micrometer;

import static dev.hookwire.micrometer.HookwireMetrics.ENDPOINTS_DISABLED;
import static dev.hookwire.micrometer.HookwireMetrics.GAUGE_READ_FAILURES;
import static dev.hookwire.micrometer.HookwireMetrics.QUEUE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.testing.TestTransports;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backlog gauges, read through a dispatcher that is never started (so nothing but the test
 * changes its store), over a store that counts, fails or holds the reads.
 */
class DispatcherGaugesTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final MutableClock clock = MutableClock.atT0();
  final CountingStore store = new CountingStore();
  final HookwireMetrics metrics = HookwireMetrics.builder(registry).clock(clock).build();
  Dispatcher dispatcher;
  DispatcherGauges gauges;

  @BeforeEach
  void setUp() {
    dispatcher = Dispatcher.builder()
        .store(store)
        .clock(clock)
        .networkPolicy(TestTransports.LOOPBACK_ALLOWED)
        .build();
    String secret = Secrets.newStandardSecret();
    for (String id : new String[] {"a", "b"}) {
      dispatcher.register(Endpoint.builder("http://127.0.0.1:9/" + id).id(id)
          .signing(SignatureScheme.standardWebhooks(), secret).build());
    }
    gauges = metrics.bindTo(dispatcher);
  }

  @AfterEach
  void tearDown() {
    gauges.close();
    dispatcher.close(Duration.ZERO);
  }

  double pending() {
    return registry.get(QUEUE_SIZE).tag("state", "pending").gauge().value();
  }

  double dead() {
    return registry.get(QUEUE_SIZE).tag("state", "dead").gauge().value();
  }

  double disabled() {
    return registry.get(ENDPOINTS_DISABLED).gauge().value();
  }

  void send() {
    dispatcher.send(TestEvents.experienceStarted().toEvent());
  }

  @Test
  void theStoreIsCounted_atMostOncePerRefreshInterval() {
    send();                                              // one delivery per endpoint

    assertThat(pending()).isEqualTo(2);
    assertThat(dead()).isZero();
    for (int i = 0; i < 5; i++) {
      pending();
      dead();
    }
    send();
    clock.advance(Duration.ofMillis(9_999));

    assertThat(pending()).as("cached").isEqualTo(2);
    assertThat(store.counted(DeliveryState.PENDING)).isEqualTo(1);
    assertThat(store.counted(DeliveryState.DEAD)).isEqualTo(1);

    clock.advance(Duration.ofMillis(1));

    assertThat(pending()).isEqualTo(4);
    assertThat(dead()).isZero();
    assertThat(store.counted(DeliveryState.PENDING)).isEqualTo(2);
    assertThat(store.counted(DeliveryState.DEAD)).isEqualTo(2);
    assertThat(store.counted(DeliveryState.SUCCEEDED)).as("succeeded deliveries are not gauged").isZero();
  }

  @Test
  void disabledEndpoints_areGauged_andRefreshedWithTheRest() {
    assertThat(disabled()).isZero();

    dispatcher.disable("b");
    assertThat(disabled()).as("cached").isZero();
    clock.advance(Duration.ofSeconds(10));

    assertThat(disabled()).isEqualTo(1);
  }

  @Test
  void aFailingRead_keepsTheLastValue_andIsCounted() {
    send();
    assertThat(pending()).isEqualTo(2);

    store.failing = true;
    send();
    clock.advance(Duration.ofSeconds(10));

    assertThat(pending()).isEqualTo(2);
    assertThat(dead()).isZero();
    assertThat(registry.get(GAUGE_READ_FAILURES).counter().count()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(5));
    pending();
    assertThat(store.counted(DeliveryState.PENDING)).as("a failed read waits for the interval too").isEqualTo(2);

    store.failing = false;
    clock.advance(Duration.ofSeconds(5));

    assertThat(pending()).isEqualTo(4);
    assertThat(registry.get(GAUGE_READ_FAILURES).counter().count()).isEqualTo(2);
  }

  @Test
  void whileOneScrapeReads_anotherGetsTheValuesAsTheyWere() throws Exception {
    send();
    store.entered = new CountDownLatch(1);
    store.release = new CountDownLatch(1);

    CompletableFuture<Double> first = CompletableFuture.supplyAsync(this::pending);
    assertThat(store.entered.await(10, TimeUnit.SECONDS)).as("the first scrape reads").isTrue();

    assertThat(pending()).as("nothing read yet").isNaN();
    assertThat(store.counted(DeliveryState.PENDING)).isEqualTo(1);

    store.release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(pending()).isEqualTo(2);
    assertThat(store.counted(DeliveryState.PENDING)).isEqualTo(1);
  }

  @Test
  void closing_removesTheGauges_soThatTheDispatcherCanBeBoundAgain() {
    assertThatThrownBy(() -> metrics.bindTo(dispatcher))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already registered");

    gauges.close();

    assertThat(registry.find(QUEUE_SIZE).gauges()).isEmpty();
    assertThat(registry.find(ENDPOINTS_DISABLED).gauge()).isNull();
    gauges = metrics.bindTo(dispatcher);
    assertThat(registry.find(QUEUE_SIZE).gauges()).extracting(Gauge::value).containsExactlyInAnyOrder(0.0, 0.0);
  }
}
