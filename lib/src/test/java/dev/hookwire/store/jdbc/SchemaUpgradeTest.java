package dev.hookwire.store.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.DeliveryRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import dev.hookwire.store.spi.ClaimRequest;
import dev.hookwire.store.spi.ClaimedDelivery;
import dev.hookwire.store.spi.NewDelivery;
import dev.hookwire.store.spi.NewMessage;
import dev.hookwire.store.spi.StoredEndpoint;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.Databases.Kind;
import dev.hookwire.testing.ManualScheduler;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.Signal;
import dev.hookwire.testing.TestDataSource;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.testing.WebhookSink;
import dev.hookwire.transport.NetworkPolicy;
import dev.hookwire.transport.OkHttpTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tables of schema version 1, made by that version's scripts (exact copies under {@code v1/} in
 * the test resources) and filled as version 1 of the store left them, are upgraded in place when
 * a store is built on them; a dispatcher on the upgraded store carries on where the old one
 * stopped.
 */
class SchemaUpgradeTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String PATH = "/hook";

  /**
   * When version 1 wrote its rows. The receiver checks the time of each signature against the
   * system clock, so the test clock starts now.
   */
  private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private final MutableClock clock = MutableClock.at(t0);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final NetworkPolicy loopback = NetworkPolicy.builder().allowPrivateNetworks(true).build();
  private final OkHttpTransport transport = OkHttpTransport.builder().networkPolicy(loopback).build();
  private final String secret = Secrets.newStandardSecret();
  private final List<Runnable> cleanUp = new ArrayList<>();
  private WebhookSink sink;

  @BeforeEach
  void startReceiver() throws IOException {
    sink = WebhookSink.start(secret, Duration.ZERO, new Signal());
  }

  @AfterEach
  void tearDown() {
    Collections.reverse(cleanUp);
    cleanUp.forEach(Runnable::run);
    sink.close();
    transport.close();
  }

  // ------------------------------------------------------------------ fixtures

  /** A database with tables of schema version 1 under a prefix of their own. */
  private record V1(Kind kind, TestDataSource database, String prefix) {}

  /**
   * What version 1 left in the tables: one endpoint, and deliveries of one event each to it.
   *
   * @param endpointId the endpoint's id
   * @param config its configuration, as the dispatcher wrote it
   * @param pending pending deliveries: one never tried, one tried once and due again, one whose
   *     lease a node that is gone still holds
   * @param succeeded a delivery that succeeded
   * @param dead a delivery that died
   */
  private record Old(
      String endpointId,
      String config,
      List<ClaimedDelivery> pending,
      ClaimedDelivery succeeded,
      ClaimedDelivery dead) {}

  /** Makes version 1's tables from its schema script, exactly as that version shipped it. */
  private V1 v1(Kind kind) {
    TestDataSource database = Databases.open(kind);
    String prefix = Databases.uniquePrefix();
    cleanUp.add(kind == Kind.H2 ? database::close : () -> Databases.drop(database, kind, prefix));
    String name = "v1/schema-" + kind.dialect().name().toLowerCase(Locale.ROOT) + ".sql";
    String script;
    try (InputStream in = SchemaUpgradeTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      script = new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(script).startsWith("-- Hookwire JDBC delivery store: schema version 1,");
    Databases.execute(
        database,
        Schema.statements(script.replace(JdbcDeliveryStore.PLACEHOLDER, prefix))
            .toArray(new String[0]));
    return new V1(kind, database, prefix);
  }

  /**
   * Fills version 1's tables as that version's store did. The endpoint's configuration and the
   * messages are what a dispatcher makes (one on a scratch in-memory store); the rows are those
   * version 1 wrote for them, claim tokens drawn from the tables' own sequence or counter.
   * Leaves the clock a minute after, when every pending delivery is due and the lease expired.
   */
  private Old fill(V1 v1) throws SQLException {
    InMemoryDeliveryStore scratch = InMemoryDeliveryStore.create();
    Dispatcher old =
        Dispatcher.builder()
            .store(scratch)
            .transport(transport)
            .clock(clock)
            .scheduler(scheduler)
            .networkPolicy(loopback)
            .build();
    try {
      old.register(
          Endpoint.builder(sink.url(PATH))
              .signing(SignatureScheme.standardWebhooks(), secret)
              .build());
      for (int i = 0; i < 5; i++) {
        old.send(TestEvents.experienceStarted().toEvent(clock));
      }
    } finally {
      old.close(Duration.ZERO);
    }
    StoredEndpoint endpoint = scratch.endpoints().get(0);
    List<ClaimedDelivery> sent =
        scratch.claim(new ClaimRequest("scratch", t0, Duration.ofSeconds(1), 10, Set.of()));
    assertThat(sent).hasSize(5);
    String p = v1.prefix();
    try (Connection c = v1.database().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO " + p + "endpoints (id, config, updated_at) VALUES (?, ?, ?)")) {
        ps.setString(1, endpoint.endpointId());
        ps.setString(2, endpoint.config());
        ps.setLong(3, Nanos.of(t0));
        ps.executeUpdate();
      }
      for (ClaimedDelivery d : sent) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO " + p + "messages (id, event_id, event_type, ordering_key,"
                    + " created_at, body) VALUES (?, ?, ?, NULL, ?, ?)")) {
          ps.setString(1, messageId(d));
          ps.setString(2, d.eventId());
          ps.setString(3, d.eventType());
          ps.setLong(4, Nanos.of(d.createdAt()));
          ps.setBytes(5, d.body());
          ps.executeUpdate();
        }
      }
      Instant retryAt = t0.plusSeconds(5);
      // Never tried.
      delivery(c, p, sent.get(0), "PENDING", 0, t0, null, null, 0, t0);
      // Tried once, failed, due again.
      delivery(c, p, sent.get(1), "PENDING", 1, retryAt, null, null, token(c, v1), t0);
      attempt(c, p, sent.get(1), 1, t0, "HTTP_ERROR", 500);
      // Claimed by a node that is gone: the lease expires at t0 + 30 s.
      delivery(
          c, p, sent.get(2), "PENDING", 0, t0, "node-v1", t0.plusSeconds(30), token(c, v1), t0);
      // Succeeded at the first attempt.
      delivery(c, p, sent.get(3), "SUCCEEDED", 1, t0, null, null, token(c, v1), t0);
      attempt(c, p, sent.get(3), 1, t0, "SUCCEEDED", 200);
      // Failed twice, then dead.
      long lastToken = token(c, v1);
      delivery(c, p, sent.get(4), "DEAD", 2, retryAt, null, null, lastToken, retryAt);
      attempt(c, p, sent.get(4), 1, t0, "HTTP_ERROR", 500);
      attempt(c, p, sent.get(4), 2, retryAt, "HTTP_ERROR", 500);
      c.commit();
    }
    clock.set(t0.plusSeconds(60));
    return new Old(
        endpoint.endpointId(), endpoint.config(), sent.subList(0, 3), sent.get(3), sent.get(4));
  }

  private static String messageId(ClaimedDelivery d) {
    return "m_" + d.deliveryId();
  }

  private static void delivery(
      Connection c,
      String p,
      ClaimedDelivery d,
      String state,
      int attempts,
      Instant dueAt,
      String leaseOwner,
      Instant leaseUntil,
      long claimToken,
      Instant updatedAt)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO " + p + "deliveries (id, message_id, endpoint_id, ordering_key, state,"
                + " attempts, due_at, lease_owner, lease_until, claim_token, created_at,"
                + " updated_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, d.deliveryId());
      ps.setString(2, messageId(d));
      ps.setString(3, d.endpointId());
      ps.setString(4, state);
      ps.setInt(5, attempts);
      ps.setLong(6, Nanos.of(dueAt));
      ps.setString(7, leaseOwner);
      if (leaseUntil == null) {
        ps.setNull(8, Types.BIGINT);
      } else {
        ps.setLong(8, Nanos.of(leaseUntil));
      }
      ps.setLong(9, claimToken);
      ps.setLong(10, Nanos.of(d.createdAt()));
      ps.setLong(11, Nanos.of(updatedAt));
      ps.executeUpdate();
    }
  }

  private static void attempt(
      Connection c, String p, ClaimedDelivery d, int number, Instant at, String outcome, int status)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO " + p + "attempts (delivery_id, endpoint_id, event_id, attempt_number,"
                + " started_at, latency_ns, outcome, status, error, response_snippet)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)")) {
      ps.setString(1, d.deliveryId());
      ps.setString(2, d.endpointId());
      ps.setString(3, d.eventId());
      ps.setInt(4, number);
      ps.setLong(5, Nanos.of(at));
      ps.setLong(6, Duration.ofMillis(12).toNanos());
      ps.setString(7, outcome);
      ps.setInt(8, status);
      ps.setString(9, status == 200 ? "ok" : "unavailable");
      ps.executeUpdate();
    }
  }

  /** Draws a claim token as version 1's claims did. */
  private static long token(Connection c, V1 v1) throws SQLException {
    String p = v1.prefix();
    try (Statement s = c.createStatement()) {
      String query;
      switch (v1.kind()) {
        case POSTGRESQL:
          query = "SELECT nextval('" + p + "claim_tokens')";
          break;
        case MARIADB:
          s.executeUpdate(
              "UPDATE " + p + "claim_tokens SET last_token = last_token + 1 WHERE id = 1");
          query = "SELECT last_token FROM " + p + "claim_tokens WHERE id = 1";
          break;
        default:
          query = "SELECT NEXT VALUE FOR " + p + "claim_tokens";
          break;
      }
      try (ResultSet rs = s.executeQuery(query)) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private JdbcDeliveryStore.Builder builder(TestDataSource database, String prefix) {
    return JdbcDeliveryStore.builder(database).tablePrefix(prefix);
  }

  private Dispatcher dispatcher(JdbcDeliveryStore store) {
    Dispatcher dispatcher =
        Dispatcher.builder()
            .store(store)
            .transport(transport)
            .clock(clock)
            .scheduler(scheduler)
            .networkPolicy(loopback)
            .nodeId("node-v2")
            .build();
    cleanUp.add(() -> dispatcher.close(Duration.ZERO));
    return dispatcher;
  }

  private static List<String> schemaVersions(V1 v1) {
    return Databases.column(
        v1.database(), "SELECT version FROM " + v1.prefix() + "schema_version ORDER BY version");
  }

  private static DeliveryRecord record(JdbcDeliveryStore store, ClaimedDelivery d) {
    return store.delivery(d.deliveryId()).orElseThrow();
  }

  private static String received(ClaimedDelivery d) {
    return WebhookSink.delivery(PATH, d.eventId());
  }

  // ------------------------------------------------------------------ tests

  @ParameterizedTest
  @EnumSource(Kind.class)
  void upgrade_keepsEndpointsAndDeliveries_andADispatcherCarriesOn(Kind kind) throws Exception {
    V1 v1 = v1(kind);
    Old old = fill(v1);

    JdbcDeliveryStore store = builder(v1.database(), v1.prefix()).createSchema(true).build();

    assertThat(schemaVersions(v1)).containsExactly("1", "2", "3", "4");
    // The same tables and columns as a store of the current version makes.
    String fresh = Databases.uniquePrefix();
    cleanUp.add(() -> Databases.drop(v1.database(), kind, fresh));
    builder(v1.database(), fresh).build();
    assertThat(Databases.tables(v1.database(), v1.prefix()))
        .isEqualTo(Databases.tables(v1.database(), fresh));

    // The endpoint, as version 1 saved it: version 0, not failing; one endpoint, revision 1.
    StoredEndpoint endpoint = store.endpoint(old.endpointId()).orElseThrow();
    assertThat(endpoint.config()).isEqualTo(old.config());
    assertThat(endpoint.version()).isZero();
    assertThat(endpoint.failingSince()).isEmpty();
    assertThat(endpoint.updatedAt()).isEqualTo(t0);
    assertThat(store.endpoints()).containsExactly(endpoint);
    assertThat(store.endpointRevision()).isEqualTo(1);
    assertThat(record(store, old.succeeded()).state()).isEqualTo(DeliveryState.SUCCEEDED);
    assertThat(record(store, old.dead()).state()).isEqualTo(DeliveryState.DEAD);
    assertThat(record(store, old.pending().get(1)).lastAttempt().orElseThrow().status())
        .isEqualTo(500);

    Dispatcher dispatcher = dispatcher(store).start();
    assertThat(dispatcher.endpoints()).extracting(Endpoint::id).containsExactly(old.endpointId());

    // The pending deliveries arrive, the lease of the node that is gone notwithstanding.
    scheduler.runUntil(
        () ->
            old.pending().stream()
                .allMatch(d -> record(store, d).state() == DeliveryState.SUCCEEDED),
        WAIT);
    assertThat(sink.requests().keySet())
        .containsExactlyInAnyOrderElementsOf(
            old.pending().stream().map(SchemaUpgradeTest::received).toList());
    assertThat(sink.badSignatures()).isZero();
    assertThat(store.attemptsForEvent(old.pending().get(1).eventId()))
        .extracting(a -> a.status())
        .containsExactly(500, 200);

    // The finished ones stay finished.
    DeliveryRecord succeeded = record(store, old.succeeded());
    assertThat(succeeded.state()).isEqualTo(DeliveryState.SUCCEEDED);
    assertThat(succeeded.attempts()).isEqualTo(1);
    DeliveryRecord dead = record(store, old.dead());
    assertThat(dead.state()).isEqualTo(DeliveryState.DEAD);
    assertThat(dead.attempts()).isEqualTo(2);
    assertThat(sink.requests()).doesNotContainKeys(received(old.succeeded()), received(old.dead()));

    // A dead one replayed arrives.
    assertThat(dispatcher.replay(old.dead().deliveryId())).isTrue();
    scheduler.runUntil(
        () -> record(store, old.dead()).state() == DeliveryState.SUCCEEDED, WAIT);
    assertThat(sink.requests()).containsKey(received(old.dead()));
    assertThat(store.attemptsForEvent(old.dead().eventId()))
        .extracting(a -> a.status())
        .containsExactly(500, 500, 200);

    // The endpoint of version 1 changes like any other: from version 0, to the next revision.
    dispatcher.disable(old.endpointId());
    StoredEndpoint disabled = store.endpoint(old.endpointId()).orElseThrow();
    assertThat(disabled.version()).isEqualTo(2).isEqualTo(store.endpointRevision());
    assertThat(disabled.config()).isNotEqualTo(old.config());
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void upgrade_byTwoNodesAtOnce_succeedsForBoth(Kind kind) throws Exception {
    V1 v1 = v1(kind);
    Old old = fill(v1);
    // On a server, the second node has a pool of its own, as on another machine.
    TestDataSource other = v1.database();
    if (kind != Kind.H2) {
      other = Databases.openPrivate(kind);
      cleanUp.add(other::close);
    }
    List<TestDataSource> nodes = List.of(v1.database(), other);
    CyclicBarrier together = new CyclicBarrier(nodes.size());
    ExecutorService threads = Executors.newFixedThreadPool(nodes.size());
    List<JdbcDeliveryStore> stores = new ArrayList<>();
    try {
      List<Future<JdbcDeliveryStore>> builds = new ArrayList<>();
      for (TestDataSource node : nodes) {
        builds.add(
            threads.submit(
                () -> {
                  together.await(10, TimeUnit.SECONDS);
                  return builder(node, v1.prefix()).build();
                }));
      }
      for (Future<JdbcDeliveryStore> build : builds) {
        stores.add(build.get(30, TimeUnit.SECONDS));
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(schemaVersions(v1)).containsExactly("1", "2", "3", "4");
    assertThat(
            Databases.column(
                v1.database(), "SELECT revision FROM " + v1.prefix() + "endpoint_revision"))
        .containsExactly("1");
    for (JdbcDeliveryStore store : stores) {
      assertThat(store.endpoint(old.endpointId()).orElseThrow().version()).isZero();
      assertThat(store.count(DeliveryState.PENDING)).isEqualTo(3);
    }
    StoredEndpoint endpoint = stores.get(0).endpoint(old.endpointId()).orElseThrow();
    assertThat(stores.get(1).updateEndpoint(endpoint.with("{}", endpoint.failingSince(), t0), 0))
        .isTrue();
    assertThat(stores.get(0).endpointRevision()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void createSchemaOff_onVersion1_failsNamingTheUpgrade_whichTheHostMayRun(Kind kind)
      throws Exception {
    V1 v1 = v1(kind);
    Old old = fill(v1);
    String upgrade = kind.dialect().upgradeResource(2);

    assertThatThrownBy(() -> builder(v1.database(), v1.prefix()).createSchema(false).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(v1.prefix())
        .hasMessageContaining("schema version 1")
        .hasMessageContaining(upgrade)
        .hasMessageContaining("createSchema(true)");
    assertThat(schemaVersions(v1)).containsExactly("1");

    // As a host's migrations would, each twice: every statement may run again. One version
    // short, the store names the next script.
    for (int version = 2; version <= Schema.VERSION; version++) {
      if (version > 2) {
        int missing = version;
        assertThatThrownBy(() -> builder(v1.database(), v1.prefix()).createSchema(false).build())
            .hasMessageContaining("schema version " + (missing - 1))
            .hasMessageContaining(kind.dialect().upgradeResource(missing));
      }
      String[] script =
          Schema.statements(kind.dialect().upgradeScript(v1.prefix(), version)).toArray(new String[0]);
      Databases.execute(v1.database(), script);
      Databases.execute(v1.database(), script);
    }
    JdbcDeliveryStore store = builder(v1.database(), v1.prefix()).createSchema(false).build();

    assertThat(schemaVersions(v1)).containsExactly("1", "2", "3", "4");
    assertThat(store.endpoint(old.endpointId())).isPresent();
    assertThat(store.endpointRevision()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void upgradeFromVersion2_addsTheTraceContext_andKeepsPendingWork(Kind kind) throws Exception {
    TestDataSource database = Databases.open(kind);
    String prefix = Databases.uniquePrefix();
    cleanUp.add(kind == Kind.H2 ? database::close : () -> Databases.drop(database, kind, prefix));
    String name = "v2/schema-" + kind.dialect().name().toLowerCase(Locale.ROOT) + ".sql";
    String script;
    try (InputStream in = SchemaUpgradeTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      script = new String(in.readAllBytes(), UTF_8);
    }
    assertThat(script).startsWith("-- Hookwire JDBC delivery store: schema version 2,");
    Databases.execute(database,
        Schema.statements(script.replace(JdbcDeliveryStore.PLACEHOLDER, prefix)).toArray(new String[0]));
    long created = Nanos.of(t0);
    Databases.execute(database,
        "INSERT INTO " + prefix + "messages (id, event_id, event_type, ordering_key, created_at, body)"
            + " VALUES ('m_old', 'msg_old', 'experience.started', NULL, " + created + ", "
            + (kind == Kind.POSTGRESQL ? "'\\x7b7d'::bytea" : "X'7b7d'") + ")",
        "INSERT INTO " + prefix + "deliveries (id, message_id, endpoint_id, ordering_key, state,"
            + " attempts, due_at, claim_token, created_at, updated_at)"
            + " VALUES ('d_old', 'm_old', 'ep_1', NULL, 'PENDING', 0, " + created + ", 0, " + created + ", " + created + ")");

    JdbcDeliveryStore store = builder(database, prefix).build();
    String fresh = Databases.uniquePrefix();
    cleanUp.add(() -> Databases.drop(database, kind, fresh));
    builder(database, fresh).build();

    assertThat(Databases.column(database, "SELECT version FROM " + prefix + "schema_version ORDER BY version"))
        .containsExactly("2", "3", "4");
    assertThat(Databases.tables(database, prefix)).isEqualTo(Databases.tables(database, fresh));
    String context = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    store.enqueue(
        List.of(new NewMessage("m_new", "msg_new", "experience.started", t0, new byte[] {'{', '}'},
            java.util.Optional.empty(), java.util.Optional.of(context))),
        List.of(new NewDelivery("d_new", "m_new", "ep_1")));
    List<ClaimedDelivery> claimed =
        store.claim(new ClaimRequest("node-1", t0.plusSeconds(1), Duration.ofSeconds(30), 10, java.util.Set.of()));
    assertThat(claimed).extracting(ClaimedDelivery::deliveryId).containsExactly("d_old", "d_new");
    assertThat(claimed.get(0).traceContext()).isEmpty();
    assertThat(claimed.get(0).body()).isEqualTo(new byte[] {'{', '}'});
    assertThat(claimed.get(1).traceContext()).contains(context);
  }

  /**
   * Tables of version 3, made by that version's scripts (exact copies under {@code v3/}), with a
   * pending, a succeeded and a dead delivery and their attempts: built on, they reach version 4
   * with every row kept and the same indexes as new tables of version 4, and the store reads,
   * claims and completes on them.
   */
  @ParameterizedTest
  @EnumSource(Kind.class)
  void upgradeFromVersion3_keepsEveryRow_andHasTheIndexesOfVersion4(Kind kind) throws Exception {
    TestDataSource database = Databases.open(kind);
    String prefix = Databases.uniquePrefix();
    cleanUp.add(kind == Kind.H2 ? database::close : () -> Databases.drop(database, kind, prefix));
    String name = "v3/schema-" + kind.dialect().name().toLowerCase(Locale.ROOT) + ".sql";
    String script;
    try (InputStream in = SchemaUpgradeTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      script = new String(in.readAllBytes(), UTF_8);
    }
    assertThat(script).startsWith("-- Hookwire JDBC delivery store: schema version 3,");
    Databases.execute(database,
        Schema.statements(script.replace(JdbcDeliveryStore.PLACEHOLDER, prefix)).toArray(new String[0]));
    long at = Nanos.of(t0);
    String body = kind == Kind.POSTGRESQL ? "'\\x7b7d'::bytea" : "X'7b7d'";
    List<String> rows = new ArrayList<>();
    for (String state : List.of("PENDING", "SUCCEEDED", "DEAD")) {
      String s = state.toLowerCase(Locale.ROOT);
      rows.add("INSERT INTO " + prefix + "messages (id, event_id, event_type, ordering_key,"
          + " created_at, body, trace_context) VALUES ('m_" + s + "', 'msg_" + s + "',"
          + " 'experience.started', NULL, " + at + ", " + body + ", NULL)");
      rows.add("INSERT INTO " + prefix + "deliveries (id, message_id, endpoint_id, ordering_key,"
          + " state, attempts, due_at, claim_token, created_at, updated_at) VALUES ('d_" + s
          + "', 'm_" + s + "', 'ep_1', NULL, '" + state + "', " + (state.equals("PENDING") ? 1 : 2)
          + ", " + at + ", 0, " + at + ", " + at + ")");
      rows.add("INSERT INTO " + prefix + "attempts (delivery_id, endpoint_id, event_id,"
          + " attempt_number, started_at, latency_ns, outcome, status, error, response_snippet)"
          + " VALUES ('d_" + s + "', 'ep_1', 'msg_" + s + "', 1, " + at + ", 1000, 'HTTP_ERROR',"
          + " 500, NULL, 'unavailable')");
    }
    rows.add("INSERT INTO " + prefix + "attempts (delivery_id, endpoint_id, event_id,"
        + " attempt_number, started_at, latency_ns, outcome, status, error, response_snippet)"
        + " VALUES ('d_succeeded', 'ep_1', 'msg_succeeded', 2, " + (at + 1) + ", 1000,"
        + " 'SUCCEEDED', 200, NULL, 'ok')");
    Databases.execute(database, rows.toArray(new String[0]));

    JdbcDeliveryStore store = builder(database, prefix).build();

    assertThat(Databases.column(database, "SELECT version FROM " + prefix + "schema_version ORDER BY version"))
        .containsExactly("3", "4");
    String fresh = Databases.uniquePrefix();
    cleanUp.add(() -> Databases.drop(database, kind, fresh));
    builder(database, fresh).build();
    assertThat(Databases.tables(database, prefix)).isEqualTo(Databases.tables(database, fresh));
    assertThat(indexes(database, prefix)).isEqualTo(indexes(database, fresh));
    assertThat(store.count(DeliveryState.PENDING)).isEqualTo(1);
    assertThat(store.count(DeliveryState.SUCCEEDED)).isEqualTo(1);
    assertThat(store.count(DeliveryState.DEAD)).isEqualTo(1);
    assertThat(store.attemptsForEvent("msg_succeeded"))
        .extracting(a -> a.status())
        .containsExactly(500, 200);
    assertThat(store.attemptsForEndpoint("ep_1", t0, 10)).hasSize(4);
    assertThat(store.delivery("d_dead").orElseThrow().lastAttempt().orElseThrow().status())
        .isEqualTo(500);
    assertThat(store.deliveries(dev.hookwire.store.DeliveryQuery.builder()
            .state(DeliveryState.DEAD).endpointId("ep_1").build()))
        .extracting(DeliveryRecord::deliveryId)
        .containsExactly("d_dead");

    List<ClaimedDelivery> claimed =
        store.claim(new ClaimRequest("node-4", t0.plusSeconds(1), Duration.ofSeconds(30), 10, Set.of()));
    assertThat(claimed).extracting(ClaimedDelivery::deliveryId).containsExactly("d_pending");
    assertThat(claimed.get(0).body()).isEqualTo(new byte[] {'{', '}'});
    assertThat(store.complete(List.of(new dev.hookwire.store.spi.Completion(claimed.get(0),
            java.util.Optional.of(succeededAttempt(claimed.get(0), t0.plusSeconds(1))),
            DeliveryState.SUCCEEDED, t0.plusSeconds(1))), t0.plusSeconds(2)))
        .containsExactly(true);
    assertThat(store.count(DeliveryState.SUCCEEDED)).isEqualTo(2);
    assertThat(store.attemptsForEvent("msg_pending")).extracting(a -> a.status()).containsExactly(500, 200);
    assertThat(store.prune(t0.plusSeconds(3), 100)).isEqualTo(2);
    assertThat(store.attemptsForEvent("msg_succeeded")).isEmpty();
    assertThat(store.count(DeliveryState.DEAD)).isEqualTo(1);
  }

  private static dev.hookwire.store.AttemptRecord succeededAttempt(ClaimedDelivery d, Instant at) {
    return new dev.hookwire.store.AttemptRecord(d.deliveryId(), d.endpointId(), d.eventId(),
        d.attempts() + 1, at, Duration.ofMillis(1), dev.hookwire.store.AttemptOutcome.SUCCEEDED,
        200, java.util.Optional.empty(), "ok");
  }

  /** The indexes of each table under a prefix, by name without the prefix, and their columns. */
  private static java.util.Map<String, java.util.SortedSet<String>> indexes(
      TestDataSource database, String prefix) throws SQLException {
    java.util.Map<String, java.util.SortedSet<String>> indexes = new java.util.TreeMap<>();
    try (Connection c = database.getConnection()) {
      java.sql.DatabaseMetaData meta = c.getMetaData();
      for (String table : Databases.tables(database, prefix).keySet()) {
        String name = prefix + table;
        if (meta.storesUpperCaseIdentifiers()) {
          name = name.toUpperCase(Locale.ROOT);
        }
        java.util.SortedSet<String> found = new java.util.TreeSet<>();
        try (ResultSet rs = meta.getIndexInfo(c.getCatalog(), c.getSchema(), name, false, false)) {
          while (rs.next()) {
            String index = rs.getString("INDEX_NAME");
            String column = rs.getString("COLUMN_NAME");
            if (index == null) {
              continue;
            }
            index = index.toLowerCase(Locale.ROOT).replace(prefix, "");
            // Names the database makes up (H2's for primary keys) differ from table to table.
            if (index.startsWith("primary_key") || index.startsWith("constraint_")) {
              index = "generated";
            }
            // H2 names the index of a constraint after it, with a number of its own.
            index = index.replaceFirst("_index_[0-9a-z]+$", "");
            found.add(index + " " + String.valueOf(column).toLowerCase(Locale.ROOT));
          }
        }
        indexes.put(table, found);
      }
    }
    return indexes;
  }

  /**
   * A node that starts while another is taking the tables from version 1 and finds version 2
   * already recorded waits for that node, on the same row's lock, instead of altering the tables
   * alongside it. PostgreSQL shows the wait in {@code pg_stat_activity}, so the test sees it
   * rather than guessing how long to wait.
   */
  @org.junit.jupiter.api.Test
  void aNodeThatFindsAVersionMidUpgrade_waitsForTheNodeUpgrading() throws Exception {
    V1 v1 = v1(Kind.POSTGRESQL);
    String p = v1.prefix();
    // Node A has taken the tables to version 2 and, on its way to 3, holds the first row's lock.
    Databases.execute(v1.database(),
        Schema.statements(Kind.POSTGRESQL.dialect().upgradeScript(p, 2)).toArray(new String[0]));
    ExecutorService nodeB = Executors.newSingleThreadExecutor();
    try {
      Future<JdbcDeliveryStore> b;
      try (Connection a = v1.database().getConnection()) {
        a.setAutoCommit(false);
        try (Statement s = a.createStatement()) {
          s.executeQuery("SELECT version FROM " + p + "schema_version WHERE version = 1 FOR UPDATE").close();
        }

        b = nodeB.submit(() -> builder(v1.database(), p).build());

        awaitLockWait(v1.database(), p + "schema_version");
        assertThat(b.isDone()).as("node B waits while node A upgrades").isFalse();
        a.rollback();
      }
      JdbcDeliveryStore store = b.get(10, TimeUnit.SECONDS);
      assertThat(Databases.column(v1.database(), "SELECT version FROM " + p + "schema_version ORDER BY version"))
          .containsExactly("1", "2", "3", "4");
      assertThat(store.count(DeliveryState.PENDING)).isZero();
    } finally {
      nodeB.shutdownNow();
    }
  }

  /** Returns once a PostgreSQL session waits for a lock in a statement that names {@code table}. */
  private static void awaitLockWait(TestDataSource database, String table) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String query = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        + " AND datname = current_database() AND query LIKE '%" + table + "%FOR UPDATE%'";
    while (Integer.parseInt(Databases.column(database, query).get(0)) == 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no session waited for the lock on " + table + " within 10 s");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }
}
