package dev.hookwire.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.receive.IdempotencyStore;
import dev.hookwire.receive.IdempotencyStore.Claim;
import dev.hookwire.testing.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link IdempotencyStore} must keep, as JUnit Jupiter tests: the suite Hookwire
 * runs on its own stores, for whoever implements one. A store's test class extends this one and
 * says how to make a fresh, empty store; it may add tests of its own.
 *
 * <pre>{@code
 * class MyIdempotencyStoreTest extends IdempotencyStoreContract {
 *   @Override
 *   protected IdempotencyStore newStore() {
 *     return MyIdempotencyStore.on(freshDatabase());
 *   }
 * }
 * }</pre>
 *
 * <p>The tests cover claims and their leases, completion and its expiry, release by the owner
 * only, keys up to 255 characters compared case-sensitively, pruning, and claims of one key from
 * several threads at once, of which exactly one may win.
 *
 * <p>Not thread-safe: JUnit makes one instance per test method (the default lifecycle, which the
 * suite needs) and calls {@link #newStore()} before each test. The suite does not close the
 * store; a subclass that holds resources releases them in an {@code @AfterEach} method of its
 * own.
 */
public abstract class IdempotencyStoreContract {

  /** The time of the first claim in each test. */
  protected static final Instant T0 = TestEvents.T0;

  /** The lease claims take. */
  protected static final Duration LEASE = Duration.ofMinutes(5);

  /** How long completions are kept. */
  protected static final Duration TTL = Duration.ofDays(7);

  /** Threads claiming one id at once. */
  private static final int THREADS = 8;

  /** The store under test, made by {@link #newStore()} before each test. */
  protected IdempotencyStore store;

  /** For subclasses. */
  protected IdempotencyStoreContract() {}

  /**
   * Makes a fresh, empty store. Called before each test.
   *
   * @return the store
   */
  protected abstract IdempotencyStore newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  private Claim claim(String key, String owner, Instant now) {
    return store.claim(key, owner, now, now.plus(LEASE));
  }

  @Test
  void claim_ofANewKey_isAcquired_andHoldsOffOthersUntilItsLeaseEnds() {
    assertThat(claim("msg_1", "a", T0)).isEqualTo(Claim.ACQUIRED);

    assertThat(claim("msg_1", "b", T0)).isEqualTo(Claim.IN_PROGRESS);
    assertThat(claim("msg_1", "b", T0.plus(LEASE).minusNanos(1))).isEqualTo(Claim.IN_PROGRESS);
    assertThat(claim("msg_2", "b", T0)).isEqualTo(Claim.ACQUIRED);
  }

  @Test
  void claim_afterTheLeaseExpired_takesTheKeyOver_andTheFirstOwnerCannotReleaseIt() {
    claim("msg_1", "a", T0);

    assertThat(claim("msg_1", "b", T0.plus(LEASE))).isEqualTo(Claim.ACQUIRED);
    store.release("msg_1", "a");
    assertThat(claim("msg_1", "c", T0.plus(LEASE))).isEqualTo(Claim.IN_PROGRESS);
  }

  @Test
  void complete_makesLaterClaimsDuplicates_untilItExpires() {
    claim("msg_1", "a", T0);
    store.complete("msg_1", T0.plus(TTL));

    assertThat(claim("msg_1", "b", T0.plusSeconds(1))).isEqualTo(Claim.COMPLETED);
    assertThat(claim("msg_1", "b", T0.plus(TTL).minusNanos(1))).isEqualTo(Claim.COMPLETED);
    assertThat(claim("msg_1", "b", T0.plus(TTL))).isEqualTo(Claim.ACQUIRED);
  }

  @Test
  void complete_outlivesTheClaimsLease() {
    claim("msg_1", "a", T0);
    store.complete("msg_1", T0.plus(TTL));

    assertThat(claim("msg_1", "b", T0.plus(LEASE).plus(LEASE))).isEqualTo(Claim.COMPLETED);
  }

  @Test
  void complete_withoutAClaim_isRecorded() {
    store.complete("msg_1", T0.plus(TTL));

    assertThat(claim("msg_1", "a", T0)).isEqualTo(Claim.COMPLETED);
  }

  @Test
  void complete_afterTheLeaseWasTakenOver_isRecorded() {
    claim("msg_1", "a", T0);
    claim("msg_1", "b", T0.plus(LEASE));
    store.complete("msg_1", T0.plus(TTL));

    store.release("msg_1", "b");
    assertThat(claim("msg_1", "c", T0.plus(LEASE))).isEqualTo(Claim.COMPLETED);
  }

  @Test
  void release_byTheOwner_letsTheNextClaimAcquire() {
    claim("msg_1", "a", T0);
    store.release("msg_1", "a");

    assertThat(claim("msg_1", "b", T0)).isEqualTo(Claim.ACQUIRED);
  }

  @Test
  void release_byAnotherOwner_orOfACompletedKey_orOfAnUnknownKey_doesNothing() {
    claim("msg_1", "a", T0);
    store.release("msg_1", "b");
    claim("msg_2", "a", T0);
    store.complete("msg_2", T0.plus(TTL));
    store.release("msg_2", "a");
    store.release("msg_3", "a");

    assertThat(claim("msg_1", "c", T0)).isEqualTo(Claim.IN_PROGRESS);
    assertThat(claim("msg_2", "c", T0)).isEqualTo(Claim.COMPLETED);
  }

  @Test
  void keys_areCaseSensitive_andMayBe255Characters() {
    String longKey = "k".repeat(255);
    claim("msg_A", "a", T0);
    store.complete("msg_A", T0.plus(TTL));

    assertThat(claim("msg_a", "b", T0)).isEqualTo(Claim.ACQUIRED);
    assertThat(claim(longKey, "b", T0)).isEqualTo(Claim.ACQUIRED);
    store.complete(longKey, T0.plus(TTL));
    assertThat(claim(longKey, "c", T0)).isEqualTo(Claim.COMPLETED);
  }

  @Test
  void prune_deletesExpiredRecordsOnly_andCountsThem() {
    claim("expired-claim", "a", T0);
    claim("expired-done", "a", T0);
    store.complete("expired-done", T0.plusSeconds(60));
    store.claim("live-claim", "a", T0, T0.plus(Duration.ofHours(2)));
    claim("live-done", "a", T0);
    store.complete("live-done", T0.plus(TTL));

    Instant later = T0.plus(Duration.ofHours(1));
    assertThat(store.prune(later)).isEqualTo(2);
    assertThat(store.prune(later)).isZero();

    assertThat(claim("live-claim", "b", later)).isEqualTo(Claim.IN_PROGRESS);
    assertThat(claim("live-done", "b", later)).isEqualTo(Claim.COMPLETED);
    assertThat(claim("expired-claim", "b", later)).isEqualTo(Claim.ACQUIRED);
    assertThat(claim("expired-done", "b", later)).isEqualTo(Claim.ACQUIRED);
  }

  /** Many threads claim each of several new ids at the same moment: one wins each. */
  @Test
  void concurrentClaims_ofANewKey_leaveExactlyOneAcquired() throws Exception {
    for (int round = 0; round < 20; round++) {
      String key = "msg_new_" + round;
      List<Claim> claims = claimAtOnce(key, T0);

      assertThat(claims).as("claims of %s", key).containsOnlyOnce(Claim.ACQUIRED);
      assertThat(claims).filteredOn(c -> c != Claim.ACQUIRED).containsOnly(Claim.IN_PROGRESS);
    }
  }

  /** Many threads race to take over each of several expired ids: one wins each. */
  @Test
  void concurrentClaims_ofAnExpiredKey_leaveExactlyOneAcquired() throws Exception {
    for (int round = 0; round < 20; round++) {
      String key = "msg_old_" + round;
      claim(key, "dead-node", T0);
      if (round % 2 == 0) {
        store.complete(key, T0.plusSeconds(1));
      }
      List<Claim> claims = claimAtOnce(key, T0.plus(LEASE));

      assertThat(claims).as("claims of %s", key).containsOnlyOnce(Claim.ACQUIRED);
      assertThat(claims).filteredOn(c -> c != Claim.ACQUIRED).containsOnly(Claim.IN_PROGRESS);
    }
  }

  /** Claims of one completed id from many threads at once all see a duplicate. */
  @Test
  void concurrentClaims_ofACompletedKey_allSeeADuplicate() throws Exception {
    claim("msg_done", "a", T0);
    store.complete("msg_done", T0.plus(TTL));

    assertThat(claimAtOnce("msg_done", T0.plusSeconds(1))).containsOnly(Claim.COMPLETED);
  }

  /** {@link #THREADS} threads claim one key, released together by a latch; their answers. */
  private List<Claim> claimAtOnce(String key, Instant now) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch ready = new CountDownLatch(THREADS);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Claim>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        String owner = "node-" + t;
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return claim(key, owner, now);
                }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      List<Claim> claims = new ArrayList<>();
      for (Future<Claim> f : futures) {
        claims.add(f.get(30, TimeUnit.SECONDS));
      }
      return claims;
    } finally {
      pool.shutdownNow();
    }
  }
}
