package dev.hookwire.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.dispatch.CompletionAndRetentionTest.HeldTransport;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import dev.hookwire.store.spi.ClaimRequest;
import dev.hookwire.store.spi.ClaimedDelivery;
import dev.hookwire.testing.ForwardingStore;
import dev.hookwire.testing.ManualScheduler;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.testing.TestTransports;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When the pump looks in the store after a batch of results. With a store that tells of work from
 * elsewhere, only when the last claim may have left work behind (it filled its limit, an endpoint
 * was at its cap, an ordering group may move on); with one that does not, after every batch, as
 * that is how a busy node finds other nodes' work before its next poll.
 */
class PumpWakeTest {
  final MutableClock clock = MutableClock.at(TestEvents.T0);
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final InMemoryDeliveryStore shared = InMemoryDeliveryStore.create();
  final HeldTransport transport = new HeldTransport();
  final List<Dispatcher> dispatchers = new ArrayList<>();

  @AfterEach
  void tearDown() {
    dispatchers.forEach(d -> d.close(Duration.ZERO));
  }

  /** A store that counts claims and, if asked to, calls for work from elsewhere. */
  static final class CountingStore extends ForwardingStore {
    final boolean wakes;
    final AtomicInteger claims = new AtomicInteger();
    final AtomicInteger lookAheads = new AtomicInteger();
    volatile Runnable wake;

    CountingStore(InMemoryDeliveryStore delegate, boolean wakes) {
      super(delegate);
      this.wakes = wakes;
    }

    @Override
    public List<ClaimedDelivery> claim(ClaimRequest request) {
      claims.incrementAndGet();
      return delegate.claim(request);
    }

    @Override
    public Optional<Instant> nextDueAt(Instant now) {
      lookAheads.incrementAndGet();
      return delegate.nextDueAt(now);
    }

    @Override
    public AutoCloseable onRemoteWork(Runnable wake) {
      if (!wakes) {
        return super.onRemoteWork(wake);
      }
      this.wake = wake;
      wake.run(); // as a listening store does once it listens: for what came before
      return () -> this.wake = null;
    }
  }

  Dispatcher dispatcher(CountingStore store, int maxInFlight, Integer endpointCap) {
    Dispatcher d =
        Dispatcher.builder()
            .store(store)
            .transport(transport)
            .clock(clock)
            .scheduler(scheduler)
            .networkPolicy(TestTransports.LOOPBACK_ALLOWED)
            .maxInFlight(maxInFlight)
            .lease(Duration.ofMinutes(1))
            .build();
    dispatchers.add(d);
    if (endpointCap != null) {
      Endpoint.Builder endpoint = Endpoint.builder("http://127.0.0.1:9/hook")
          .signing(SignatureScheme.standardWebhooks(), Secrets.newStandardSecret())
          .maxInFlight(endpointCap);
      d.register(endpoint.build());
    }
    return d;
  }

  /** Another node on the same tables: it only stores, and wakes nobody here. */
  Dispatcher otherNode() {
    return dispatcher(new CountingStore(shared, false), 8, null);
  }

  @Test
  void aStoreThatWakes_noClaimAfterResultsOnceTheQueueIsEmpty_otherNodesWorkComesWithTheWake() {
    CountingStore store = new CountingStore(shared, true);
    Dispatcher node = dispatcher(store, 8, 8).start();
    scheduler.runDue();
    node.send(TestEvents.experienceStarted().toEvent(clock));
    node.send(TestEvents.experienceStarted().toEvent(clock));
    scheduler.runDue();
    assertThat(transport.held()).isEqualTo(2);
    int claims = store.claims.get();

    otherNode().send(TestEvents.experienceStarted().toEvent(clock)); // no wake from it
    transport.answerAll(200);
    scheduler.runDue();
    assertThat(node.inFlight()).isZero();
    assertThat(store.claims.get()).as("claims after a batch that followed an unfilled claim").isEqualTo(claims);
    assertThat(transport.held()).isZero();

    store.wake.run(); // the store tells of the other node's event
    scheduler.runDue();
    assertThat(transport.held()).isEqualTo(1);
  }

  @Test
  void aStoreThatWakes_aClaimThatFilledItsLimit_isFollowedByAnotherAfterTheResults() {
    CountingStore store = new CountingStore(shared, true);
    Dispatcher node = dispatcher(store, 3, 8).start();
    scheduler.runDue();
    for (int i = 0; i < 5; i++) {
      node.send(TestEvents.experienceStarted().toEvent(clock));
    }
    scheduler.runDue();
    assertThat(transport.held()).isEqualTo(3);

    transport.answerAll(200);
    scheduler.runDue();
    assertThat(transport.held()).as("the two left behind, claimed once room was made").isEqualTo(2);
  }

  @Test
  void aStoreThatWakes_anEndpointAtItsCap_getsItsWaitingDeliveriesOnceItsResultsAreIn() {
    CountingStore store = new CountingStore(shared, true);
    Dispatcher node = dispatcher(store, 16, 2).start();
    scheduler.runDue();
    for (int i = 0; i < 4; i++) {
      node.send(TestEvents.experienceStarted().toEvent(clock));
    }
    scheduler.runDue();
    assertThat(transport.held()).isEqualTo(2);

    transport.answerAll(200);
    scheduler.runDue();
    assertThat(transport.held()).isEqualTo(2);
  }

  @Test
  void aStoreThatWakes_theNextOfAnOrderingGroupGoesOnceThePreviousIsRecorded() {
    CountingStore store = new CountingStore(shared, true);
    Dispatcher node = dispatcher(store, 16, 16).start();
    scheduler.runDue();
    node.send(WebhookEvent.create("experience.updated", Map.of("n", 1), clock), "exp_1");
    node.send(WebhookEvent.create("experience.updated", Map.of("n", 2), clock), "exp_1");
    scheduler.runDue();
    assertThat(transport.held()).isEqualTo(1);

    transport.answerAll(200);
    scheduler.runDue();
    assertThat(transport.held()).isEqualTo(1);
    assertThat(new String(transport.requests.get(1).body())).contains("\"n\":2");
  }

  @Test
  void pumpsWokenByNewWork_claimItWithoutAskingWhenWorkIsNextDue_thePollAsks() {
    CountingStore store = new CountingStore(shared, true);
    Dispatcher node = dispatcher(store, 8, 8).start();
    scheduler.runDue();
    int claims = store.claims.get();
    int lookAheads = store.lookAheads.get();

    node.send(TestEvents.experienceStarted().toEvent(clock));
    scheduler.runDue();
    otherNode().send(TestEvents.experienceStarted().toEvent(clock));
    store.wake.run();
    scheduler.runDue();
    assertThat(transport.held()).isEqualTo(2);
    assertThat(store.claims.get()).isEqualTo(claims + 2);
    assertThat(store.lookAheads.get()).isEqualTo(lookAheads);

    clock.advance(Duration.ofSeconds(1)); // the poll interval
    scheduler.runDue();
    assertThat(store.lookAheads.get()).isEqualTo(lookAheads + 1);
  }

  @Test
  void aStoreThatDoesNotWake_isLookedAtAfterEveryBatchOfResults() {
    CountingStore store = new CountingStore(shared, false);
    Dispatcher node = dispatcher(store, 8, 8).start();
    scheduler.runDue();
    node.send(TestEvents.experienceStarted().toEvent(clock));
    scheduler.runDue();
    assertThat(transport.held()).isEqualTo(1);

    otherNode().send(TestEvents.experienceStarted().toEvent(clock));
    transport.answerAll(200);
    scheduler.runDue();
    assertThat(transport.held()).as("the other node's event, found after the batch").isEqualTo(1);
  }
}
