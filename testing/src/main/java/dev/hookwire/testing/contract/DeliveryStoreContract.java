package dev.hookwire.testing.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.store.AttemptOutcome;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryQuery;
import dev.hookwire.store.DeliveryRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.spi.ClaimRequest;
import dev.hookwire.store.spi.ClaimedDelivery;
import dev.hookwire.store.spi.Completion;
import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.store.spi.NewDelivery;
import dev.hookwire.store.spi.NewMessage;
import dev.hookwire.store.spi.StoredEndpoint;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link DeliveryStore} must keep, as JUnit Jupiter tests: the suite Hookwire runs
 * on its own stores, for whoever implements one. A store's test class extends this one and says
 * how to make a fresh, empty store; it may add tests of its own, using the fixtures below.
 *
 * <pre>{@code
 * class MyDeliveryStoreTest extends DeliveryStoreContract {
 *   @Override
 *   protected DeliveryStore newStore() {
 *     return MyDeliveryStore.on(freshDatabase());
 *   }
 * }
 * }</pre>
 *
 * <p>The tests cover enqueueing, claiming under leases and claim tokens, ordering keys, completion
 * and release (stale claims refused), queries, counts, replay, pruning, the next due time and the
 * endpoint repository; one compares the store step by step with a plain model of the claiming
 * rules on random operations ({@link #checkAgainstReference}). A few run several threads against
 * the store at once.
 *
 * <p>Stores read no clock: the tests pass the time in, as {@link #clock}'s reading wherever a
 * call takes a {@code now} of no interest of its own.
 *
 * <p>Not thread-safe: JUnit makes one instance per test method (the default lifecycle, which the
 * suite needs), calls {@link #newStore()} before the test and closes the store after it.
 */
public abstract class DeliveryStoreContract {

  /** The time deliveries are created at, unless a test says otherwise. */
  protected static final Instant T0 = TestEvents.T0;

  /** The lease that claims ask for. */
  protected static final Duration LEASE = Duration.ofSeconds(30);

  /** An endpoint id. */
  protected static final String A = "ep_a";

  /** Another endpoint id. */
  protected static final String B = "ep_b";

  /** A third endpoint id. */
  protected static final String C = "ep_c";

  /** The tests' time, passed as {@code now}; starts at {@link #T0}. */
  protected final MutableClock clock = MutableClock.at(T0);

  /**
   * The store under test, made by {@link #newStore()} before each test and closed after it. A
   * test may replace it; the one here at the end is closed.
   */
  protected DeliveryStore store;

  /** For subclasses. */
  protected DeliveryStoreContract() {}

  /**
   * Makes a fresh, empty store: no endpoints, messages or deliveries, and claim tokens not yet
   * handed out. Called before each test, and again by tests that need a second store.
   *
   * @return the store; closed after the test
   */
  protected abstract DeliveryStore newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  // ------------------------------------------------------------------ fixtures

  /**
   * Returns a message of event {@code "evt_" + messageId} and type {@code experience.started},
   * with a small JSON body naming the message and no ordering key.
   *
   * @param messageId the message id
   * @param createdAt when the message was made: when its deliveries first fall due
   * @return the message
   */
  protected static NewMessage message(String messageId, Instant createdAt) {
    return new NewMessage(
        messageId,
        "evt_" + messageId,
        "experience.started",
        createdAt,
        ("{\"message\":\"" + messageId + "\"}").getBytes(UTF_8),
        Optional.empty(),
        Optional.empty());
  }

  /**
   * Returns {@link #message} with an ordering key.
   *
   * @param messageId the message id
   * @param createdAt when the message was made
   * @param key the ordering key
   * @return the message
   */
  protected static NewMessage keyedMessage(String messageId, Instant createdAt, String key) {
    NewMessage m = message(messageId, createdAt);
    return new NewMessage(
        m.messageId(), m.eventId(), m.eventType(), createdAt, m.body(), Optional.of(key),
        Optional.empty());
  }

  /**
   * Enqueues a delivery of its own message {@code "m_" + deliveryId}.
   *
   * @param deliveryId the delivery id
   * @param endpointId the endpoint it goes to
   * @param createdAt when its message was made
   */
  protected void enqueue(String deliveryId, String endpointId, Instant createdAt) {
    store.enqueue(
        List.of(message("m_" + deliveryId, createdAt)),
        List.of(new NewDelivery(deliveryId, "m_" + deliveryId, endpointId)));
  }

  /**
   * Enqueues a delivery of its own message {@code "m_" + deliveryId}, with an ordering key.
   *
   * @param deliveryId the delivery id
   * @param endpointId the endpoint it goes to
   * @param createdAt when its message was made
   * @param key the ordering key
   */
  protected void enqueueKeyed(String deliveryId, String endpointId, Instant createdAt, String key) {
    store.enqueue(
        List.of(keyedMessage("m_" + deliveryId, createdAt, key)),
        List.of(new NewDelivery(deliveryId, "m_" + deliveryId, endpointId)));
  }

  /**
   * Claims for an owner under {@link #LEASE}, skipping the given endpoints.
   *
   * @param owner the claiming node
   * @param now the time of the claim
   * @param limit the most deliveries to claim
   * @param excluded endpoints whose deliveries are skipped
   * @return the claimed deliveries, in the store's order
   */
  protected List<ClaimedDelivery> claim(String owner, Instant now, int limit, String... excluded) {
    return store.claim(new ClaimRequest(owner, now, LEASE, limit, Set.of(excluded)));
  }

  /**
   * Claims up to 100 deliveries for {@code node-1} under {@link #LEASE}.
   *
   * @param now the time of the claim
   * @return the claimed deliveries, in the store's order
   */
  protected List<ClaimedDelivery> claim(Instant now) {
    return claim("node-1", now, 100);
  }

  /**
   * Claims for {@code node-1} and asserts that exactly one delivery was claimed.
   *
   * @param now the time of the claim
   * @return the claimed delivery
   */
  protected ClaimedDelivery claimOne(Instant now) {
    List<ClaimedDelivery> claimed = claim(now);
    assertThat(claimed).hasSize(1);
    return claimed.get(0);
  }

  /**
   * Returns the ids of claimed deliveries.
   *
   * @param claimed the claimed deliveries
   * @return their ids, in the same order
   */
  protected static List<String> ids(List<ClaimedDelivery> claimed) {
    return claimed.stream().map(ClaimedDelivery::deliveryId).collect(Collectors.toList());
  }

  /**
   * Returns the ids of delivery records.
   *
   * @param records the records
   * @return their delivery ids, in the same order
   */
  protected static List<String> recordIds(List<DeliveryRecord> records) {
    return records.stream().map(DeliveryRecord::deliveryId).collect(Collectors.toList());
  }

  /**
   * Returns the next attempt of a claim, made at a time and taking 120 ms: 2xx succeeds,
   * anything else is an HTTP error.
   *
   * @param c the claim
   * @param startedAt when the attempt started
   * @param status the HTTP status it got
   * @return the attempt, numbered one after the claim's attempts
   */
  protected static AttemptRecord attempt(ClaimedDelivery c, Instant startedAt, int status) {
    boolean ok = status / 100 == 2;
    return new AttemptRecord(
        c.deliveryId(),
        c.endpointId(),
        c.eventId(),
        c.attempts() + 1,
        startedAt,
        Duration.ofMillis(120),
        ok ? AttemptOutcome.SUCCEEDED : AttemptOutcome.HTTP_ERROR,
        status,
        ok ? Optional.empty() : Optional.of("HTTP " + status),
        ok ? "ok" : "failed");
  }

  /**
   * Completes one claim at {@link #clock}'s time.
   *
   * @param completion the completion
   * @return whether the store applied it
   */
  protected boolean complete(Completion completion) {
    List<Boolean> applied = store.complete(List.of(completion), clock.instant());
    assertThat(applied).hasSize(1);
    return applied.get(0);
  }

  /**
   * Returns the completion of a claim whose attempt got a 200.
   *
   * @param c the claim
   * @param startedAt when the attempt started
   * @return the completion, to state {@link DeliveryState#SUCCEEDED}
   */
  protected static Completion succeeded(ClaimedDelivery c, Instant startedAt) {
    return new Completion(
        c, Optional.of(attempt(c, startedAt, 200)), DeliveryState.SUCCEEDED, startedAt);
  }

  /**
   * Returns the completion of a claim whose attempt got a 500 and that is to be tried again.
   *
   * @param c the claim
   * @param startedAt when the attempt started
   * @param nextAttemptAt when the delivery falls due again
   * @return the completion, to state {@link DeliveryState#PENDING}
   */
  protected static Completion retry(ClaimedDelivery c, Instant startedAt, Instant nextAttemptAt) {
    return new Completion(
        c, Optional.of(attempt(c, startedAt, 500)), DeliveryState.PENDING, nextAttemptAt);
  }

  /**
   * Returns the completion of a claim whose last attempt got a 500.
   *
   * @param c the claim
   * @param startedAt when the attempt started
   * @return the completion, to state {@link DeliveryState#DEAD}
   */
  protected static Completion dead(ClaimedDelivery c, Instant startedAt) {
    return new Completion(
        c, Optional.of(attempt(c, startedAt, 500)), DeliveryState.DEAD, startedAt);
  }

  /**
   * Returns the record of a delivery that must exist.
   *
   * @param deliveryId the delivery id
   * @return its record
   * @throws java.util.NoSuchElementException if the store has no such delivery
   */
  protected DeliveryRecord record(String deliveryId) {
    return store.delivery(deliveryId).orElseThrow();
  }

  /**
   * Returns a copy of a claim with another owner or token than the real one, as a node whose
   * lease was taken over would hold.
   *
   * @param c the claim
   * @param owner the owner to claim to be
   * @param token the claim token to present
   * @return the forged claim
   */
  protected static ClaimedDelivery forged(ClaimedDelivery c, String owner, long token) {
    return new ClaimedDelivery(
        c.deliveryId(),
        c.endpointId(),
        c.eventId(),
        c.eventType(),
        c.body(),
        c.orderingKey(),
        c.traceContext(),
        c.attempts(),
        c.createdAt(),
        c.dueAt(),
        owner,
        c.leaseUntil(),
        token);
  }

  /**
   * Returns a time some seconds after {@link #T0}.
   *
   * @param secondsAfterT0 how many seconds after
   * @return the time
   */
  protected static Instant at(long secondsAfterT0) {
    return T0.plusSeconds(secondsAfterT0);
  }

  // ------------------------------------------------------------------ enqueue

  @Test
  void enqueue_storesMessagesAndDeliveries_visibleToOtherThreadsOnReturn() throws Exception {
    CompletableFuture.runAsync(
            () ->
                store.enqueue(
                    List.of(message("m1", T0)),
                    List.of(new NewDelivery("d1", "m1", A), new NewDelivery("d2", "m1", B))))
        .get(10, TimeUnit.SECONDS);

    DeliveryRecord d1 = record("d1");
    assertThat(d1.deliveryId()).isEqualTo("d1");
    assertThat(d1.endpointId()).isEqualTo(A);
    assertThat(d1.eventId()).isEqualTo("evt_m1");
    assertThat(d1.eventType()).isEqualTo("experience.started");
    assertThat(d1.state()).isEqualTo(DeliveryState.PENDING);
    assertThat(d1.attempts()).isZero();
    assertThat(d1.createdAt()).isEqualTo(T0);
    assertThat(d1.lastAttempt()).isEmpty();
    assertThat(record("d2").endpointId()).isEqualTo(B);
    assertThat(store.count(DeliveryState.PENDING)).isEqualTo(2);
  }

  @Test
  void enqueue_eachDeliveryIsDueAtItsMessagesCreationTime() {
    enqueue("d1", A, at(10));

    assertThat(record("d1").nextAttemptAt()).isEqualTo(at(10));
  }

  @Test
  void enqueue_deliveryNamingAnUnknownMessage_isRejectedAndNothingIsStored() {
    assertThatThrownBy(
            () ->
                store.enqueue(
                    List.of(message("m1", T0)),
                    List.of(new NewDelivery("d1", "m1", A), new NewDelivery("d2", "nope", A))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope");

    assertThat(store.delivery("d1")).isEmpty();
    assertThat(store.count(DeliveryState.PENDING)).isZero();
    assertThat(claim(at(100))).isEmpty();
    // m1 was not kept either: its id is free.
    store.enqueue(List.of(message("m1", T0)), List.of(new NewDelivery("d1", "m1", A)));
    assertThat(record("d1").state()).isEqualTo(DeliveryState.PENDING);
  }

  @Test
  void enqueue_deliveryIdAlreadyStored_isRejectedAndNothingIsStored() {
    enqueue("d1", A, T0);

    assertThatThrownBy(
            () ->
                store.enqueue(
                    List.of(message("m2", T0)),
                    List.of(new NewDelivery("d2", "m2", A), new NewDelivery("d1", "m2", B))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("d1");

    assertThat(store.delivery("d2")).isEmpty();
    assertThat(record("d1").endpointId()).isEqualTo(A);
    assertThat(store.count(DeliveryState.PENDING)).isEqualTo(1);
    store.enqueue(List.of(message("m2", T0)), List.of(new NewDelivery("d2", "m2", A)));
  }

  @Test
  void enqueue_deliveryIdUsedTwiceInOneCall_isRejected() {
    assertThatThrownBy(
            () ->
                store.enqueue(
                    List.of(message("m1", T0)),
                    List.of(new NewDelivery("d1", "m1", A), new NewDelivery("d1", "m1", B))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("d1");

    assertThat(store.delivery("d1")).isEmpty();
    assertThat(store.count(DeliveryState.PENDING)).isZero();
  }

  @Test
  void enqueue_messageIdAlreadyStored_isRejectedAndNothingIsStored() {
    enqueue("d1", A, T0);

    assertThatThrownBy(
            () ->
                store.enqueue(
                    List.of(message("m_d1", at(5))), List.of(new NewDelivery("d2", "m_d1", B))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("m_d1");

    assertThat(store.delivery("d2")).isEmpty();
    assertThat(store.count(DeliveryState.PENDING)).isEqualTo(1);
  }

  @Test
  void enqueue_messageIdUsedTwiceInOneCall_isRejected() {
    assertThatThrownBy(
            () ->
                store.enqueue(
                    List.of(message("m1", T0), message("m1", at(1))),
                    List.of(new NewDelivery("d1", "m1", A))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("m1");

    assertThat(store.delivery("d1")).isEmpty();
  }

  @Test
  void enqueue_deliveryMayNameAMessageStoredEarlier() {
    enqueue("d1", A, T0);

    store.enqueue(List.of(), List.of(new NewDelivery("d2", "m_d1", B)));

    DeliveryRecord d2 = record("d2");
    assertThat(d2.eventId()).isEqualTo("evt_m_d1");
    assertThat(d2.nextAttemptAt()).isEqualTo(T0);
    assertThat(ids(claim(at(1)))).containsExactly("d1", "d2");
  }

  @Test
  void enqueue_emptyCall_storesNothing() {
    store.enqueue(List.of(), List.of());

    assertThat(store.count(DeliveryState.PENDING)).isZero();
    assertThat(store.nextDueAt(clock.instant())).isEmpty();
  }

  // ------------------------------------------------------------------ claim

  @Test
  void claim_oldestDueFirst() {
    enqueue("late", A, at(2));
    enqueue("early", B, T0);
    enqueue("middle", A, at(1));

    assertThat(ids(claim(at(5)))).containsExactly("early", "middle", "late");
  }

  @Test
  void claim_dueAtTheSameTime_inEnqueueOrder() {
    store.enqueue(
        List.of(message("m1", T0)),
        List.of(new NewDelivery("d1", "m1", B), new NewDelivery("d2", "m1", A)));
    enqueue("d3", B, T0);
    enqueue("d4", A, T0);

    assertThat(ids(claim(T0))).containsExactly("d1", "d2", "d3", "d4");
  }

  @Test
  void claim_saysWhenTheAttemptWasDue_theEnqueueTimeFirst_thenTheRetryTime() {
    enqueue("d1", A, at(2));

    ClaimedDelivery first = claimOne(at(3));
    assertThat(first.dueAt()).isEqualTo(at(2));
    assertThat(store.complete(List.of(retry(first, at(3), at(10))), at(4))).containsExactly(true);

    ClaimedDelivery second = claimOne(at(12));
    assertThat(second.dueAt()).isEqualTo(at(10));
    assertThat(second.createdAt()).isEqualTo(at(2));
  }

  @Test
  void claim_handsBackTheTraceContextStoredWithTheMessage_toEveryDeliveryAndEveryAttempt() {
    String context = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    NewMessage plain = message("m1", T0);
    NewMessage traced = new NewMessage("m2", "evt_m2", "experience.started", T0, plain.body(),
        Optional.empty(), Optional.of(context));
    store.enqueue(List.of(plain, traced),
        List.of(new NewDelivery("d1", "m1", A), new NewDelivery("d2", "m2", A), new NewDelivery("d3", "m2", B)));

    List<ClaimedDelivery> claimed = claim(T0);
    assertThat(claimed).extracting(ClaimedDelivery::deliveryId, ClaimedDelivery::traceContext).containsExactly(
        org.assertj.core.groups.Tuple.tuple("d1", Optional.empty()),
        org.assertj.core.groups.Tuple.tuple("d2", Optional.of(context)),
        org.assertj.core.groups.Tuple.tuple("d3", Optional.of(context)));

    ClaimedDelivery d2 = claimed.get(1);
    assertThat(store.complete(List.of(retry(d2, T0, at(5))), T0)).containsExactly(true);
    assertThat(claim(at(5))).filteredOn(c -> c.deliveryId().equals("d2")).singleElement()
        .satisfies(c -> assertThat(c.traceContext()).contains(context));
  }

  @Test
  void claim_carriesWhatAnAttemptNeeds() {
    byte[] body = new byte[256];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    store.enqueue(
        List.of(
            new NewMessage("m1", "evt_1", "goal.achieved", T0, body, Optional.of("exp_1"), Optional.empty())),
        List.of(new NewDelivery("d1", "m1", A)));

    ClaimedDelivery c = claim("node-7", at(3), 10).get(0);

    assertThat(c.deliveryId()).isEqualTo("d1");
    assertThat(c.endpointId()).isEqualTo(A);
    assertThat(c.eventId()).isEqualTo("evt_1");
    assertThat(c.eventType()).isEqualTo("goal.achieved");
    assertThat(c.body()).isEqualTo(body);
    assertThat(c.orderingKey()).contains("exp_1");
    assertThat(c.attempts()).isZero();
    assertThat(c.createdAt()).isEqualTo(T0);
    assertThat(c.leaseOwner()).isEqualTo("node-7");
    assertThat(c.leaseUntil()).isEqualTo(at(3).plus(LEASE));
  }

  @Test
  void claim_everyDeliveryOfAMessageCarriesItsBody() {
    NewMessage m = message("m1", T0);
    byte[] expected = m.body().clone();
    store.enqueue(
        List.of(m),
        List.of(
            new NewDelivery("d1", "m1", A),
            new NewDelivery("d2", "m1", B),
            new NewDelivery("d3", "m1", C)));

    List<ClaimedDelivery> claimed = claim(T0);

    assertThat(claimed).hasSize(3).allSatisfy(c -> assertThat(c.body()).isEqualTo(expected));
  }

  @Test
  void claim_deliveriesNotYetDue_areNotClaimed() {
    enqueue("d1", A, at(60));

    assertThat(claim(T0)).isEmpty();
    assertThat(claim(at(60).minusMillis(1))).isEmpty();
    assertThat(ids(claim(at(60)))).containsExactly("d1");
  }

  @Test
  void claim_atMostTheLimit() {
    for (int i = 1; i <= 5; i++) {
      enqueue("d" + i, i % 2 == 0 ? A : B, at(i));
    }

    assertThat(ids(claim("n", at(10), 2))).containsExactly("d1", "d2");
    assertThat(claim("n", at(10), 0)).isEmpty();
    assertThat(ids(claim("n", at(10), 2))).containsExactly("d3", "d4");
    assertThat(ids(claim("n", at(10), 10))).containsExactly("d5");
    assertThat(claim("n", at(10), 10)).isEmpty();
  }

  @Test
  void claim_leasedDelivery_isNotClaimedAgainWhileTheLeaseHolds() {
    enqueue("d1", A, T0);
    claimOne(T0);

    assertThat(claim("node-2", T0.plus(LEASE).minusMillis(1), 10)).isEmpty();
  }

  @Test
  void claim_expiredLease_isClaimableByAnotherOwnerWithANewToken() {
    enqueue("d1", A, T0);
    ClaimedDelivery first = claimOne(T0);

    List<ClaimedDelivery> again = claim("node-2", T0.plus(LEASE), 10);

    assertThat(ids(again)).containsExactly("d1");
    ClaimedDelivery second = again.get(0);
    assertThat(second.leaseOwner()).isEqualTo("node-2");
    assertThat(second.claimToken()).isGreaterThan(first.claimToken());
    assertThat(second.leaseUntil()).isEqualTo(T0.plus(LEASE).plus(LEASE));
    assertThat(second.attempts()).isZero();
  }

  @Test
  void claim_tokensGrowWithEveryClaim() {
    enqueue("d1", A, T0);
    enqueue("d2", A, T0);
    ClaimedDelivery c1 = claim("n", T0, 1).get(0);
    ClaimedDelivery c2 = claim("n", T0, 1).get(0);
    store.release(List.of(c1), T0, clock.instant());
    ClaimedDelivery c3 = claim("n", T0, 1).get(0);

    assertThat(c3.deliveryId()).isEqualTo("d1");
    assertThat(c2.claimToken()).isGreaterThan(c1.claimToken());
    assertThat(c3.claimToken()).isGreaterThan(c2.claimToken());
  }

  @Test
  void claim_excludedEndpoints_areSkipped_butDeliveriesBehindThemAreClaimed() {
    enqueue("a1", A, T0);
    enqueue("a2", A, at(1));
    enqueue("b1", B, at(2));
    enqueue("c1", C, at(3));

    assertThat(ids(claim("n", at(10), 10, A))).containsExactly("b1", "c1");
    assertThat(ids(claim("n", at(10), 10, A, B, C))).isEmpty();
  }

  @Test
  void claim_excludedEndpoints_keepTheirPlace() {
    enqueue("a1", A, T0);
    enqueue("b1", B, at(1));
    enqueue("a2", A, at(2));
    enqueue("b2", B, at(3));

    assertThat(ids(claim("n", at(10), 1, A))).containsExactly("b1");
    assertThat(ids(claim("n", at(10), 10))).containsExactly("a1", "a2", "b2");
  }

  @Test
  void claim_manyExcludedEndpointsAhead_doNotHideTheOthers() {
    List<String> excluded = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      enqueue("x" + i, "ep_x" + i, T0.plusMillis(i));
      excluded.add("ep_x" + i);
    }
    enqueue("b1", B, at(1));
    enqueue("b2", B, at(2));

    assertThat(ids(claim("n", at(10), 10, excluded.toArray(new String[0]))))
        .containsExactly("b1", "b2");
    assertThat(claim("n", at(10), 1000)).hasSize(200);
  }

  // ------------------------------------------------------------------ complete

  @Test
  void complete_succeeded_recordsTheAttemptAndTheFinalState() {
    enqueue("d1", A, T0);
    ClaimedDelivery c = claimOne(T0);
    clock.set(at(5));

    assertThat(complete(succeeded(c, at(1)))).isTrue();

    DeliveryRecord d1 = record("d1");
    assertThat(d1.state()).isEqualTo(DeliveryState.SUCCEEDED);
    assertThat(d1.attempts()).isEqualTo(1);
    assertThat(d1.updatedAt()).isEqualTo(at(5));
    assertThat(d1.lastAttempt()).contains(attempt(c, at(1), 200));
    assertThat(store.count(DeliveryState.PENDING)).isZero();
    assertThat(store.count(DeliveryState.SUCCEEDED)).isEqualTo(1);
    assertThat(claim(T0.plus(LEASE).plusSeconds(1))).isEmpty();
  }

  @Test
  void complete_retry_keepsItPendingUntilItsNextAttempt() {
    enqueue("d1", A, T0);
    ClaimedDelivery c = claimOne(T0);

    assertThat(complete(retry(c, at(1), at(60)))).isTrue();

    DeliveryRecord d1 = record("d1");
    assertThat(d1.state()).isEqualTo(DeliveryState.PENDING);
    assertThat(d1.attempts()).isEqualTo(1);
    assertThat(d1.nextAttemptAt()).isEqualTo(at(60));
    assertThat(claim(at(59))).isEmpty();
    ClaimedDelivery next = claimOne(at(60));
    assertThat(next.attempts()).isEqualTo(1);
    assertThat(next.claimToken()).isGreaterThan(c.claimToken());
  }

  @Test
  void complete_dead_isFinalAndCounted() {
    enqueue("d1", A, T0);
    ClaimedDelivery c = claimOne(T0);

    assertThat(complete(dead(c, at(1)))).isTrue();

    assertThat(record("d1").state()).isEqualTo(DeliveryState.DEAD);
    assertThat(record("d1").attempts()).isEqualTo(1);
    assertThat(store.count(DeliveryState.DEAD)).isEqualTo(1);
    assertThat(store.count(DeliveryState.PENDING)).isZero();
    assertThat(claim(at(1000))).isEmpty();
  }

  @Test
  void complete_withoutAnAttempt_changesTheStateOnly() {
    enqueue("d1", A, T0);
    ClaimedDelivery c = claimOne(T0);

    assertThat(complete(new Completion(c, Optional.empty(), DeliveryState.DEAD, T0))).isTrue();

    DeliveryRecord d1 = record("d1");
    assertThat(d1.state()).isEqualTo(DeliveryState.DEAD);
    assertThat(d1.attempts()).isZero();
    assertThat(d1.lastAttempt()).isEmpty();
    assertThat(store.attemptsForEvent("evt_m_d1")).isEmpty();
  }

  @Test
  void complete_staleClaim_afterAnotherNodeTookOver_isRefusedAndLeavesNoAttempt() {
    enqueue("d1", A, T0);
    ClaimedDelivery mine = claim("node-a", T0, 10).get(0);
    ClaimedDelivery theirs = claim("node-b", T0.plus(LEASE), 10).get(0);

    assertThat(complete(succeeded(mine, at(1)))).isFalse();

    assertThat(record("d1").state()).isEqualTo(DeliveryState.PENDING);
    assertThat(record("d1").attempts()).isZero();
    assertThat(store.attemptsForEvent("evt_m_d1")).isEmpty();

    assertThat(complete(succeeded(theirs, at(31)))).isTrue();
    assertThat(record("d1").state()).isEqualTo(DeliveryState.SUCCEEDED);
    assertThat(store.attemptsForEvent("evt_m_d1"))
        .singleElement()
        .isEqualTo(attempt(theirs, at(31), 200));
  }

  @Test
  void complete_expiredLease_notYetTakenOver_isStillCompletedByItsOwner() {
    enqueue("d1", A, T0);
    ClaimedDelivery mine = claim("node-a", T0, 10).get(0);
    // Another node claims after the lease expired, but skips d1's endpoint.
    assertThat(claim("node-b", T0.plus(LEASE).plusSeconds(1), 10, A)).isEmpty();

    assertThat(complete(succeeded(mine, at(40)))).isTrue();

    assertThat(record("d1").state()).isEqualTo(DeliveryState.SUCCEEDED);
    assertThat(claim("node-b", at(100), 10)).isEmpty();
  }

  @Test
  void complete_secondCompletionOfOneClaim_isRefused() {
    enqueue("d1", A, T0);
    ClaimedDelivery c = claimOne(T0);

    assertThat(complete(retry(c, at(1), at(10)))).isTrue();
    assertThat(complete(succeeded(c, at(2)))).isFalse();

    assertThat(record("d1").state()).isEqualTo(DeliveryState.PENDING);
    assertThat(record("d1").attempts()).isEqualTo(1);
    assertThat(store.attemptsForEvent("evt_m_d1")).hasSize(1);
  }

  @Test
  void complete_claimWithAnotherOwnerOrToken_isRefused() {
    enqueue("d1", A, T0);
    ClaimedDelivery c = claimOne(T0);

    assertThat(complete(succeeded(forged(c, "node-x", c.claimToken()), at(1)))).isFalse();
    assertThat(complete(succeeded(forged(c, c.leaseOwner(), c.claimToken() + 1), at(1))))
        .isFalse();
    assertThat(complete(succeeded(forged(c, c.leaseOwner(), 0), at(1)))).isFalse();
    assertThat(record("d1").state()).isEqualTo(DeliveryState.PENDING);

    assertThat(complete(succeeded(c, at(1)))).isTrue();
  }

  @Test
  void complete_claimOfAnUnknownDelivery_isRefused() {
    enqueue("d1", A, T0);
    ClaimedDelivery c = claimOne(T0);
    ClaimedDelivery unknown =
        new ClaimedDelivery(
            "nope", A, "evt", "t", new byte[0], Optional.empty(), Optional.empty(), 0, T0, T0, "node-1", at(30),
            c.claimToken());

    assertThat(
            store.complete(
                List.of(new Completion(unknown, Optional.empty(), DeliveryState.DEAD, T0)),
                clock.instant()))
        .containsExactly(false);
  }

  @Test
  void complete_batch_answersForEachCompletionInOrder() {
    enqueue("d1", A, T0);
    enqueue("d2", B, T0);
    List<ClaimedDelivery> claimed = claim(T0);
    ClaimedDelivery c1 = claimed.get(0);
    ClaimedDelivery c2 = claimed.get(1);

    List<Boolean> applied =
        store.complete(
            List.of(
                succeeded(c2, at(1)),
                succeeded(forged(c1, "node-x", c1.claimToken()), at(1)),
                retry(c1, at(1), at(20)),
                succeeded(c2, at(2))),
            clock.instant());

    assertThat(applied).containsExactly(true, false, true, false);
    assertThat(record("d1").state()).isEqualTo(DeliveryState.PENDING);
    assertThat(record("d2").state()).isEqualTo(DeliveryState.SUCCEEDED);
    assertThat(record("d2").attempts()).isEqualTo(1);
  }

  @Test
  void complete_batchOfDistinctDeliveries_appliesCurrentClaimsOnly_andLogsTheirAttempts() {
    enqueue("d1", A, T0);
    enqueue("d2", B, T0);
    enqueue("d3", A, T0);
    List<ClaimedDelivery> claimed = claim(T0);
    ClaimedDelivery c1 = claimed.get(0);
    ClaimedDelivery c2 = claimed.get(1);
    ClaimedDelivery c3 = claimed.get(2);
    clock.set(at(5));

    List<Boolean> applied =
        store.complete(
            List.of(
                succeeded(c3, at(3)),
                succeeded(forged(c1, c1.leaseOwner(), c1.claimToken() + 1), at(1)),
                retry(c2, at(2), at(20))),
            clock.instant());

    assertThat(applied).containsExactly(true, false, true);
    assertThat(record("d1").state()).isEqualTo(DeliveryState.PENDING);
    assertThat(record("d1").attempts()).isZero();
    assertThat(record("d1").lastAttempt()).isEmpty();
    assertThat(record("d2").state()).isEqualTo(DeliveryState.PENDING);
    assertThat(record("d2").nextAttemptAt()).isEqualTo(at(20));
    assertThat(record("d2").lastAttempt()).contains(attempt(c2, at(2), 500));
    assertThat(record("d3").state()).isEqualTo(DeliveryState.SUCCEEDED);
    assertThat(record("d3").updatedAt()).isEqualTo(at(5));
    assertThat(store.attemptsForEvent(c3.eventId())).containsExactly(attempt(c3, at(3), 200));
    assertThat(store.attemptsForEvent(c1.eventId())).isEmpty();
    // The refused claim is still current: its owner completes it.
    assertThat(complete(succeeded(c1, at(4)))).isTrue();
  }

  @Test
  void complete_emptyBatch_answersNothing() {
    assertThat(store.complete(List.of(), clock.instant())).isEmpty();
    assertThat(store.release(List.of(), T0, clock.instant())).isEmpty();
  }

  // ------------------------------------------------------------------ release

  @Test
  void release_makesItDueAgainAtTheGivenTime_withoutCountingAnAttempt() {
    enqueue("d1", A, T0);
    ClaimedDelivery c = claimOne(T0);

    assertThat(store.release(List.of(c), at(30), clock.instant())).containsExactly(true);

    DeliveryRecord d1 = record("d1");
    assertThat(d1.state()).isEqualTo(DeliveryState.PENDING);
    assertThat(d1.attempts()).isZero();
    assertThat(d1.nextAttemptAt()).isEqualTo(at(30));
    assertThat(store.attemptsForEvent("evt_m_d1")).isEmpty();
    assertThat(claim(at(29))).isEmpty();
    ClaimedDelivery again = claimOne(at(30));
    assertThat(again.attempts()).isZero();
    assertThat(again.claimToken()).isGreaterThan(c.claimToken());
  }

  @Test
  void release_canMakeItDueAtOnce() {
    enqueue("d1", A, T0);
    ClaimedDelivery c = claimOne(T0);

    store.release(List.of(c), T0, clock.instant());

    assertThat(ids(claim("node-2", T0, 10))).containsExactly("d1");
  }

  @Test
  void release_invalidatesTheClaim() {
    enqueue("d1", A, T0);
    ClaimedDelivery c = claimOne(T0);
    store.release(List.of(c), at(30), clock.instant());

    assertThat(complete(succeeded(c, at(1)))).isFalse();
    assertThat(store.release(List.of(c), at(1), clock.instant())).containsExactly(false);
    assertThat(record("d1").nextAttemptAt()).isEqualTo(at(30));
  }

  @Test
  void release_staleClaim_isRefusedAndTheCurrentLeaseHolds() {
    enqueue("d1", A, T0);
    ClaimedDelivery mine = claim("node-a", T0, 10).get(0);
    ClaimedDelivery theirs = claim("node-b", T0.plus(LEASE), 10).get(0);

    assertThat(store.release(List.of(mine), T0.plus(LEASE), clock.instant()))
        .containsExactly(false);

    assertThat(claim("node-c", T0.plus(LEASE), 10)).isEmpty();
    assertThat(complete(succeeded(theirs, at(31)))).isTrue();
  }

  @Test
  void release_batch_answersForEachClaimInOrder() {
    enqueue("d1", A, T0);
    enqueue("d2", B, T0);
    List<ClaimedDelivery> claimed = claim(T0);

    assertThat(
            store.release(
                List.of(claimed.get(1), forged(claimed.get(0), "x", 1), claimed.get(0)),
                at(5),
                clock.instant()))
        .containsExactly(true, false, true);
  }

  // ------------------------------------------------------------------ ordering keys

  @Test
  void orderingKey_laterWaits_untilTheEarlierSucceeds() {
    enqueueKeyed("d1", A, T0, "k");
    enqueueKeyed("d2", A, T0, "k");

    ClaimedDelivery first = claimOne(T0);
    assertThat(first.deliveryId()).isEqualTo("d1");
    assertThat(claim(at(1))).isEmpty();

    complete(succeeded(first, at(1)));
    assertThat(ids(claim(at(1)))).containsExactly("d2");
  }

  @Test
  void orderingKey_laterWaits_untilTheEarlierIsDead() {
    enqueueKeyed("d1", A, T0, "k");
    enqueueKeyed("d2", A, T0, "k");
    ClaimedDelivery first = claimOne(T0);

    complete(dead(first, at(1)));

    assertThat(ids(claim(at(1)))).containsExactly("d2");
  }

  @Test
  void orderingKey_retryOfTheEarlier_keepsTheLaterWaiting() {
    enqueueKeyed("d1", A, T0, "k");
    enqueueKeyed("d2", A, at(1), "k");
    complete(retry(claimOne(T0), at(1), at(60)));

    assertThat(claim(at(10))).isEmpty();
    ClaimedDelivery again = claimOne(at(60));
    assertThat(again.deliveryId()).isEqualTo("d1");

    complete(succeeded(again, at(60)));
    assertThat(ids(claim(at(60)))).containsExactly("d2");
  }

  @Test
  void orderingKey_releaseOfTheEarlier_keepsTheLaterWaiting() {
    enqueueKeyed("d1", A, T0, "k");
    enqueueKeyed("d2", A, T0, "k");
    store.release(List.of(claimOne(T0)), at(20), clock.instant());

    assertThat(claim(at(10))).isEmpty();
    assertThat(ids(claim(at(20)))).containsExactly("d1");
  }

  @Test
  void orderingKey_expiredLeaseOfTheEarlier_makesTheEarlierClaimable_notTheLater() {
    enqueueKeyed("d1", A, T0, "k");
    enqueueKeyed("d2", A, T0, "k");
    claimOne(T0);

    assertThat(ids(claim("node-2", T0.plus(LEASE), 10))).containsExactly("d1");
  }

  @Test
  void orderingKey_followsEnqueueOrder_notCreationTime() {
    enqueueKeyed("d1", A, at(5), "k");
    enqueueKeyed("d2", A, T0, "k");

    assertThat(claim(at(1))).isEmpty();
    assertThat(ids(claim(at(5)))).containsExactly("d1");
  }

  @Test
  void orderingKey_differentKeys_areIndependent() {
    enqueueKeyed("d1", A, T0, "k1");
    enqueueKeyed("d2", A, T0, "k1");
    enqueueKeyed("d3", A, T0, "k2");
    enqueueKeyed("d4", A, T0, "k2");

    assertThat(ids(claim(T0))).containsExactly("d1", "d3");
  }

  @Test
  void orderingKey_sameKeyToDifferentEndpoints_areIndependent() {
    store.enqueue(
        List.of(keyedMessage("m1", T0, "k"), keyedMessage("m2", T0, "k")),
        List.of(
            new NewDelivery("a1", "m1", A),
            new NewDelivery("b1", "m1", B),
            new NewDelivery("a2", "m2", A),
            new NewDelivery("b2", "m2", B)));

    List<ClaimedDelivery> first = claim(T0);
    assertThat(ids(first)).containsExactly("a1", "b1");

    complete(succeeded(first.get(1), at(1)));
    assertThat(ids(claim(at(1)))).containsExactly("b2");
  }

  @Test
  void orderingKey_deliveriesWithoutAKey_areIndependent() {
    enqueue("d1", A, T0);
    enqueueKeyed("d2", A, T0, "k");
    enqueue("d3", A, T0);
    enqueueKeyed("d4", A, T0, "k");
    enqueue("d5", A, T0);

    assertThat(ids(claim(T0))).containsExactly("d1", "d2", "d3", "d5");
  }

  @Test
  void orderingKey_waitingDelivery_followsTheEarlierAcrossExcludedClaims() {
    enqueueKeyed("d1", A, T0, "k");
    enqueueKeyed("d2", A, T0, "k");
    ClaimedDelivery first = claimOne(T0);
    complete(succeeded(first, at(1)));

    assertThat(claim("n", at(1), 10, A)).isEmpty();
    assertThat(ids(claim("n", at(1), 10))).containsExactly("d2");
  }

  @Test
  void orderingKey_replayedEarlier_goesFirstAgain() {
    enqueueKeyed("d1", A, T0, "k");
    enqueueKeyed("d2", A, T0, "k");
    enqueueKeyed("d3", A, T0, "k");
    complete(dead(claimOne(T0), at(1)));

    assertThat(store.replay(List.of("d1"), at(2))).isEqualTo(1);

    ClaimedDelivery replayed = claimOne(at(2));
    assertThat(replayed.deliveryId()).isEqualTo("d1");
    assertThat(claim(at(3))).isEmpty();
    complete(succeeded(replayed, at(3)));
    assertThat(ids(claim(at(3)))).containsExactly("d2");
  }

  @Test
  void orderingKey_replayedEarlier_waitsWhileALaterOneIsInFlight() {
    enqueueKeyed("d1", A, T0, "k");
    enqueueKeyed("d2", A, T0, "k");
    enqueueKeyed("d3", A, T0, "k");
    complete(dead(claimOne(T0), at(1)));
    ClaimedDelivery second = claimOne(at(1));
    assertThat(second.deliveryId()).isEqualTo("d2");

    store.replay(List.of("d1"), at(2));

    assertThat(claim(at(2))).isEmpty();
    complete(succeeded(second, at(3)));
    ClaimedDelivery replayed = claimOne(at(3));
    assertThat(replayed.deliveryId()).isEqualTo("d1");
    complete(succeeded(replayed, at(4)));
    assertThat(ids(claim(at(4)))).containsExactly("d3");
  }

  // ------------------------------------------------------------------ attempt log and queries

  @Test
  void delivery_unknown_isEmpty() {
    assertThat(store.delivery("nope")).isEmpty();
  }

  @Test
  void attemptsForEvent_acrossEndpoints_oldestFirst() {
    store.enqueue(
        List.of(message("m1", T0)),
        List.of(new NewDelivery("d1", "m1", A), new NewDelivery("d2", "m1", B)));
    enqueue("other", A, T0);
    List<ClaimedDelivery> claimed = claim(T0);
    ClaimedDelivery a = claimed.get(0);
    ClaimedDelivery b = claimed.get(1);
    complete(retry(a, at(1), at(10)));
    complete(succeeded(b, at(2)));
    complete(succeeded(claimed.get(2), at(3)));
    ClaimedDelivery a2 = claimOne(at(10));
    complete(succeeded(a2, at(10)));

    assertThat(store.attemptsForEvent("evt_m1"))
        .containsExactly(attempt(a, at(1), 500), attempt(b, at(2), 200), attempt(a2, at(10), 200));
    assertThat(store.attemptsForEvent("evt_nope")).isEmpty();
  }

  @Test
  void attemptsForEndpoint_fromATime_oldestFirst_upToALimit() {
    enqueue("d1", A, T0);
    enqueue("d2", A, T0);
    enqueue("d3", B, T0);
    List<ClaimedDelivery> c = claim(T0);
    complete(retry(c.get(0), at(1), at(5)));
    complete(succeeded(c.get(2), at(2)));
    complete(succeeded(c.get(1), at(3)));
    ClaimedDelivery again = claimOne(at(5));
    complete(succeeded(again, at(6)));

    AttemptRecord first = attempt(c.get(0), at(1), 500);
    AttemptRecord second = attempt(c.get(1), at(3), 200);
    AttemptRecord third = attempt(again, at(6), 200);
    assertThat(store.attemptsForEndpoint(A, T0, 100)).containsExactly(first, second, third);
    assertThat(store.attemptsForEndpoint(A, at(2), 100)).containsExactly(second, third);
    assertThat(store.attemptsForEndpoint(A, at(3), 100)).containsExactly(second, third);
    assertThat(store.attemptsForEndpoint(A, T0, 2)).containsExactly(first, second);
    assertThat(store.attemptsForEndpoint(B, T0, 100))
        .containsExactly(attempt(c.get(2), at(2), 200));
    assertThat(store.attemptsForEndpoint(C, T0, 100)).isEmpty();
  }

  @Test
  void lastAttempt_isTheLatest() {
    enqueue("d1", A, T0);
    ClaimedDelivery c1 = claimOne(T0);
    complete(retry(c1, at(1), at(5)));
    ClaimedDelivery c2 = claimOne(at(5));
    complete(retry(c2, at(5), at(10)));

    DeliveryRecord d1 = record("d1");
    assertThat(d1.attempts()).isEqualTo(2);
    assertThat(d1.lastAttempt()).contains(attempt(c2, at(5), 500));
    assertThat(d1.lastAttempt().orElseThrow().attemptNumber()).isEqualTo(2);
  }

  @Test
  void deliveries_filterByEndpointEventStateAndCreation_newestFirst() {
    store.enqueue(
        List.of(message("e1", T0)),
        List.of(new NewDelivery("e1a", "e1", A), new NewDelivery("e1b", "e1", B)));
    store.enqueue(List.of(message("e2", at(10))), List.of(new NewDelivery("e2a", "e2", A)));
    store.enqueue(List.of(message("e3", at(20))), List.of(new NewDelivery("e3a", "e3", A)));
    List<ClaimedDelivery> claimed = claim(at(20));
    complete(dead(claimed.get(3), at(21)));
    complete(succeeded(claimed.get(1), at(21)));

    assertThat(recordIds(store.deliveries(DeliveryQuery.forEvent("evt_e1"))))
        .containsExactlyInAnyOrder("e1a", "e1b");
    assertThat(
            recordIds(
                store.deliveries(DeliveryQuery.forEndpoint(A, DeliveryState.PENDING, T0, 10))))
        .containsExactly("e2a", "e1a");
    assertThat(
            recordIds(
                store.deliveries(DeliveryQuery.forEndpoint(A, DeliveryState.PENDING, at(5), 10))))
        .containsExactly("e2a");
    assertThat(
            recordIds(
                store.deliveries(DeliveryQuery.forEndpoint(A, DeliveryState.PENDING, T0, 1))))
        .containsExactly("e2a");
    assertThat(
            recordIds(store.deliveries(DeliveryQuery.forEndpoint(A, DeliveryState.DEAD, T0, 10))))
        .containsExactly("e3a");
    assertThat(
            recordIds(
                store.deliveries(
                    DeliveryQuery.forEndpoint(B, DeliveryState.SUCCEEDED, T0, 10))))
        .containsExactly("e1b");
    assertThat(
            recordIds(
                store.deliveries(
                    new DeliveryQuery(
                        Optional.empty(), Optional.empty(), Optional.empty(), T0, 100))))
        .startsWith("e3a", "e2a")
        .hasSize(4);
    assertThat(
            recordIds(
                store.deliveries(
                    new DeliveryQuery(
                        Optional.of(A), Optional.of("evt_e1"), Optional.empty(), T0, 100))))
        .containsExactly("e1a");
    assertThat(
            store.deliveries(DeliveryQuery.forEndpoint(C, DeliveryState.PENDING, T0, 10)))
        .isEmpty();
  }

  @Test
  void deliveries_carryTheSameRecordAsDelivery() {
    enqueue("d1", A, T0);
    complete(retry(claimOne(T0), at(1), at(9)));

    assertThat(store.deliveries(DeliveryQuery.forEvent("evt_m_d1")))
        .containsExactly(record("d1"));
  }

  /**
   * Enqueues a delivery of its own message {@code "m_" + deliveryId}, of event {@code "evt_m_" +
   * deliveryId} and the given type.
   */
  private void enqueueTyped(String deliveryId, String endpointId, Instant createdAt, String type) {
    NewMessage m = message("m_" + deliveryId, createdAt);
    store.enqueue(
        List.of(
            new NewMessage(
                m.messageId(), m.eventId(), type, createdAt, m.body(), Optional.empty(),
                Optional.empty())),
        List.of(new NewDelivery(deliveryId, m.messageId(), endpointId)));
  }

  private static ClaimedDelivery claimed(List<ClaimedDelivery> claims, String deliveryId) {
    return claims.stream()
        .filter(c -> c.deliveryId().equals(deliveryId))
        .findFirst()
        .orElseThrow();
  }

  private List<String> query(DeliveryQuery.Builder query) {
    return recordIds(store.deliveries(query.build()));
  }

  /**
   * Six deliveries: d1 (A, started, T0, pending), d2 (B, goal, 10 s, succeeded), d3 (A, goal,
   * 20 s, dead), d4 (C, started, 30 s, pending), and one event of type stopped at 40 s to A (d5a)
   * and B (d5b), both pending.
   */
  private void enqueueSixForQueries() {
    enqueueTyped("d1", A, T0, "experience.started");
    enqueueTyped("d2", B, at(10), "goal.achieved");
    enqueueTyped("d3", A, at(20), "goal.achieved");
    enqueueTyped("d4", C, at(30), "experience.started");
    NewMessage m5 = message("e5", at(40));
    store.enqueue(
        List.of(
            new NewMessage(
                m5.messageId(), m5.eventId(), "experience.stopped", at(40), m5.body(),
                Optional.empty(), Optional.empty())),
        List.of(new NewDelivery("d5b", "e5", B), new NewDelivery("d5a", "e5", A)));
    List<ClaimedDelivery> claims = claim(at(40));
    complete(succeeded(claimed(claims, "d2"), at(41)));
    complete(dead(claimed(claims, "d3"), at(41)));
  }

  @Test
  void deliveries_eachFilterAlone() {
    enqueueSixForQueries();

    assertThat(query(DeliveryQuery.builder()))
        .containsExactly("d5b", "d5a", "d4", "d3", "d2", "d1");
    assertThat(query(DeliveryQuery.builder().endpointId(A))).containsExactly("d5a", "d3", "d1");
    assertThat(query(DeliveryQuery.builder().endpointId("ep_unknown"))).isEmpty();
    assertThat(query(DeliveryQuery.builder().eventId("evt_e5"))).containsExactly("d5b", "d5a");
    assertThat(query(DeliveryQuery.builder().eventId("evt_m_d3"))).containsExactly("d3");
    assertThat(query(DeliveryQuery.builder().state(DeliveryState.PENDING)))
        .containsExactly("d5b", "d5a", "d4", "d1");
    assertThat(query(DeliveryQuery.builder().state(DeliveryState.SUCCEEDED)))
        .containsExactly("d2");
    assertThat(query(DeliveryQuery.builder().state(DeliveryState.DEAD))).containsExactly("d3");
    assertThat(query(DeliveryQuery.builder().eventType("goal.achieved")))
        .containsExactly("d3", "d2");
    assertThat(query(DeliveryQuery.builder().eventType("experience.started")))
        .containsExactly("d4", "d1");
    assertThat(query(DeliveryQuery.builder().eventType("experience"))).as("exact, no prefix")
        .isEmpty();
    assertThat(query(DeliveryQuery.builder().eventType("experience.*"))).as("exact, no pattern")
        .isEmpty();
    assertThat(query(DeliveryQuery.builder().eventType("Goal.Achieved"))).as("case matters")
        .isEmpty();
    assertThat(query(DeliveryQuery.builder().createdSince(at(20))))
        .containsExactly("d5b", "d5a", "d4", "d3");
    assertThat(query(DeliveryQuery.builder().createdBefore(at(20)))).containsExactly("d2", "d1");
    assertThat(query(DeliveryQuery.builder().limit(3))).containsExactly("d5b", "d5a", "d4");
    assertThat(query(DeliveryQuery.builder().after(record("d4")))).containsExactly("d3", "d2", "d1");
  }

  @Test
  void deliveries_filtersCombine() {
    enqueueSixForQueries();

    assertThat(query(DeliveryQuery.builder().endpointId(A).eventType("goal.achieved")))
        .containsExactly("d3");
    assertThat(query(DeliveryQuery.builder().endpointId(A).state(DeliveryState.PENDING)))
        .containsExactly("d5a", "d1");
    assertThat(
            query(
                DeliveryQuery.builder()
                    .endpointId(A)
                    .state(DeliveryState.PENDING)
                    .createdSince(at(1))))
        .containsExactly("d5a");
    assertThat(
            query(
                DeliveryQuery.builder()
                    .eventType("experience.started")
                    .state(DeliveryState.PENDING)
                    .createdBefore(at(30))))
        .containsExactly("d1");
    assertThat(
            query(
                DeliveryQuery.builder()
                    .state(DeliveryState.PENDING)
                    .createdSince(at(30))
                    .createdBefore(at(40))))
        .containsExactly("d4");
    assertThat(
            query(
                DeliveryQuery.builder()
                    .endpointId(B)
                    .eventId("evt_e5")
                    .state(DeliveryState.PENDING)
                    .eventType("experience.stopped")
                    .createdSince(at(40))
                    .createdBefore(at(41))
                    .limit(1)))
        .containsExactly("d5b");
    assertThat(
            query(
                DeliveryQuery.builder()
                    .state(DeliveryState.PENDING)
                    .after(record("d5a"))
                    .limit(1)))
        .containsExactly("d4");
    assertThat(query(DeliveryQuery.builder().endpointId(C).eventType("goal.achieved"))).isEmpty();
    assertThat(query(DeliveryQuery.builder().endpointId(A).eventId("evt_m_d2"))).isEmpty();
    assertThat(query(DeliveryQuery.builder().eventId("evt_e5").state(DeliveryState.DEAD)))
        .isEmpty();
  }

  @Test
  void deliveries_timeWindow_includesCreatedSince_excludesCreatedBefore_toTheNanosecond() {
    Instant t = at(20);
    enqueue("before", A, t.minusNanos(1));
    enqueue("at", A, t);
    enqueue("justAfter", A, t.plusNanos(1));
    enqueue("end", A, at(30));
    enqueue("later", A, at(30).plusNanos(1));

    assertThat(query(DeliveryQuery.builder().createdSince(t).createdBefore(at(30))))
        .containsExactly("justAfter", "at");
    assertThat(query(DeliveryQuery.builder().createdSince(t).createdBefore(t.plusNanos(1))))
        .containsExactly("at");
    assertThat(query(DeliveryQuery.builder().createdSince(t.plusNanos(1))))
        .containsExactly("later", "end", "justAfter");
    assertThat(query(DeliveryQuery.builder().endpointId(A).createdBefore(t)))
        .containsExactly("before");
    assertThat(query(DeliveryQuery.builder().createdBefore(t.minusNanos(1)))).isEmpty();
  }

  @Test
  void deliveries_createdAtTheSameInstant_areOrderedByIdDescending_notByEnqueueOrder() {
    enqueue("d2", A, T0);
    enqueue("d3", B, T0);
    enqueue("d1", A, T0);
    enqueue("d0", A, at(1));
    enqueue("d9", A, T0.minusSeconds(1));

    assertThat(query(DeliveryQuery.builder())).containsExactly("d0", "d3", "d2", "d1", "d9");
    assertThat(query(DeliveryQuery.builder().endpointId(A)))
        .containsExactly("d0", "d2", "d1", "d9");
  }

  @Test
  void deliveries_afterACursor_startRightAfterItsPosition_whetherOrNotADeliveryHoldsIt() {
    enqueue("d1", A, T0);
    enqueue("d2", A, T0);
    enqueue("d3", A, T0);
    enqueue("d4", A, at(1));

    assertThat(query(DeliveryQuery.builder().after(new DeliveryQuery.Cursor(T0, "d3"))))
        .containsExactly("d2", "d1");
    assertThat(query(DeliveryQuery.builder().after(new DeliveryQuery.Cursor(T0, "d25"))))
        .containsExactly("d2", "d1");
    assertThat(query(DeliveryQuery.builder().after(new DeliveryQuery.Cursor(T0, "zzz"))))
        .containsExactly("d3", "d2", "d1");
    assertThat(query(DeliveryQuery.builder().after(new DeliveryQuery.Cursor(T0, "d1")))).isEmpty();
    assertThat(query(DeliveryQuery.builder().after(new DeliveryQuery.Cursor(at(2), ""))))
        .containsExactly("d4", "d3", "d2", "d1");
    assertThat(query(DeliveryQuery.builder().after(new DeliveryQuery.Cursor(at(1), ""))))
        .containsExactly("d3", "d2", "d1");
  }

  @Test
  void deliveries_pagedAfterTheLastOfEachPage_visitEveryDeliveryOnce_acrossEqualCreationTimes() {
    // 40 deliveries, four to an instant, so that page boundaries fall inside groups of equal
    // creation times; ids and enqueue order shuffled, so that neither follows creation time.
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ids.add(String.format("p%02d", i));
    }
    Random random = new Random(42);
    java.util.Collections.shuffle(ids, random);
    List<DeliveryRecord> all = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      enqueue(ids.get(i), i % 3 == 0 ? B : A, at(i / 4));
    }
    for (String id : ids) {
      all.add(record(id));
    }
    java.util.Comparator<DeliveryRecord> newestFirst =
        java.util.Comparator.comparing(DeliveryRecord::createdAt)
            .thenComparing(DeliveryRecord::deliveryId)
            .reversed();

    for (DeliveryQuery first :
        List.of(
            DeliveryQuery.builder().limit(3).build(),
            DeliveryQuery.builder().limit(4).build(),
            DeliveryQuery.builder().endpointId(A).limit(5).build(),
            DeliveryQuery.builder()
                .createdSince(at(2))
                .createdBefore(at(8))
                .state(DeliveryState.PENDING)
                .limit(3)
                .build())) {
      List<String> expected =
          all.stream()
              .filter(d -> first.endpointId().map(d.endpointId()::equals).orElse(true))
              .filter(d -> !d.createdAt().isBefore(first.createdSince()))
              .filter(d -> first.createdBefore().map(d.createdAt()::isBefore).orElse(true))
              .sorted(newestFirst)
              .map(DeliveryRecord::deliveryId)
              .collect(Collectors.toList());
      List<String> paged = new ArrayList<>();
      DeliveryQuery query = first;
      int pages = 0;
      while (true) {
        List<DeliveryRecord> page = store.deliveries(query);
        assertThat(page.size()).as("page %d of %s", pages, first).isLessThanOrEqualTo(first.limit());
        if (page.isEmpty()) {
          break;
        }
        paged.addAll(recordIds(page));
        query = query.toBuilder().after(page.get(page.size() - 1)).build();
        pages++;
        assertThat(pages).as("pages of %s", first).isLessThanOrEqualTo(expected.size());
      }
      assertThat(paged).as("%s", first).containsExactlyElementsOf(expected);
      assertThat(new HashSet<>(paged)).as("%s", first).hasSameSizeAs(paged);
    }
  }

  @Test
  void count_followsEveryTransition() {
    for (int i = 1; i <= 4; i++) {
      enqueue("d" + i, A, T0);
    }
    assertThat(store.count(DeliveryState.PENDING)).isEqualTo(4);
    List<ClaimedDelivery> c = claim(T0);
    assertThat(store.count(DeliveryState.PENDING)).isEqualTo(4);

    complete(succeeded(c.get(0), at(1)));
    complete(dead(c.get(1), at(1)));
    complete(retry(c.get(2), at(1), at(5)));
    store.release(List.of(c.get(3)), at(5), clock.instant());
    assertThat(store.count(DeliveryState.PENDING)).isEqualTo(2);
    assertThat(store.count(DeliveryState.SUCCEEDED)).isEqualTo(1);
    assertThat(store.count(DeliveryState.DEAD)).isEqualTo(1);

    store.replay(List.of("d2"), at(6));
    assertThat(store.count(DeliveryState.PENDING)).isEqualTo(3);
    assertThat(store.count(DeliveryState.DEAD)).isZero();
  }

  // ------------------------------------------------------------------ replay

  @Test
  void replay_revivesDeadDeliveries_dueNow_attemptsReset_logKept() {
    enqueue("d1", A, T0);
    ClaimedDelivery c = claimOne(T0);
    complete(retry(c, at(1), at(2)));
    ClaimedDelivery c2 = claimOne(at(2));
    complete(dead(c2, at(2)));

    assertThat(store.replay(List.of("d1"), at(100))).isEqualTo(1);

    DeliveryRecord d1 = record("d1");
    assertThat(d1.state()).isEqualTo(DeliveryState.PENDING);
    assertThat(d1.attempts()).isZero();
    assertThat(d1.nextAttemptAt()).isEqualTo(at(100));
    assertThat(store.attemptsForEvent("evt_m_d1"))
        .containsExactly(attempt(c, at(1), 500), attempt(c2, at(2), 500));
    assertThat(claim(at(99))).isEmpty();
    ClaimedDelivery again = claimOne(at(100));
    assertThat(again.attempts()).isZero();
    complete(succeeded(again, at(100)));
    assertThat(store.attemptsForEvent("evt_m_d1")).hasSize(3);
  }

  @Test
  void replay_leavesDeliveriesThatAreNotDeadAlone() {
    enqueue("dead", A, T0);
    enqueue("pending", A, T0);
    enqueue("succeeded", A, T0);
    enqueue("waiting", A, at(50));
    List<ClaimedDelivery> c = claim(T0);
    complete(dead(c.get(0), at(1)));
    complete(retry(c.get(1), at(1), at(40)));
    complete(succeeded(c.get(2), at(1)));

    assertThat(
            store.replay(
                List.of("dead", "pending", "succeeded", "waiting", "unknown", "dead"), at(5)))
        .isEqualTo(1);

    assertThat(record("pending").nextAttemptAt()).isEqualTo(at(40));
    assertThat(record("pending").attempts()).isEqualTo(1);
    assertThat(record("succeeded").state()).isEqualTo(DeliveryState.SUCCEEDED);
    assertThat(record("waiting").nextAttemptAt()).isEqualTo(at(50));
    assertThat(ids(claim(at(5)))).containsExactly("dead");
  }

  @Test
  void replay_nothingToReplay_revivesNone() {
    assertThat(store.replay(List.of(), T0)).isZero();
  }

  // ------------------------------------------------------------------ prune

  @Test
  void prune_deletesSucceededDeliveriesUpdatedBeforeTheCutOff_withTheirAttempts() {
    enqueue("old", A, T0);
    enqueue("new", A, T0);
    enqueue("dead", A, T0);
    enqueue("pending", A, T0);
    List<ClaimedDelivery> c = claim(T0);
    clock.set(at(10));
    complete(succeeded(c.get(0), at(1)));
    clock.set(at(5));
    complete(dead(c.get(2), at(1)));
    complete(retry(c.get(3), at(1), at(3)));
    clock.set(at(20));
    complete(succeeded(c.get(1), at(1)));

    assertThat(store.prune(at(15))).isEqualTo(1);

    assertThat(store.delivery("old")).isEmpty();
    assertThat(store.attemptsForEvent("evt_m_old")).isEmpty();
    assertThat(store.deliveries(DeliveryQuery.forEvent("evt_m_old"))).isEmpty();
    assertThat(record("new").state()).isEqualTo(DeliveryState.SUCCEEDED);
    assertThat(record("dead").state()).isEqualTo(DeliveryState.DEAD);
    assertThat(store.attemptsForEvent("evt_m_dead")).hasSize(1);
    assertThat(record("pending").state()).isEqualTo(DeliveryState.PENDING);
    assertThat(store.count(DeliveryState.SUCCEEDED)).isEqualTo(1);
    assertThat(store.attemptsForEndpoint(A, T0, 100)).hasSize(3);
  }

  @Test
  void prune_cutOffIsExclusive() {
    enqueue("d1", A, T0);
    clock.set(at(10));
    complete(succeeded(claimOne(T0), at(1)));

    assertThat(store.prune(at(10))).isZero();
    assertThat(store.prune(at(10).plusMillis(1))).isEqualTo(1);
    assertThat(store.prune(at(100))).isZero();
  }

  @Test
  void pruneWithLimit_deletesTheOldestFirst_andNoMoreThanTheLimit() {
    enqueue("d1", A, T0);
    enqueue("d2", A, T0);
    enqueue("d3", A, T0);
    List<ClaimedDelivery> c = claim(T0);
    for (int i = 0; i < 3; i++) {
      clock.set(at(3 - i)); // d1 finishes last, d3 first
      complete(succeeded(c.get(i), T0));
    }

    assertThat(store.prune(at(10), 2)).isEqualTo(2);
    assertThat(store.delivery("d3")).isEmpty();
    assertThat(store.delivery("d2")).isEmpty();
    assertThat(record("d1").state()).isEqualTo(DeliveryState.SUCCEEDED);
    assertThat(store.prune(at(10), 2)).isEqualTo(1);
    assertThat(store.prune(at(10), 2)).isZero();
    assertThatThrownBy(() -> store.prune(at(10), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
  }

  @Test
  void prune_manyMoreThanOneStep_deletesThemAll() {
    int n = 1_234;
    List<NewMessage> messages = new ArrayList<>();
    List<NewDelivery> deliveries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      messages.add(message("m" + i, T0));
      deliveries.add(new NewDelivery("d" + i, "m" + i, A));
    }
    store.enqueue(messages, deliveries);
    List<Completion> done = new ArrayList<>();
    for (ClaimedDelivery c : store.claim(new ClaimRequest("n", T0, LEASE, n, Set.of()))) {
      done.add(succeeded(c, T0));
    }
    assertThat(done).hasSize(n);
    assertThat(store.complete(done, clock.instant())).containsOnly(true);
    clock.set(at(10));

    assertThat(store.prune(at(10), 700)).isEqualTo(700);
    assertThat(store.prune(at(10))).isEqualTo(n - 700);
    assertThat(store.count(DeliveryState.SUCCEEDED)).isZero();
    assertThat(store.deliveries(DeliveryQuery.forEvent("evt_m1"))).isEmpty();
  }

  @Test
  void prune_keepsPendingAndDeadDeliveries_howeverOld() {
    enqueue("dead", A, T0);
    enqueue("pending", A, T0);
    complete(dead(claim("n", T0, 1).get(0), at(1)));

    assertThat(store.prune(at(1_000_000))).isZero();

    assertThat(store.count(DeliveryState.DEAD)).isEqualTo(1);
    assertThat(store.count(DeliveryState.PENDING)).isEqualTo(1);
    assertThat(ids(claim(at(1_000_000)))).containsExactly("pending");
  }

  @Test
  void prune_deletesMessagesNoDeliveryNeeds_keepsTheOthers() {
    store.enqueue(
        List.of(message("shared", T0), message("alone", T0)),
        List.of(
            new NewDelivery("s1", "shared", A),
            new NewDelivery("s2", "shared", B),
            new NewDelivery("a1", "alone", A)));
    List<ClaimedDelivery> c = claim(T0);
    complete(succeeded(c.get(0), at(1)));
    complete(dead(c.get(1), at(1)));
    complete(succeeded(c.get(2), at(1)));
    clock.set(at(10));

    assertThat(store.prune(at(10))).isEqualTo(2);

    // "shared" is still needed by its dead delivery: stored, its id taken.
    assertThatThrownBy(() -> store.enqueue(List.of(message("shared", at(10))), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    store.enqueue(List.of(), List.of(new NewDelivery("s3", "shared", C)));
    assertThat(claimOne(at(10)).body()).isEqualTo(message("shared", T0).body());
    assertThat(recordIds(store.deliveries(DeliveryQuery.forEvent("evt_shared"))))
        .containsExactlyInAnyOrder("s2", "s3");
    // "alone" is gone: its id is free and deliveries can no longer name it.
    assertThatThrownBy(
            () -> store.enqueue(List.of(), List.of(new NewDelivery("a2", "alone", A))))
        .isInstanceOf(IllegalArgumentException.class);
    store.enqueue(List.of(message("alone", at(10))), List.of(new NewDelivery("a3", "alone", A)));
    assertThat(store.delivery("a3")).isPresent();
  }

  // ------------------------------------------------------------------ nextDueAt

  @Test
  void nextDueAt_emptyStore_hasNothingDue() {
    assertThat(store.nextDueAt(clock.instant())).isEmpty();
  }

  @Test
  void nextDueAt_isTheEarliestDueTime_futureOrPast() {
    enqueue("d1", A, at(30));
    enqueue("d2", B, at(10));
    enqueue("d3", C, at(20));

    assertThat(store.nextDueAt(clock.instant())).contains(at(10));
  }

  @Test
  void nextDueAt_countsDeliveriesToExcludedEndpoints() {
    enqueue("a1", A, at(5));
    enqueue("b1", B, at(50));
    claim("n", at(60), 10, A).forEach(c -> complete(succeeded(c, at(60))));

    assertThat(store.nextDueAt(clock.instant())).contains(at(5));
  }

  @Test
  void nextDueAt_leasedDelivery_countsAtItsLeaseExpiry() {
    enqueue("d1", A, T0);
    enqueue("d2", A, at(100));
    ClaimedDelivery c = claim("n", T0, 1).get(0);

    assertThat(store.nextDueAt(clock.instant())).contains(T0.plus(LEASE));

    complete(succeeded(c, at(1)));
    assertThat(store.nextDueAt(clock.instant())).contains(at(100));
  }

  @Test
  void nextDueAt_retriedDelivery_countsAtItsNextAttempt() {
    enqueue("d1", A, T0);
    complete(retry(claimOne(T0), at(1), at(300)));

    assertThat(store.nextDueAt(clock.instant())).contains(at(300));
  }

  @Test
  void nextDueAt_nothingPending_hasNothingDue() {
    enqueue("d1", A, T0);
    enqueue("d2", A, T0);
    List<ClaimedDelivery> c = claim(T0);
    complete(succeeded(c.get(0), at(1)));
    complete(dead(c.get(1), at(1)));

    assertThat(store.nextDueAt(clock.instant())).isEmpty();
  }

  @Test
  void nextDueAt_leaseExpiredAtNow_countsAtItsDeliverysDueTime() {
    enqueueKeyed("d1", A, T0, "k");
    enqueueKeyed("d2", A, at(1), "k");
    claimOne(T0);

    // Leased: the lease's end counts, not the later delivery waiting behind it.
    assertThat(store.nextDueAt(at(2))).contains(T0.plus(LEASE));
    // Expired at now: the delivery is claimable again, and has been due since T0.
    assertThat(store.nextDueAt(T0.plus(LEASE))).contains(T0);
  }

  // ------------------------------------------------------------------ time

  @Test
  void completeAndRelease_updateTheDelivery_atTheGivenNow() {
    enqueue("d1", A, T0);
    enqueue("d2", B, T0);
    List<ClaimedDelivery> c = claim(T0);

    assertThat(store.complete(List.of(retry(c.get(0), at(1), at(20))), at(7)))
        .containsExactly(true);
    assertThat(store.release(List.of(c.get(1)), at(30), at(8))).containsExactly(true);

    assertThat(record("d1").updatedAt()).isEqualTo(at(7));
    assertThat(record("d2").updatedAt()).isEqualTo(at(8));
  }

  @Test
  void theTime_isRequired() {
    assertThatThrownBy(() -> store.complete(List.of(), null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.release(List.of(), T0, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.nextDueAt(null)).isInstanceOf(NullPointerException.class);
  }

  // ------------------------------------------------------------------ endpoints

  private static StoredEndpoint endpoint(String id, String config) {
    return StoredEndpoint.of(id, config, T0);
  }

  private StoredEndpoint stored(String id) {
    return store.endpoint(id).orElseThrow();
  }

  @Test
  void endpoints_emptyStore_hasNone() {
    assertThat(store.endpoints()).isEmpty();
    assertThat(store.endpoint(A)).isEmpty();
    assertThat(store.deleteEndpoint(A)).isFalse();
    assertThat(store.updateEndpoint(endpoint(A, "{}"), 0)).isFalse();
    assertThat(store.endpointRevision()).isZero();
  }

  @Test
  void endpoints_inserted_areReadBackWithAVersionAndListedInInsertOrder() {
    assertThat(store.insertEndpoint(endpoint(C, "{\"c\":1}"))).isTrue();
    assertThat(store.insertEndpoint(endpoint(A, "{\"a\":1}"))).isTrue();
    assertThat(store.insertEndpoint(endpoint(B, "{\"b\":1}"))).isTrue();

    assertThat(store.endpoints()).extracting(StoredEndpoint::endpointId).containsExactly(C, A, B);
    StoredEndpoint a = stored(A);
    assertThat(a.config()).isEqualTo("{\"a\":1}");
    assertThat(a.failingSince()).isEmpty();
    assertThat(a.updatedAt()).isEqualTo(T0);
    assertThat(a.version()).isPositive().isGreaterThan(stored(C).version());
    assertThat(stored(B).version()).isGreaterThan(a.version());
    assertThat(store.endpointRevision()).isGreaterThanOrEqualTo(stored(B).version());
  }

  @Test
  void endpoints_insertingATakenId_changesNothing() {
    store.insertEndpoint(endpoint(A, "{\"first\":1}"));
    long revision = store.endpointRevision();

    assertThat(store.insertEndpoint(endpoint(A, "{\"second\":1}"))).isFalse();

    assertThat(stored(A).config()).isEqualTo("{\"first\":1}");
    assertThat(store.endpointRevision()).isEqualTo(revision);
  }

  @Test
  void endpoints_updated_onlyFromTheCurrentVersion_inPlace() {
    store.insertEndpoint(endpoint(A, "{}"));
    store.insertEndpoint(endpoint(B, "{}"));
    StoredEndpoint a = stored(A);
    long revision = store.endpointRevision();

    StoredEndpoint changed = a.with("{\"v\":2}", Optional.of(at(3)), at(5));
    assertThat(store.updateEndpoint(changed, a.version())).isTrue();

    StoredEndpoint after = stored(A);
    assertThat(after.config()).isEqualTo("{\"v\":2}");
    assertThat(after.failingSince()).contains(at(3));
    assertThat(after.updatedAt()).isEqualTo(at(5));
    assertThat(after.version()).isGreaterThan(a.version());
    assertThat(store.endpointRevision()).isGreaterThan(revision);
    assertThat(store.endpoints()).extracting(StoredEndpoint::endpointId).containsExactly(A, B);

    // A change computed from the old version loses: the caller reads again.
    assertThat(store.updateEndpoint(a.with("{\"v\":3}", Optional.empty(), at(6)), a.version()))
        .isFalse();
    assertThat(stored(A).config()).isEqualTo("{\"v\":2}");

    StoredEndpoint healthy = after.with("{\"v\":2}", Optional.empty(), at(7));
    assertThat(store.updateEndpoint(healthy, after.version())).isTrue();
    assertThat(stored(A).failingSince()).isEmpty();
  }

  @Test
  void endpoints_deleted_isGone_andInsertedAgainComesLast() {
    store.insertEndpoint(endpoint(A, "{}"));
    store.insertEndpoint(endpoint(B, "{}"));
    long version = stored(A).version();
    long revision = store.endpointRevision();

    assertThat(store.deleteEndpoint(A)).isTrue();
    assertThat(store.endpointRevision()).isGreaterThan(revision);
    assertThat(store.deleteEndpoint(A)).isFalse();
    assertThat(store.endpoint(A)).isEmpty();
    assertThat(store.endpoints()).extracting(StoredEndpoint::endpointId).containsExactly(B);
    assertThat(store.updateEndpoint(endpoint(A, "{}"), version)).isFalse();

    store.insertEndpoint(endpoint(A, "{}"));
    assertThat(store.endpoints()).extracting(StoredEndpoint::endpointId).containsExactly(B, A);
    assertThat(stored(A).version()).isGreaterThan(version);
  }

  @Test
  void endpoints_concurrentUpdatesFromOneVersion_exactlyOneWins() throws Exception {
    store.insertEndpoint(endpoint(A, "{}"));
    StoredEndpoint a = stored(A);
    int threads = 8;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Boolean>> wins = new java.util.ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String config = "{\"writer\":" + i + "}";
        wins.add(pool.submit(() -> {
          go.await();
          return store.updateEndpoint(a.with(config, Optional.empty(), at(1)), a.version());
        }));
      }
      go.countDown();
      int won = 0;
      for (java.util.concurrent.Future<Boolean> w : wins) {
        won += w.get(30, java.util.concurrent.TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void endpoints_deletingAnEndpoint_keepsItsDeliveries() {
    store.insertEndpoint(endpoint(A, "{}"));
    enqueue("d1", A, T0);

    store.deleteEndpoint(A);

    assertThat(record("d1").state()).isEqualTo(DeliveryState.PENDING);
  }

  // ------------------------------------------------------------------ against a reference

  @Test
  void randomOperations_agreeWithTheReference() {
    for (long seed = 1; seed <= 4; seed++) {
      if (seed > 1) {
        store.close();
        store = newStore();
      }
      checkAgainstReference(seed, 400);
    }
  }

  /**
   * Runs random enqueues, claims (with random exclusions), completions (current, stale and
   * repeated), releases, replays and moves of time on {@link #store} and on a plain model of the
   * claiming rules, and checks that they agree at every step; then drains the store, to show
   * nothing was lost. Expects {@link #store} to be empty; a subclass may run more seeds, or more
   * operations, with a fresh store each time.
   *
   * @param seed the random seed, named in every failure
   * @param operations how many operations to run
   */
  protected void checkAgainstReference(long seed, int operations) {
    Random random = new Random(seed);
    ReferenceStore reference = new ReferenceStore();
    String[] endpoints = {A, B, C, "ep_d"};
    String[] keys = {null, null, "k1", "k2"};
    List<ClaimedDelivery> outstanding = new ArrayList<>();
    List<String> deliveryIds = new ArrayList<>();
    Instant now = T0;
    long lastToken = 0;
    for (int op = 0; op < operations; op++) {
      String where = "seed " + seed + ", operation " + op;
      int kind = random.nextInt(100);
      if (kind < 25) {
        String messageId = "m" + op;
        String key = keys[random.nextInt(keys.length)];
        Instant createdAt = now.plusSeconds(random.nextInt(20) - 10);
        NewMessage m =
            key == null ? message(messageId, createdAt) : keyedMessage(messageId, createdAt, key);
        List<NewDelivery> batch = new ArrayList<>();
        int first = random.nextInt(endpoints.length);
        int count = 1 + random.nextInt(3);
        for (int j = 0; j < count; j++) {
          String endpointId = endpoints[(first + j) % endpoints.length];
          String deliveryId = "d" + op + "_" + j;
          batch.add(new NewDelivery(deliveryId, messageId, endpointId));
          reference.enqueue(deliveryId, endpointId, key, createdAt);
          deliveryIds.add(deliveryId);
        }
        store.enqueue(List.of(m), batch);
      } else if (kind < 50) {
        String owner = "node-" + random.nextInt(3);
        int limit = random.nextInt(6);
        Set<String> excluded = new HashSet<>();
        for (String endpointId : endpoints) {
          if (random.nextInt(5) == 0) {
            excluded.add(endpointId);
          }
        }
        List<ClaimedDelivery> claimed =
            store.claim(new ClaimRequest(owner, now, LEASE, limit, excluded));
        List<ReferenceStore.Entry> expected = reference.claim(owner, now, LEASE, limit, excluded);
        assertThat(ids(claimed))
            .as(where)
            .containsExactlyElementsOf(
                expected.stream().map(e -> e.id).collect(Collectors.toList()));
        for (int j = 0; j < claimed.size(); j++) {
          ClaimedDelivery c = claimed.get(j);
          assertThat(c.attempts()).as(where).isEqualTo(expected.get(j).attempts);
          assertThat(c.claimToken()).as(where).isGreaterThan(lastToken);
          lastToken = c.claimToken();
          expected.get(j).token = c.claimToken();
        }
        outstanding.addAll(claimed);
      } else if (kind < 75 && !outstanding.isEmpty()) {
        ClaimedDelivery c = pick(random, outstanding);
        Instant next = now.plusSeconds(random.nextInt(30));
        int outcome = random.nextInt(10);
        Completion completion;
        if (outcome < 4) {
          completion = succeeded(c, now);
        } else if (outcome < 7) {
          completion = retry(c, now, next);
        } else if (outcome < 9) {
          completion = dead(c, now);
        } else {
          completion = new Completion(c, Optional.empty(), DeliveryState.DEAD, now);
        }
        assertThat(store.complete(List.of(completion), now))
            .as(where)
            .containsExactly(
                reference.complete(
                    c.deliveryId(),
                    c.leaseOwner(),
                    c.claimToken(),
                    completion.state(),
                    completion.attempt().isPresent(),
                    completion.nextAttemptAt(),
                    now));
      } else if (kind < 83 && !outstanding.isEmpty()) {
        ClaimedDelivery c = pick(random, outstanding);
        Instant dueAt = now.plusSeconds(random.nextInt(20));
        boolean released =
            reference.release(c.deliveryId(), c.leaseOwner(), c.claimToken(), dueAt, now);
        assertThat(store.release(List.of(c), dueAt, now)).as(where).containsExactly(released);
      } else if (kind < 88 && !deliveryIds.isEmpty()) {
        List<String> ids = new ArrayList<>();
        for (int j = random.nextInt(4); j >= 0; j--) {
          ids.add(deliveryIds.get(random.nextInt(deliveryIds.size())));
        }
        assertThat(store.replay(ids, now)).as(where).isEqualTo(reference.replay(ids, now));
      } else {
        now = now.plusSeconds(random.nextInt(25));
      }
      if (op % 50 == 0) {
        compareWithReference(reference, now, where);
      }
    }
    compareWithReference(reference, now, "seed " + seed + ", at the end");
    // Drain: far in the future every lease has expired and everything pending is claimable.
    Instant later = now.plus(Duration.ofDays(1));
    for (int round = 0; store.count(DeliveryState.PENDING) > 0; round++) {
      assertThat(round).as("seed %d: draining takes too many rounds", seed).isLessThan(1_000);
      List<ClaimedDelivery> claimed = claim("drain", later, 1_000);
      assertThat(claimed).as("seed %d: pending deliveries nobody can claim", seed).isNotEmpty();
      for (ClaimedDelivery c : claimed) {
        assertThat(store.complete(List.of(succeeded(c, later)), later)).containsExactly(true);
      }
    }
    assertThat(store.nextDueAt(later)).as("seed %d", seed).isEmpty();
  }

  private static ClaimedDelivery pick(Random random, List<ClaimedDelivery> claims) {
    int i = random.nextInt(claims.size());
    // Usually a claim is used once; sometimes it stays, to be used again (and refused).
    return random.nextInt(4) == 0 ? claims.get(i) : claims.remove(i);
  }

  private void compareWithReference(ReferenceStore reference, Instant now, String where) {
    for (ReferenceStore.Entry e : reference.entries()) {
      DeliveryRecord d = record(e.id);
      assertThat(d.state()).as("%s: %s", where, e.id).isEqualTo(e.state);
      assertThat(d.attempts()).as("%s: %s", where, e.id).isEqualTo(e.attempts);
      assertThat(d.updatedAt()).as("%s: %s updated", where, e.id).isEqualTo(e.updatedAt);
      if (e.state == DeliveryState.PENDING) {
        assertThat(d.nextAttemptAt()).as("%s: %s", where, e.id).isEqualTo(e.dueAt);
      }
    }
    for (DeliveryState state : DeliveryState.values()) {
      assertThat(store.count(state)).as("%s: %s", where, state).isEqualTo(reference.count(state));
    }
    assertThat(store.nextDueAt(now)).as("%s: nextDueAt", where).isEqualTo(reference.nextDueAt(now));
  }
}
