package dev.hookwire.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.signature.Secrets;
import dev.hookwire.store.DeliveryRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.StoreException;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import dev.hookwire.store.spi.Completion;
import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.testing.ForwardingStore;
import dev.hookwire.testing.ManualScheduler;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.testing.TestTransports;
import dev.hookwire.transport.Transport;
import dev.hookwire.transport.TransportRequest;
import dev.hookwire.transport.TransportResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How attempt results reach the store (in batches, kept through a store outage while their leases
 * last) and how succeeded deliveries are pruned. The transport here answers only when the test
 * says, so that the test decides which results wait together.
 */
class CompletionAndRetentionTest {
  final MutableClock clock = MutableClock.at(TestEvents.T0);
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final WatchedStore store = new WatchedStore(InMemoryDeliveryStore.create());
  final HeldTransport transport = new HeldTransport();
  Dispatcher dispatcher;

  @AfterEach
  void tearDown() {
    if (dispatcher != null) {
      dispatcher.close(Duration.ZERO);
    }
  }

  Dispatcher start(Dispatcher.Builder builder) {
    dispatcher =
        builder
            .store(store)
            .transport(transport)
            .clock(clock)
            .scheduler(scheduler)
            .networkPolicy(TestTransports.LOOPBACK_ALLOWED)
            .retryPolicy(RetryPolicy.of(Duration.ofMinutes(5)).withJitter(0))
            .lease(Duration.ofMinutes(1))
            .build()
            .start();
    dispatcher.register(
        Endpoint.builder("http://127.0.0.1:9/hook")
            .signing(dev.hookwire.signature.SignatureScheme.standardWebhooks(), Secrets.newStandardSecret())
            .build());
    return dispatcher;
  }

  List<String> send(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(dispatcher.send(TestEvents.experienceStarted().toEvent()).eventId());
    }
    scheduler.runDue();
    return ids;
  }

  DeliveryState state(String eventId) {
    List<DeliveryRecord> records = dispatcher.deliveries(eventId);
    assertThat(records).hasSize(1);
    return records.get(0).state();
  }

  @Test
  void resultsThatArriveTogether_areWrittenInOneStoreCall() {
    start(Dispatcher.builder());
    List<String> ids = send(20);
    assertThat(transport.held()).isEqualTo(20);

    transport.answerAll(200);
    scheduler.runDue();

    assertThat(store.completionBatches).containsExactly(20);
    assertThat(ids).allSatisfy(id -> assertThat(state(id)).isEqualTo(DeliveryState.SUCCEEDED));
    assertThat(dispatcher.inFlight()).isZero();
  }

  @Test
  void aQuietDispatcher_writesEachResultAtOnce() {
    start(Dispatcher.builder());
    List<String> ids = send(3);

    for (int i = 0; i < 3; i++) {
      transport.answerOne(200);
      scheduler.runDue();
    }

    assertThat(store.completionBatches).containsExactly(1, 1, 1);
    assertThat(ids).allSatisfy(id -> assertThat(state(id)).isEqualTo(DeliveryState.SUCCEEDED));
  }

  @Test
  void storeOutageWhileRecording_keepsTheResults_andWritesThemLater_withoutSendingAgain() {
    start(Dispatcher.builder());
    List<String> ids = send(5);
    store.failCompletions.set(2);

    transport.answerAll(200);
    scheduler.runDue(); // first write fails
    assertThat(dispatcher.inFlight()).isEqualTo(5);
    clock.advance(Duration.ofMillis(250));
    scheduler.runDue(); // second write fails
    clock.advance(Duration.ofMillis(500));
    scheduler.runDue(); // third succeeds

    assertThat(store.completionBatches).containsExactly(5, 5, 5);
    assertThat(ids).allSatisfy(id -> assertThat(state(id)).isEqualTo(DeliveryState.SUCCEEDED));
    assertThat(dispatcher.inFlight()).isZero();
    assertThat(transport.requests).hasSize(5);
    assertThat(dispatcher.attempts(ids.get(0))).hasSize(1);
  }

  @Test
  void storeOutageOutlastingTheLease_dropsTheResult_andTheDeliveryIsAttemptedAgain() {
    start(Dispatcher.builder());
    String id = send(1).get(0);
    store.failCompletions.set(Integer.MAX_VALUE);

    transport.answerAll(200);
    for (int i = 0; i < 10 && transport.requests.size() < 2; i++) {
      clock.advance(Duration.ofSeconds(10));
      scheduler.runDue();
    }

    // The first result was given up with its lease; the delivery was claimed and sent again.
    assertThat(transport.requests).hasSize(2);
    assertThat(dispatcher.inFlight()).isEqualTo(1);
    assertThat(state(id)).isEqualTo(DeliveryState.PENDING);
    assertThat(dispatcher.attempts(id)).isEmpty();

    store.failCompletions.set(0);
    transport.answerAll(200);
    scheduler.runDue();
    assertThat(state(id)).isEqualTo(DeliveryState.SUCCEEDED);
    assertThat(dispatcher.attempts(id)).hasSize(1);
    assertThat(dispatcher.inFlight()).isZero();
  }

  @Test
  void succeededDeliveries_arePrunedAfterTheRetentionAge_deadOnesKept() {
    start(Dispatcher.builder().retainSucceeded(Duration.ofHours(1)));
    List<String> ids = send(2);
    transport.answerOne(200);
    transport.answerOne(410); // dead at once
    scheduler.runDue();
    assertThat(state(ids.get(0))).isEqualTo(DeliveryState.SUCCEEDED);
    assertThat(state(ids.get(1))).isEqualTo(DeliveryState.DEAD);

    clock.advance(Duration.ofMinutes(54)); // prune runs every 6 minutes; not old enough yet
    scheduler.runDue();
    assertThat(dispatcher.deliveries(ids.get(0))).hasSize(1);

    clock.advance(Duration.ofMinutes(12));
    scheduler.runDue();
    assertThat(dispatcher.deliveries(ids.get(0))).isEmpty();
    assertThat(dispatcher.attempts(ids.get(0))).isEmpty();
    assertThat(state(ids.get(1))).isEqualTo(DeliveryState.DEAD);
  }

  @Test
  void aLargeBacklog_isPrunedInSteps_oneAfterAnother() {
    start(Dispatcher.builder().retainSucceeded(Duration.ofMinutes(1)));
    send(2_500);
    for (int i = 0; i < 200 && store.count(DeliveryState.SUCCEEDED) < 2_500; i++) {
      transport.answerAll(200);
      scheduler.runDue();
    }
    assertThat(store.count(DeliveryState.SUCCEEDED)).isEqualTo(2_500);

    clock.advance(Duration.ofMinutes(2));
    scheduler.runDue();

    assertThat(store.pruneSteps).containsExactly(1_000, 1_000, 500);
    assertThat(store.count(DeliveryState.SUCCEEDED)).isZero();
  }

  @Test
  void pruningFailure_isRetriedAtTheNextInterval_andDeliveryGoesOn() {
    start(Dispatcher.builder().retainSucceeded(Duration.ofMinutes(10)));
    String first = send(1).get(0);
    transport.answerAll(200);
    scheduler.runDue();
    store.failPrunes.set(1);

    clock.advance(Duration.ofMinutes(11));
    scheduler.runDue();
    assertThat(dispatcher.deliveries(first)).hasSize(1);
    String second = send(1).get(0);
    transport.answerAll(200);
    scheduler.runDue();
    assertThat(state(second)).isEqualTo(DeliveryState.SUCCEEDED);

    clock.advance(Duration.ofMinutes(1));
    scheduler.runDue();
    assertThat(dispatcher.deliveries(first)).isEmpty();
    assertThat(dispatcher.deliveries(second)).hasSize(1);
  }

  @Test
  void pruneInterval_isATenthOfTheAge_betweenAMinuteAndAnHour() {
    assertThat(interval(Duration.ofSeconds(30))).isEqualTo(Duration.ofMinutes(1));
    assertThat(interval(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(6));
    assertThat(interval(Duration.ofDays(7))).isEqualTo(Duration.ofHours(1));
  }

  private Duration interval(Duration age) {
    try (Dispatcher d =
        Dispatcher.builder().transport(transport).scheduler(scheduler).retainSucceeded(age).build()) {
      return d.engine.retention.interval();
    }
  }

  /** A transport that holds each request until the test answers it. */
  static final class HeldTransport implements Transport {
    final List<TransportRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<CompletableFuture<TransportResponse>> pending = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<TransportResponse> send(TransportRequest request) {
      requests.add(request);
      CompletableFuture<TransportResponse> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    }

    synchronized int held() {
      return pending.size();
    }

    void answerOne(int status) {
      CompletableFuture<TransportResponse> f;
      synchronized (this) {
        f = pending.remove(0);
      }
      f.complete(new TransportResponse(status, Map.of(), ""));
    }

    void answerAll(int status) {
      List<CompletableFuture<TransportResponse>> all;
      synchronized (this) {
        all = new ArrayList<>(pending);
        pending.clear();
      }
      all.forEach(f -> f.complete(new TransportResponse(status, Map.of(), "")));
    }
  }

  /** A store that records the size of each write of results and can be made to fail. */
  static final class WatchedStore extends ForwardingStore {
    final List<Integer> completionBatches = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> pruneSteps = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger failCompletions = new AtomicInteger();
    final AtomicInteger failPrunes = new AtomicInteger();

    WatchedStore(DeliveryStore delegate) {
      super(delegate);
    }

    @Override
    public List<Boolean> complete(List<Completion> completions, Instant now) {
      completionBatches.add(completions.size());
      if (failCompletions.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new StoreException("complete: the database is down", null);
      }
      return delegate.complete(completions, now);
    }

    @Override
    public int prune(Instant updatedBefore, int limit) {
      if (failPrunes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new StoreException("prune: the database is down", null);
      }
      int pruned = delegate.prune(updatedBefore, limit);
      pruneSteps.add(pruned);
      return pruned;
    }
  }
}
