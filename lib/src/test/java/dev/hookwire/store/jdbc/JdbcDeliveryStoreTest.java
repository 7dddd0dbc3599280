package dev.hookwire.store.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.store.AttemptOutcome;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.StoreException;
import dev.hookwire.store.spi.ClaimRequest;
import dev.hookwire.store.spi.ClaimedDelivery;
import dev.hookwire.store.spi.Completion;
import dev.hookwire.store.spi.NewDelivery;
import dev.hookwire.store.spi.NewMessage;
import dev.hookwire.store.spi.StoredEndpoint;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.Databases.Kind;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.TestDataSource;
import dev.hookwire.testing.TestEvents;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the JDBC store does beyond the {@link dev.hookwire.store.spi.DeliveryStore} contract, on each
 * database: its schema, several nodes on one database, the transactional outbox, failures.
 */
class JdbcDeliveryStoreTest {
  private static final Instant T0 = TestEvents.T0;
  private static final Duration LEASE = Duration.ofSeconds(30);

  /** Per server, tables that tests not about the schema share, emptied before each. */
  private static final Map<Kind, String> SHARED = new EnumMap<>(Kind.class);

  private final MutableClock clock = MutableClock.at(T0);
  private final List<Runnable> cleanUp = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    Collections.reverse(cleanUp);
    cleanUp.forEach(Runnable::run);
  }

  @AfterAll
  static void dropSharedTables() {
    SHARED.forEach((kind, prefix) -> Databases.drop(Databases.open(kind), kind, prefix));
  }

  // ------------------------------------------------------------------ fixtures

  /** The kind's database; H2's is new, and dropped after the test. */
  private TestDataSource database(Kind kind) {
    TestDataSource database = Databases.open(kind);
    if (kind == Kind.H2) {
      cleanUp.add(database::close);
    }
    return database;
  }

  /** A data source of the test's own, closed after it. */
  private TestDataSource privateDatabase(Kind kind) {
    TestDataSource database = Databases.openPrivate(kind);
    cleanUp.add(database::close);
    return database;
  }

  /**
   * The prefix of tables for tests not about the schema: on a server, the class's shared tables,
   * created once and emptied now; on H2, a fresh prefix (the database is new anyway).
   */
  private String sharedPrefix(Kind kind) {
    if (kind == Kind.H2) {
      return Databases.uniquePrefix();
    }
    TestDataSource database = Databases.open(kind);
    String prefix = SHARED.get(kind);
    if (prefix == null) {
      prefix = Databases.uniquePrefix();
      store(database, prefix);
      SHARED.put(kind, prefix);
    }
    Databases.clear(database, prefix);
    return prefix;
  }

  /** A fresh table prefix, whose tables are dropped after the test. */
  private String prefix(Kind kind, TestDataSource database) {
    String prefix = Databases.uniquePrefix();
    cleanUp.add(() -> Databases.drop(database, kind, prefix));
    return prefix;
  }

  private JdbcDeliveryStore store(TestDataSource database, String prefix) {
    return JdbcDeliveryStore.builder(database).tablePrefix(prefix).build();
  }

  private static NewMessage message(String id, Instant createdAt, String key) {
    return new NewMessage(
        id,
        "evt_" + id,
        "experience.started",
        createdAt,
        ("{\"id\":\"" + id + "\"}").getBytes(UTF_8),
        Optional.ofNullable(key),
        Optional.empty());
  }

  private static void enqueue(JdbcDeliveryStore store, String deliveryId, String endpointId) {
    store.enqueue(
        List.of(message("m_" + deliveryId, T0, null)),
        List.of(new NewDelivery(deliveryId, "m_" + deliveryId, endpointId)));
  }

  private static List<ClaimedDelivery> claim(JdbcDeliveryStore store, String owner, int limit) {
    return store.claim(new ClaimRequest(owner, T0, LEASE, limit, Set.of()));
  }

  private static Completion succeeded(ClaimedDelivery c) {
    AttemptRecord attempt =
        new AttemptRecord(
            c.deliveryId(),
            c.endpointId(),
            c.eventId(),
            c.attempts() + 1,
            T0,
            Duration.ofMillis(5),
            AttemptOutcome.SUCCEEDED,
            200,
            Optional.empty(),
            "ok");
    return new Completion(c, Optional.of(attempt), DeliveryState.SUCCEEDED, T0);
  }

  private static List<String> ids(List<ClaimedDelivery> claimed) {
    List<String> ids = new ArrayList<>();
    claimed.forEach(c -> ids.add(c.deliveryId()));
    return ids;
  }

  private static long queryLong(TestDataSource database, String query) throws SQLException {
    try (Connection c = database.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void runScript(TestDataSource database, String script) throws SQLException {
    try (Connection c = database.getConnection();
        Statement s = c.createStatement()) {
      // As a host's migration tool would: statements end with a semicolon at the end of a line.
      for (String statement : script.split(";\\s*(\\r?\\n|$)")) {
        StringBuilder sql = new StringBuilder();
        for (String line : statement.split("\\r?\\n")) {
          if (!line.strip().startsWith("--")) {
            sql.append(line).append('\n');
          }
        }
        if (!sql.toString().isBlank()) {
          s.execute(sql.toString());
        }
      }
    }
  }

  // ------------------------------------------------------------------ schema

  @ParameterizedTest
  @EnumSource(Kind.class)
  void build_createsTheSchemaOnce_andASecondBuildKeepsItAndTheData(Kind kind) throws Exception {
    TestDataSource database = database(kind);
    String prefix = prefix(kind, database);
    JdbcDeliveryStore first = store(database, prefix);
    enqueue(first, "d1", "ep_a");

    JdbcDeliveryStore second = store(database, prefix);

    assertThat(second.delivery("d1")).isPresent();
    assertThat(queryLong(database, "SELECT COUNT(*) FROM " + prefix + "schema_version"))
        .isEqualTo(1);
    assertThat(queryLong(database, "SELECT MAX(version) FROM " + prefix + "schema_version"))
        .isEqualTo(Schema.VERSION);
    assertThat(ids(claim(second, "n", 10))).containsExactly("d1");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void build_byTwoNodesAtOnce_bothSucceed_andTheSchemaIsCreatedOnce(Kind kind) throws Exception {
    TestDataSource database = database(kind);
    String prefix = prefix(kind, database);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<JdbcDeliveryStore>> builds = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        builds.add(threads.submit(() -> store(database, prefix)));
      }
      for (Future<JdbcDeliveryStore> build : builds) {
        enqueue(build.get(30, TimeUnit.SECONDS), "d" + builds.indexOf(build), "ep_a");
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(queryLong(database, "SELECT COUNT(*) FROM " + prefix + "schema_version"))
        .isEqualTo(1);
    assertThat(queryLong(database, "SELECT COUNT(*) FROM " + prefix + "deliveries")).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void nextDueAt_passesOverDeliveriesWaitingBehindTheirOrderingKey(Kind kind) {
    TestDataSource database = database(kind);
    JdbcDeliveryStore store = store(database, sharedPrefix(kind));
    store.enqueue(
        List.of(message("m1", T0, "k"), message("m2", T0.plusSeconds(1), "k")),
        List.of(new NewDelivery("d1", "m1", "ep_a"), new NewDelivery("d2", "m2", "ep_a")));
    ClaimedDelivery first = claim(store, "n", 10).get(0);
    clock.set(T0.plusSeconds(2));

    // Leased: the lease's end counts, not the later delivery waiting behind it.
    assertThat(store.nextDueAt(clock.instant())).contains(T0.plus(LEASE));

    store.complete(
        List.of(new Completion(first, Optional.empty(), DeliveryState.PENDING, T0.plusSeconds(60))),
        clock.instant());
    assertThat(store.nextDueAt(clock.instant())).contains(T0.plusSeconds(60));

    // A lease expired at now no longer counts; the delivery's due time does.
    ClaimedDelivery again =
        store.claim(new ClaimRequest("n", T0.plusSeconds(60), LEASE, 10, Set.of())).get(0);
    assertThat(again.deliveryId()).isEqualTo("d1");
    clock.set(T0.plusSeconds(60).plus(LEASE).plusSeconds(1));
    assertThat(store.nextDueAt(clock.instant())).contains(T0.plusSeconds(60));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void dialect_isDetectedFromTheDatabase(Kind kind) {
    TestDataSource database = database(kind);
    JdbcDeliveryStore store = store(database, sharedPrefix(kind));

    assertThat(store.dialect()).isEqualTo(kind.dialect());
    assertThat(store.toString()).contains(kind.dialect().name());
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void tablePrefix_namesEveryTableTheStoreCreates(Kind kind) throws Exception {
    TestDataSource database = database(kind);
    String prefix = prefix(kind, database);

    JdbcDeliveryStore store = store(database, prefix);

    assertThat(store.tablePrefix()).isEqualTo(prefix);
    List<String> expected =
        new ArrayList<>(
            List.of("attempts", "deliveries", "endpoint_revision", "endpoints", "messages"));
    if (kind == Kind.MARIADB) {
      expected.add("claim_tokens");
    }
    expected.add("schema_version");
    assertThat(Databases.tables(database, prefix).keySet()).containsExactlyInAnyOrderElementsOf(expected);
    if (kind == Kind.H2) {
      // A fresh database: nothing else was created, under the default prefix or any other.
      assertThat(Databases.tables(database, "")).hasSize(expected.size());
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void schemaScript_runByTheHost_makesTheSameTables_andTheStoreUsesThem(Kind kind)
      throws Exception {
    TestDataSource database = database(kind);
    String byHost = prefix(kind, database);
    String byStore = prefix(kind, database);
    String script = kind.dialect().schemaScript(byHost);
    assertThat(script).doesNotContain("${prefix}").contains(byHost + "deliveries");

    runScript(database, script);
    runScript(database, script); // every statement may run again
    JdbcDeliveryStore store =
        JdbcDeliveryStore.builder(database)
            .tablePrefix(byHost)
            .createSchema(false)
            .build();
    store(database, byStore);

    assertThat(Databases.tables(database, byHost)).isEqualTo(Databases.tables(database, byStore)).isNotEmpty();
    enqueue(store, "d1", "ep_a");
    ClaimedDelivery c = claim(store, "n", 10).get(0);
    assertThat(store.complete(List.of(succeeded(c)), T0)).containsExactly(true);
    assertThat(store.count(DeliveryState.SUCCEEDED)).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void createSchemaOff_withoutTables_failsNamingTheScript(Kind kind) {
    TestDataSource database = database(kind);
    String prefix = prefix(kind, database);

    assertThatThrownBy(
            () -> JdbcDeliveryStore.builder(database).tablePrefix(prefix).createSchema(false).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(prefix)
        .hasMessageContaining(kind.dialect().schemaResource())
        .hasMessageContaining("createSchema(true)");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void newerSchemaVersion_isRefused(Kind kind) {
    TestDataSource database = database(kind);
    String prefix = prefix(kind, database);
    store(database, prefix);
    int newer = Schema.VERSION + 1;
    Databases.execute(
        database, "INSERT INTO " + prefix + "schema_version (version) VALUES (" + newer + ")");

    assertThatThrownBy(() -> store(database, prefix))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("version " + newer)
        .hasMessageContaining("newer");
  }

  // ------------------------------------------------------------------ several nodes

  @ParameterizedTest
  @EnumSource(Kind.class)
  void twoNodesClaimingConcurrently_neverShareADelivery_andKeepOrderingKeys(Kind kind)
      throws Exception {
    TestDataSource database = database(kind);
    String prefix = sharedPrefix(kind);
    JdbcDeliveryStore nodeA = store(database, prefix);
    // The second node has a pool of its own, as on another machine.
    JdbcDeliveryStore nodeB =
        JdbcDeliveryStore.builder(kind == Kind.H2 ? database : privateDatabase(kind))
            .tablePrefix(prefix)
            .build();
    int total = 2_000;
    Map<String, List<String>> enqueuedByGroup = new TreeMap<>();
    for (int batch = 0; batch < total; batch += 250) {
      List<NewMessage> messages = new ArrayList<>();
      List<NewDelivery> deliveries = new ArrayList<>();
      for (int i = batch; i < batch + 250; i++) {
        String endpoint = "ep_" + (i % 10);
        String key = i % 4 == 0 ? "k" + (i % 3) : null;
        messages.add(message("m" + i, T0.plusMillis(i % 7), key));
        deliveries.add(new NewDelivery("d" + i, "m" + i, endpoint));
        if (key != null) {
          enqueuedByGroup.computeIfAbsent(endpoint + "/" + key, g -> new ArrayList<>()).add("d" + i);
        }
      }
      nodeA.enqueue(messages, deliveries);
    }
    Map<String, AtomicInteger> claims = new ConcurrentHashMap<>();
    Map<String, List<String>> claimedByGroup = new ConcurrentHashMap<>();
    Instant now = T0.plusSeconds(60);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    // Three claimers per node on the servers; one on H2, which takes rows by compare-and-set,
    // so that claimers on one node contend rather than pass each other by.
    int claimers = kind == Kind.H2 ? 2 : 6;
    ExecutorService threads = Executors.newFixedThreadPool(claimers);
    try {
      List<Future<Integer>> workers = new ArrayList<>();
      for (int t = 0; t < claimers; t++) {
        JdbcDeliveryStore node = t % 2 == 0 ? nodeA : nodeB;
        String owner = (t % 2 == 0 ? "node-a-" : "node-b-") + t;
        workers.add(
            threads.submit(
                () -> {
                  int completed = 0;
                  while (node.count(DeliveryState.PENDING) > 0) {
                    assertThat(System.nanoTime()).as("draining takes too long").isLessThan(deadline);
                    List<ClaimedDelivery> claimed =
                        node.claim(new ClaimRequest(owner, now, LEASE, 25, Set.of()));
                    for (ClaimedDelivery c : claimed) {
                      claims.computeIfAbsent(c.deliveryId(), id -> new AtomicInteger()).incrementAndGet();
                      if (c.orderingKey().isPresent()) {
                        claimedByGroup
                            .computeIfAbsent(
                                c.endpointId() + "/" + c.orderingKey().get(),
                                g -> Collections.synchronizedList(new ArrayList<>()))
                            .add(c.deliveryId());
                      }
                    }
                    List<Completion> completions = new ArrayList<>();
                    claimed.forEach(c -> completions.add(succeeded(c)));
                    if (!completions.isEmpty()) {
                      assertThat(node.complete(completions, now)).containsOnly(true);
                      completed += completions.size();
                    }
                  }
                  return completed;
                }));
      }
      int completed = 0;
      for (Future<Integer> worker : workers) {
        completed += worker.get(90, TimeUnit.SECONDS);
      }
      assertThat(completed).isEqualTo(total);
    } finally {
      threads.shutdownNow();
    }

    assertThat(claims).hasSize(total);
    assertThat(claims.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(nodeB.count(DeliveryState.SUCCEEDED)).isEqualTo(total);
    assertThat(new TreeMap<>(claimedByGroup)).isEqualTo(enqueuedByGroup);
  }

  // ------------------------------------------------------------------ outbox

  @ParameterizedTest
  @EnumSource(Kind.class)
  void outbox_existsIffTheHostsTransactionCommits(Kind kind) throws Exception {
    TestDataSource database = database(kind);
    String prefix = sharedPrefix(kind);
    JdbcDeliveryStore store = store(database, prefix);
    String orders = prefix + "orders";
    Databases.execute(database, "CREATE TABLE " + orders + " (id VARCHAR(64) PRIMARY KEY)");
    cleanUp.add(() -> Databases.execute(database, "DROP TABLE IF EXISTS " + orders));

    try (Connection c = database.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO " + orders + " (id) VALUES ('o1')");
      }
      store.enqueue(
          c,
          List.of(message("m1", T0, null)),
          List.of(new NewDelivery("d1", "m1", "ep_a"), new NewDelivery("d2", "m1", "ep_b")));
      assertThat(store.delivery("d1")).as("not visible before the commit").isEmpty();
      c.rollback();
    }
    assertThat(store.delivery("d1")).isEmpty();
    assertThat(store.count(DeliveryState.PENDING)).isZero();
    assertThat(queryLong(database, "SELECT COUNT(*) FROM " + orders)).isZero();

    try (Connection c = database.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO " + orders + " (id) VALUES ('o2')");
      }
      store.enqueue(
          c,
          List.of(message("m1", T0, null)),
          List.of(new NewDelivery("d1", "m1", "ep_a"), new NewDelivery("d2", "m1", "ep_b")));
      assertThat(c.getAutoCommit()).isFalse();
      assertThat(c.isClosed()).isFalse();
      c.commit();
    }
    assertThat(store.count(DeliveryState.PENDING)).isEqualTo(2);
    assertThat(queryLong(database, "SELECT COUNT(*) FROM " + orders)).isEqualTo(1);
    assertThat(ids(claim(store, "n", 10))).containsExactly("d1", "d2");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void outbox_checksLikeEnqueue_andRefusesAutoCommit(Kind kind) throws Exception {
    TestDataSource database = database(kind);
    JdbcDeliveryStore store = store(database, sharedPrefix(kind));
    enqueue(store, "d1", "ep_a");

    try (Connection c = database.getConnection()) {
      assertThatThrownBy(
              () -> store.enqueue(c, List.of(message("m9", T0, null)), List.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("auto-commit");
      c.setAutoCommit(false);
      assertThatThrownBy(
              () -> store.enqueue(c, List.of(), List.of(new NewDelivery("d1", "m_d1", "ep_b"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("d1");
      // Checked before writing: the host's transaction is still good.
      store.enqueue(c, List.of(), List.of(new NewDelivery("d2", "m_d1", "ep_b")));
      c.commit();
    }
    assertThat(store.delivery("d2")).isPresent();
  }

  // ------------------------------------------------------------------ failures and connections

  @ParameterizedTest
  @EnumSource(Kind.class)
  void closedDataSource_failsEveryCallWithAStoreExceptionNamingTheOperation(Kind kind) {
    TestDataSource database = privateDatabase(kind);
    JdbcDeliveryStore store = store(database, sharedPrefix(kind));
    database.close();

    assertThatThrownBy(() -> claim(store, "n", 10))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("claim")
        .hasCauseInstanceOf(SQLException.class);
    assertThatThrownBy(() -> enqueue(store, "d1", "ep_a"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("enqueue")
        .hasCauseInstanceOf(SQLException.class);
    assertThatThrownBy(() -> store.nextDueAt(T0))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("next due time");
    assertThatThrownBy(() -> store.count(DeliveryState.DEAD))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("count");
    assertThatThrownBy(() -> store.prune(T0))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("prune");
    assertThatThrownBy(() -> JdbcDeliveryStore.builder(database).build())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("create schema")
        .hasCauseInstanceOf(SQLException.class);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void everyConnection_isGivenBack_alsoAfterFailures(Kind kind) {
    TestDataSource database = privateDatabase(kind);
    JdbcDeliveryStore store = store(database, sharedPrefix(kind));

    enqueue(store, "d1", "ep_a");
    assertThatThrownBy(() -> enqueue(store, "d1", "ep_a"))
        .isInstanceOf(IllegalArgumentException.class);
    ClaimedDelivery c = claim(store, "n", 10).get(0);
    store.release(List.of(c), T0, T0);
    assertThat(store.complete(List.of(succeeded(c)), T0)).containsExactly(false);
    assertThat(store.insertEndpoint(StoredEndpoint.of("ep_a", "{}", T0))).isTrue();
    assertThat(store.insertEndpoint(StoredEndpoint.of("ep_a", "{}", T0))).isFalse();
    assertThat(store.updateEndpoint(StoredEndpoint.of("ep_a", "{}", T0), -1)).isFalse();
    store.endpoint("ep_a");
    store.endpoints();
    store.endpointRevision();
    assertThat(store.deleteEndpoint("ep_a")).isTrue();
    store.nextDueAt(T0);
    store.prune(T0.plusSeconds(1));

    assertThat(database.lent()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void bodyOfOneMessage_isReadOncePerClaim_andShared(Kind kind) {
    TestDataSource database = database(kind);
    JdbcDeliveryStore store = store(database, sharedPrefix(kind));
    store.enqueue(
        List.of(message("m1", T0, null), message("m2", T0, null)),
        List.of(
            new NewDelivery("a1", "m1", "ep_a"),
            new NewDelivery("a2", "m2", "ep_a"),
            new NewDelivery("b1", "m1", "ep_b"),
            new NewDelivery("c1", "m1", "ep_c")));

    List<ClaimedDelivery> claimed = claim(store, "n", 10);

    assertThat(ids(claimed)).containsExactly("a1", "a2", "b1", "c1");
    assertThat(claimed.get(2).body()).isSameAs(claimed.get(0).body());
    assertThat(claimed.get(3).body()).isSameAs(claimed.get(0).body());
    assertThat(claimed.get(1).body()).isEqualTo(message("m2", T0, null).body());
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void valuesRoundTripExactly_nanosecondsAndText(Kind kind) {
    TestDataSource database = database(kind);
    JdbcDeliveryStore store = store(database, sharedPrefix(kind));
    Instant createdAt = T0.plusNanos(123_456_789);
    store.enqueue(
        List.of(message("m1", createdAt, "käy \u00e9\u4e2d")), List.of(new NewDelivery("d1", "m1", "ep_ä")));
    ClaimedDelivery c =
        store.claim(new ClaimRequest("n", createdAt, LEASE, 10, Set.of())).get(0);
    AttemptRecord attempt =
        new AttemptRecord(
            "d1",
            "ep_ä",
            "evt_m1",
            1,
            createdAt.plusNanos(1),
            Duration.ofNanos(987_654_321),
            AttemptOutcome.NETWORK_ERROR,
            0,
            Optional.of("reset \u0000 by peer"),
            "");

    store.complete(
        List.of(new Completion(c, Optional.of(attempt), DeliveryState.PENDING, createdAt.plusNanos(3))),
        createdAt.plusNanos(7));

    assertThat(c.orderingKey()).contains("käy \u00e9\u4e2d");
    var d1 = store.delivery("d1").orElseThrow();
    assertThat(d1.createdAt()).isEqualTo(createdAt);
    assertThat(d1.nextAttemptAt()).isEqualTo(createdAt.plusNanos(3));
    assertThat(d1.updatedAt()).isEqualTo(createdAt.plusNanos(7));
    assertThat(d1.endpointId()).isEqualTo("ep_ä");
    // PostgreSQL cannot store NUL characters: every database gets a replacement character.
    assertThat(d1.lastAttempt().orElseThrow().error()).contains("reset \uFFFD by peer");
    assertThat(d1.lastAttempt().orElseThrow().latency()).isEqualTo(Duration.ofNanos(987_654_321));
    assertThat(d1.lastAttempt().orElseThrow().startedAt()).isEqualTo(createdAt.plusNanos(1));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void prune_deletesInChunks_untilEverythingOldIsGone(Kind kind) {
    TestDataSource database = database(kind);
    JdbcDeliveryStore store = store(database, sharedPrefix(kind));
    List<NewDelivery> deliveries = new ArrayList<>();
    for (int i = 0; i < 1_100; i++) {
      deliveries.add(new NewDelivery("d" + i, "m1", "ep_" + i));
    }
    store.enqueue(List.of(message("m1", T0, null), message("alone", T0, null)), deliveries);
    List<Completion> completions = new ArrayList<>();
    claim(store, "n", 2_000).forEach(c -> completions.add(succeeded(c)));
    assertThat(store.complete(completions, T0)).hasSize(1_100).containsOnly(true);

    assertThat(store.prune(T0.plusSeconds(1))).isEqualTo(1_100);

    assertThat(store.count(DeliveryState.SUCCEEDED)).isZero();
    assertThat(store.attemptsForEndpoint("ep_1", T0, 10)).isEmpty();
    // Both messages are gone: their ids are free again.
    store.enqueue(
        List.of(message("m1", T0, null), message("alone", T0, null)),
        List.of(new NewDelivery("again", "m1", "ep_a")));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void tooLongIds_areRefusedBeforeTheDatabase(Kind kind) {
    TestDataSource database = database(kind);
    JdbcDeliveryStore store = store(database, sharedPrefix(kind));
    String tooLong = "x".repeat(JdbcDeliveryStore.MAX_ID_LENGTH + 1);

    assertThatThrownBy(
            () ->
                store.enqueue(
                    List.of(message("m1", T0, null)), List.of(new NewDelivery(tooLong, "m1", "e"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delivery id");
    assertThatThrownBy(() -> claim(store, tooLong, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("owner");
    assertThatThrownBy(() -> store.insertEndpoint(StoredEndpoint.of(tooLong, "{}", T0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("endpoint id");
    assertThat(store.delivery("m1")).isEmpty();
    assertThat(store.endpointRevision()).isZero();
  }
}
