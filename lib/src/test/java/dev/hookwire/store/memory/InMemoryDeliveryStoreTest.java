package dev.hookwire.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryQuery;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.StoreException;
import dev.hookwire.store.StoreFullException;
import dev.hookwire.store.spi.ClaimRequest;
import dev.hookwire.store.spi.ClaimedDelivery;
import dev.hookwire.store.spi.Completion;
import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.store.spi.NewDelivery;
import dev.hookwire.store.spi.NewMessage;
import dev.hookwire.testing.contract.DeliveryStoreContract;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The in-memory store keeps the whole {@link DeliveryStore} contract, and holds up under load. */
class InMemoryDeliveryStoreTest extends DeliveryStoreContract {

  private static final int DELIVERIES = 20_000;
  private static final String[] ENDPOINTS = new String[20];

  static {
    for (int i = 0; i < ENDPOINTS.length; i++) {
      ENDPOINTS[i] = "ep_" + i;
    }
  }

  @Override
  protected DeliveryStore newStore() {
    return InMemoryDeliveryStore.create();
  }

  @Test
  void randomOperations_agreeWithTheReference_manySeeds() {
    for (long seed = 100; seed < 120; seed++) {
      store.close();
      store = newStore();
      checkAgainstReference(seed, 1_500);
    }
  }

  @Test
  void body_isSharedByEveryDeliveryAndClaim_neverCopied() {
    NewMessage m = message("m1", T0);
    store.enqueue(
        List.of(m), List.of(new NewDelivery("d1", "m1", A), new NewDelivery("d2", "m1", B)));

    List<ClaimedDelivery> claimed = claim(T0);
    store.release(claimed, T0, clock.instant());
    List<ClaimedDelivery> again = claim(T0);

    assertThat(claimed).hasSize(2).allSatisfy(c -> assertThat(c.body()).isSameAs(m.body()));
    assertThat(again).hasSize(2).allSatisfy(c -> assertThat(c.body()).isSameAs(m.body()));
  }

  @Test
  void completion_withTheAttemptOfAnotherDelivery_cannotBeMade() {
    enqueue("d1", A, T0);
    enqueue("d2", A, T0);
    List<ClaimedDelivery> c = claim(T0);
    Completion good = succeeded(c.get(0), at(1));

    assertThatThrownBy(
            () ->
                new Completion(
                    c.get(1), Optional.of(attempt(c.get(0), at(1), 200)), DeliveryState.SUCCEEDED, T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("d1")
        .hasMessageContaining("d2");

    assertThat(store.count(DeliveryState.PENDING)).isEqualTo(2);
    assertThat(store.complete(List.of(good), clock.instant())).containsExactly(true);
  }

  @Test
  void nextDueAt_leaseSeenToExpire_countsAtTheDeliverysDueTime() {
    enqueue("d1", A, T0);
    claimOne(T0);
    // A claim after the lease ran out makes d1 claimable again, even though it skips A.
    claim("node-2", T0.plus(LEASE), 10, A);

    assertThat(store.nextDueAt(T0)).contains(T0);
  }

  @Test
  void freshDeliveries_retries_andOneEnqueuedOutOfOrder_areClaimedByDueTimeThenEnqueueOrder() {
    // Fresh deliveries that arrive in order take a first-in first-out list; the one created
    // before the last of them, and the retry, take the heap; a claim merges both.
    enqueue("d1", A, T0);
    enqueue("d2", A, at(2));
    enqueue("d3", A, at(1));
    enqueue("d4", A, at(2));
    ClaimedDelivery first = claimOne(T0);
    assertThat(first.deliveryId()).isEqualTo("d1");
    store.complete(List.of(retry(first, T0, at(1))), T0);

    assertThat(ids(claim("node-1", at(10), 10))).containsExactly("d1", "d3", "d2", "d4");
  }

  @Test
  void aLeaseReleasedEarly_andOthersExpiring_keepTheirOrder() {
    for (int i = 0; i < 6; i++) {
      enqueue("d" + i, A, T0);
    }
    List<ClaimedDelivery> claimed = claim("node-1", T0, 6);
    // d2's lease ends first (released now, due again at 5 s); the rest expire at the lease end.
    store.release(List.of(claimed.get(2)), at(5), T0);

    assertThat(store.nextDueAt(T0)).contains(at(5));
    assertThat(ids(claim("node-2", T0.plus(LEASE), 10))).containsExactly("d0", "d1", "d3", "d4", "d5", "d2");
  }

  @Test
  void attemptsForEndpoint_negativeLimit_isRejected() {
    assertThatThrownBy(() -> store.attemptsForEndpoint(A, T0, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.attemptsForEndpoint(A, T0, 0)).isEmpty();
  }

  @Test
  void toString_showsCounts() {
    enqueue("d1", A, T0);

    assertThat(store)
        .hasToString("InMemoryDeliveryStore[pending=1, succeeded=0, dead=0, endpoints=0]");
  }

  // ---------------------------------------------------------------- bounds

  @Test
  void create_hasTheDefaultBounds() {
    InMemoryDeliveryStore defaults = InMemoryDeliveryStore.create();

    assertThat(defaults.maxSucceeded()).isEqualTo(10_000);
    assertThat(defaults.retainSucceeded()).isEqualTo(Duration.ofHours(1));
    assertThat(defaults.maxPending()).isEqualTo(100_000);
  }

  @Test
  void builder_refusesBoundsThatCannotWork_namingThem() {
    InMemoryDeliveryStore.Builder b = InMemoryDeliveryStore.builder();

    assertThatThrownBy(() -> b.maxSucceeded(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSucceeded");
    assertThatThrownBy(() -> b.maxPending(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPending");
    assertThatThrownBy(() -> b.retainSucceeded(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retainSucceeded");
    assertThatThrownBy(() -> b.retainSucceeded(null)).isInstanceOf(NullPointerException.class);
    assertThat(b.maxSucceeded(0).maxPending(1).build().maxPending()).isEqualTo(1);
  }

  @Test
  void succeededBeyondMaxSucceeded_theOldestAreForgotten_withTheirAttemptsAndMessages() {
    store = bounded(b -> b.maxSucceeded(2));
    for (int i = 1; i <= 4; i++) {
      enqueue("d" + i, A, T0);
    }
    List<ClaimedDelivery> claimed = claim(T0);
    // Completed newest first: the oldest by completion time go, whatever their enqueue order.
    for (int i = 0; i < 4; i++) {
      store.complete(List.of(succeeded(claimed.get(3 - i), at(i))), at(i));
    }

    assertThat(store.count(DeliveryState.SUCCEEDED)).isEqualTo(2);
    assertThat(store.delivery("d4")).isEmpty();
    assertThat(store.delivery("d3")).isEmpty();
    assertThat(store.attemptsForEvent("evt_m_d4")).isEmpty();
    assertThat(store.deliveries(DeliveryQuery.forEvent("evt_m_d3"))).isEmpty();
    assertThat(recordIds(store.deliveries(byEndpoint(A)))).containsExactly("d2", "d1");
    assertThat(store.attemptsForEndpoint(A, Instant.MIN, 10))
        .extracting(AttemptRecord::deliveryId)
        .containsExactly("d2", "d1");
    assertThat(recordIds(store.deliveries(everything()))).containsExactly("d2", "d1");
    // The message went with its only delivery: a new delivery cannot name it.
    assertThatThrownBy(
            () -> store.enqueue(List.of(), List.of(new NewDelivery("d5", "m_d4", A))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown message");
  }

  @Test
  void succeededInOneCall_outOfEnqueueOrder_theBoundKeepsTheLastEnqueued() {
    store = bounded(b -> b.maxSucceeded(2));
    for (int i = 1; i <= 4; i++) {
      enqueue("d" + i, A, T0);
    }
    List<ClaimedDelivery> c = claim(T0);
    // One completion time for all four: among equals, enqueue order decides which are oldest.
    List<Boolean> applied = store.complete(
        List.of(succeeded(c.get(3), T0), succeeded(c.get(1), T0), succeeded(c.get(2), T0), succeeded(c.get(0), T0)),
        at(1));

    assertThat(applied).containsExactly(true, true, true, true);
    assertThat(store.count(DeliveryState.SUCCEEDED)).isEqualTo(2);
    assertThat(recordIds(store.deliveries(byEndpoint(A)))).containsExactlyInAnyOrder("d3", "d4");
    enqueue("d5", A, T0);
    store.complete(List.of(succeeded(claimOne(T0), T0)), at(2));
    assertThat(recordIds(store.deliveries(byEndpoint(A)))).containsExactlyInAnyOrder("d4", "d5");
  }

  @Test
  void aSharedMessage_staysWhileAnyOfItsDeliveriesIsKept() {
    store = bounded(b -> b.maxSucceeded(0));
    store.enqueue(
        List.of(message("m1", T0)),
        List.of(new NewDelivery("dA", "m1", A), new NewDelivery("dB", "m1", B)));
    List<ClaimedDelivery> claimed = claim(T0);

    complete(succeeded(claimed.get(0), at(1)));

    assertThat(store.delivery(claimed.get(0).deliveryId())).isEmpty();
    assertThat(recordIds(store.deliveries(DeliveryQuery.forEvent("evt_m1"))))
        .containsExactly(claimed.get(1).deliveryId());
    store.enqueue(List.of(), List.of(new NewDelivery("dC", "m1", C)));
    assertThat(claimOne(at(2)).body()).isEqualTo(claimed.get(1).body());

    complete(succeeded(claimed.get(1), at(3)));
    assertThat(recordIds(store.deliveries(DeliveryQuery.forEvent("evt_m1")))).containsExactly("dC");
  }

  @Test
  void pendingAndDeadDeliveries_areNeverForgotten() {
    store = bounded(b -> b.maxSucceeded(0).retainSucceeded(Duration.ofSeconds(1)));
    enqueue("pending", A, T0);
    enqueue("dead", B, T0);
    enqueue("ok", C, T0);
    List<ClaimedDelivery> claimed = claim(T0);
    complete(dead(claimed.get(1), at(1)));
    complete(succeeded(claimed.get(2), at(1)));
    complete(retry(claimed.get(0), at(1), at(3_600)));

    claim(at(1_800));
    assertThat(store.delivery("ok")).isEmpty();
    assertThat(record("pending").state()).isEqualTo(DeliveryState.PENDING);
    assertThat(record("dead").state()).isEqualTo(DeliveryState.DEAD);
    assertThat(store.attemptsForEvent("evt_m_dead")).hasSize(1);
    assertThat(store.count(DeliveryState.PENDING)).isEqualTo(1);
    assertThat(store.count(DeliveryState.DEAD)).isEqualTo(1);
    assertThat(store.count(DeliveryState.SUCCEEDED)).isZero();
  }

  @Test
  void succeededLongerAgoThanRetainSucceeded_areForgotten_byTheNextCompleteOrClaim() {
    store = bounded(b -> b.retainSucceeded(Duration.ofHours(1)));
    enqueue("d1", A, T0);
    enqueue("d2", A, T0);
    enqueue("d3", B, T0);
    List<ClaimedDelivery> claimed = claim(T0);
    store.complete(List.of(succeeded(claimed.get(0), at(10))), at(10));
    store.complete(List.of(succeeded(claimed.get(1), at(20))), at(20));
    Instant d1Expires = at(10).plus(Duration.ofHours(1));

    // Skipping B leaves d3's claim current, though its lease ran out.
    claim("node-1", d1Expires, 10, B);
    assertThat(store.delivery("d1")).as("exactly an hour old").isPresent();

    claim("node-1", d1Expires.plusMillis(1), 10, B);
    assertThat(store.delivery("d1")).isEmpty();
    assertThat(store.attemptsForEvent("evt_m_d1")).isEmpty();
    assertThat(store.delivery("d2")).isPresent();

    Instant d2Expired = at(20).plus(Duration.ofHours(1)).plusSeconds(1);
    store.complete(List.of(succeeded(claimed.get(2), d2Expired)), d2Expired);
    assertThat(store.delivery("d2")).isEmpty();
    assertThat(recordIds(store.deliveries(everything()))).containsExactly("d3");
    assertThat(store.count(DeliveryState.SUCCEEDED)).isEqualTo(1);
  }

  @Test
  void theAgeBound_forgetsAtMostAStepPerCall() {
    int n = InMemoryDeliveryStore.AGE_STEP + 500;
    store = bounded(b -> b.maxSucceeded(n).retainSucceeded(Duration.ofMinutes(1)));
    for (int i = 0; i < n; i++) {
      enqueue("d" + i, A, T0);
    }
    List<Completion> all = new ArrayList<>();
    for (ClaimedDelivery c : claim("node-1", T0, n)) {
      all.add(succeeded(c, at(1)));
    }
    store.complete(all, at(1));

    claim(at(120));
    assertThat(store.count(DeliveryState.SUCCEEDED)).isEqualTo(500);
    claim(at(120));
    assertThat(store.count(DeliveryState.SUCCEEDED)).isZero();
    assertThat(store.deliveries(everything())).isEmpty();
  }

  @Test
  void anEnqueueBeyondMaxPending_isRefused_namingTheBound_andStoresNothing() {
    store = bounded(b -> b.maxPending(3));
    enqueue("d1", A, T0);
    enqueue("d2", A, T0);
    NewMessage shared = message("m_shared", T0);
    List<NewDelivery> two =
        List.of(new NewDelivery("d3", "m_shared", A), new NewDelivery("d4", "m_shared", B));

    assertThatThrownBy(() -> store.enqueue(List.of(shared), two))
        .isInstanceOf(StoreFullException.class)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("holds 2 pending and dead deliveries")
        .hasMessageContaining("may hold 3 (maxPending)")
        .hasMessageContaining("refused 2 more; nothing was stored")
        .hasMessageContaining("InMemoryDeliveryStore.builder().maxPending(n)")
        .satisfies(e -> assertThat(((StoreFullException) e).limit()).isEqualTo(3));

    assertThat(store.count(DeliveryState.PENDING)).isEqualTo(2);
    assertThat(store.delivery("d3")).isEmpty();
    assertThat(store.deliveries(DeliveryQuery.forEvent("evt_m_shared"))).isEmpty();
    // Nor was the message: the same call with one delivery fits, and stores it afresh.
    store.enqueue(List.of(shared), two.subList(0, 1));
    assertThat(record("d3").state()).isEqualTo(DeliveryState.PENDING);
  }

  @Test
  void deadDeliveriesCountTowardsMaxPending_succeededOnesMakeRoom() {
    store = bounded(b -> b.maxPending(2));
    enqueue("d1", A, T0);
    enqueue("d2", B, T0);
    List<ClaimedDelivery> claimed = claim(T0);
    complete(dead(claimed.get(0), at(1)));

    assertThatThrownBy(() -> enqueue("d3", A, T0))
        .isInstanceOf(StoreFullException.class)
        .hasMessageContaining("(1 pending, 1 dead)");

    complete(succeeded(claimed.get(1), at(2)));
    enqueue("d3", A, T0);
    assertThat(store.count(DeliveryState.PENDING)).isEqualTo(1);
    assertThat(store.count(DeliveryState.DEAD)).isEqualTo(1);
    assertThat(store.replay(List.of("d1"), at(3))).isEqualTo(1);
    assertThatThrownBy(() -> enqueue("d4", A, T0)).isInstanceOf(StoreFullException.class);
  }

  private static DeliveryQuery byEndpoint(String endpointId) {
    return new DeliveryQuery(Optional.of(endpointId), Optional.empty(), Optional.empty(), T0, 100);
  }

  private static DeliveryQuery everything() {
    return new DeliveryQuery(Optional.empty(), Optional.empty(), Optional.empty(), T0, 100);
  }

  private static InMemoryDeliveryStore bounded(
      java.util.function.UnaryOperator<InMemoryDeliveryStore.Builder> bounds) {
    return bounds.apply(InMemoryDeliveryStore.builder()).build();
  }

  /**
   * One thread enqueues while four claim and complete, retry or release, with no lease ever
   * expiring: every delivery succeeds exactly once, every completion applies, and deliveries with
   * one ordering key are never held by two threads at once and are claimed in enqueue order.
   */
  @Test
  void concurrentClaimers_completeEveryDeliveryExactlyOnce_inKeyOrder() throws Exception {
    keepEverySucceeded();
    Duration longLease = Duration.ofHours(1);
    AtomicIntegerArray successes = new AtomicIntegerArray(DELIVERIES);
    Map<String, String> inFlight = new ConcurrentHashMap<>();
    Map<String, List<Integer>> claimOrder = new ConcurrentHashMap<>();

    runOnThreads(
        5,
        (thread, stopped) -> {
          if (thread == 4) {
            enqueueAll(4);
            return;
          }
          String owner = "node-" + thread;
          ThreadLocalRandom random = ThreadLocalRandom.current();
          while (!stopped.getAsBoolean() && store.count(DeliveryState.SUCCEEDED) < DELIVERIES) {
            Set<String> excluded = Set.of(ENDPOINTS[random.nextInt(ENDPOINTS.length)]);
            List<ClaimedDelivery> claimed =
                store.claim(new ClaimRequest(owner, clock.instant(), longLease, 32, excluded));
            if (claimed.isEmpty()) {
              Thread.onSpinWait(); // the producer is behind
              continue;
            }
            for (ClaimedDelivery c : claimed) {
              assertThat(c.endpointId()).isNotIn(excluded);
              String group = groupOf(c);
              if (group != null) {
                assertThat(inFlight.putIfAbsent(group, c.deliveryId()))
                    .as("another delivery of %s in flight", group)
                    .isNull();
                // Safe without a lock while no other thread holds a delivery of the group.
                claimOrder.computeIfAbsent(group, g -> new ArrayList<>()).add(indexOf(c));
                inFlight.remove(group);
              }
              int outcome = random.nextInt(10);
              boolean applied;
              if (outcome < 8) {
                applied = complete(succeeded(c, clock.instant()));
                if (applied) {
                  successes.incrementAndGet(indexOf(c));
                }
              } else if (outcome < 9) {
                applied = complete(retry(c, clock.instant(), clock.instant()));
              } else {
                applied = store.release(List.of(c), clock.instant(), clock.instant()).get(0);
              }
              assertThat(applied).as("completion of %s", c).isTrue();
            }
          }
        });

    for (int i = 0; i < DELIVERIES; i++) {
      assertThat(successes.get(i)).as("successes of d%d", i).isEqualTo(1);
    }
    assertThat(store.count(DeliveryState.SUCCEEDED)).isEqualTo(DELIVERIES);
    assertThat(store.count(DeliveryState.PENDING)).isZero();
    assertThat(store.nextDueAt(clock.instant())).isEmpty();
    assertThat(claimOrder).isNotEmpty();
    claimOrder.forEach((group, order) -> assertThat(order).as(group).isSorted());
  }

  /**
   * Four threads claim with short leases, drop some claims and move the shared clock on, so that
   * leases expire and other threads take deliveries over while their first owners still try to
   * complete them: still every delivery succeeds exactly once and none is lost.
   */
  @Test
  void concurrentClaimersWithExpiringLeases_neitherLoseNorDoubleComplete() throws Exception {
    keepEverySucceeded();
    enqueueAll(4);
    AtomicIntegerArray successes = new AtomicIntegerArray(DELIVERIES);

    runOnThreads(
        4,
        (thread, stopped) -> {
          String owner = "node-" + thread;
          ThreadLocalRandom random = ThreadLocalRandom.current();
          while (!stopped.getAsBoolean() && store.count(DeliveryState.SUCCEEDED) < DELIVERIES) {
            List<ClaimedDelivery> claimed =
                store.claim(new ClaimRequest(owner, clock.instant(), LEASE, 16, Set.of()));
            if (claimed.isEmpty()) {
              clock.advance(LEASE); // the rest is leased: let those leases run out
              continue;
            }
            for (ClaimedDelivery c : claimed) {
              int outcome = random.nextInt(20);
              if (outcome == 0) {
                continue; // this node "dies" holding the lease
              }
              if (outcome == 1) {
                clock.advance(LEASE.plusSeconds(1)); // a slow attempt
              }
              if (complete(succeeded(c, clock.instant()))) {
                successes.incrementAndGet(indexOf(c));
              }
            }
          }
        });

    for (int i = 0; i < DELIVERIES; i++) {
      assertThat(successes.get(i)).as("successes of d%d", i).isEqualTo(1);
    }
    assertThat(store.count(DeliveryState.PENDING)).isZero();
    assertThat(store.attemptsForEndpoint(ENDPOINTS[0], Instant.MIN, DELIVERIES))
        .hasSize(DELIVERIES / ENDPOINTS.length);
  }

  /** Replaces the store with one that keeps all {@link #DELIVERIES}, however long ago they succeeded. */
  private void keepEverySucceeded() {
    store.close();
    store =
        InMemoryDeliveryStore.builder()
            .maxSucceeded(DELIVERIES)
            .retainSucceeded(ChronoUnit.CENTURIES.getDuration())
            .build();
  }

  /** What each thread of {@link #runOnThreads} does. */
  @FunctionalInterface
  private interface ThreadBody {
    void run(int thread, BooleanSupplier stopped) throws Exception;
  }

  /**
   * Runs a body on several threads and waits for all, at most a minute; the first failure tells
   * the others to stop (they poll {@code stopped}) and is thrown.
   */
  private static void runOnThreads(int threads, ThreadBody body) throws Exception {
    AtomicBoolean failed = new AtomicBoolean();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    BooleanSupplier stopped = () -> failed.get() || System.nanoTime() > deadline;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  try {
                    body.run(thread, stopped);
                  } catch (Throwable e) {
                    failed.set(true);
                    throw e;
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get(90, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(System.nanoTime()).as("finished within a minute").isLessThanOrEqualTo(deadline);
  }

  /**
   * Enqueues {@link #DELIVERIES} deliveries, {@code fanOut} per message to consecutive endpoints;
   * every third message has one of 50 ordering keys. Delivery {@code i} is called {@code "d" + i}.
   */
  private void enqueueAll(int fanOut) {
    for (int m = 0; m < DELIVERIES / fanOut; m++) {
      String messageId = "m" + m;
      NewMessage message =
          m % 3 == 0 ? keyedMessage(messageId, T0, "key" + (m % 50)) : message(messageId, T0);
      List<NewDelivery> deliveries = new ArrayList<>(fanOut);
      for (int j = 0; j < fanOut; j++) {
        int i = m * fanOut + j;
        deliveries.add(new NewDelivery("d" + i, messageId, ENDPOINTS[(m + j) % ENDPOINTS.length]));
      }
      store.enqueue(List.of(message), deliveries);
    }
  }

  private static int indexOf(ClaimedDelivery c) {
    return Integer.parseInt(c.deliveryId().substring(1));
  }

  private static String groupOf(ClaimedDelivery c) {
    return c.orderingKey().map(key -> c.endpointId() + "/" + key).orElse(null);
  }
}
