package dev.hookwire.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.spi.ClaimRequest;
import dev.hookwire.store.spi.ClaimedDelivery;
import dev.hookwire.store.spi.Completion;
import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.store.spi.NewDelivery;
import dev.hookwire.store.spi.NewMessage;
import dev.hookwire.testing.contract.DeliveryStoreContract;
import java.time.Duration;
import java.time.Instant;
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

  /**
   * One thread enqueues while four claim and complete, retry or release, with no lease ever
   * expiring: every delivery succeeds exactly once, every completion applies, and deliveries with
   * one ordering key are never held by two threads at once and are claimed in enqueue order.
   */
  @Test
  void concurrentClaimers_completeEveryDeliveryExactlyOnce_inKeyOrder() throws Exception {
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
