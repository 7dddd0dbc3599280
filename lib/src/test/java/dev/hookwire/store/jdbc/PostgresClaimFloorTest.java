package dev.hookwire.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.spi.ClaimRequest;
import dev.hookwire.store.spi.ClaimedDelivery;
import dev.hookwire.store.spi.Completion;
import dev.hookwire.store.spi.NewDelivery;
import dev.hookwire.store.spi.NewMessage;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.RequiresDatabase;
import dev.hookwire.testing.TestDataSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL, claims read the pending deliveries from a floor: the earliest pending due time
 * less a second, looked up at most once a second of the claims' clock, so that they do not walk
 * the index entries of every delivery finished since the last vacuum. What that may delay, and
 * by how much at most, and what it never misses.
 */
@RequiresDatabase(Databases.Kind.POSTGRESQL)
class PostgresClaimFloorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final TestDataSource database = Databases.open(Databases.Kind.POSTGRESQL);
  private final String prefix = Databases.uniquePrefix();

  @AfterEach
  void drop() {
    Databases.drop(database, Databases.Kind.POSTGRESQL, prefix);
  }

  private JdbcDeliveryStore store() {
    return JdbcDeliveryStore.builder(database).tablePrefix(prefix).build();
  }

  /** A message created at {@code createdAt} and its delivery {@code "d-" + id} to {@code ep}. */
  private static void enqueue(JdbcDeliveryStore store, String id, Instant createdAt) {
    NewMessage message = new NewMessage(id, "evt-" + id, "t", createdAt, new byte[] {'{', '}'},
        Optional.empty(), Optional.empty());
    store.enqueue(List.of(message), List.of(new NewDelivery("d-" + id, id, "ep")));
  }

  private static List<ClaimedDelivery> claim(JdbcDeliveryStore store, Instant now) {
    return store.claim(new ClaimRequest("node", now, LEASE, 10, Set.of()));
  }

  private static List<String> claimIds(JdbcDeliveryStore store, Instant now) {
    return claim(store, now).stream().map(ClaimedDelivery::deliveryId).toList();
  }

  private static void succeed(JdbcDeliveryStore store, List<ClaimedDelivery> claimed, Instant now) {
    List<Completion> done = claimed.stream()
        .map(c -> new Completion(c, Optional.empty(), DeliveryState.SUCCEEDED, now))
        .toList();
    assertThat(store.complete(done, now)).containsOnly(true);
  }

  /**
   * The cost the floor saves: 20,000 deliveries finished (and no vacuum since) leave as many dead
   * entries at the start of the claim index; a claim read from the floor does not walk them.
   */
  @Test
  void aClaimFromTheFloor_skipsTheDeadEntriesOfFinishedDeliveries() throws Exception {
    JdbcDeliveryStore store = store();
    Databases.execute(database,
        "ALTER TABLE " + prefix + "deliveries SET (autovacuum_enabled = false)");
    List<NewMessage> messages = new ArrayList<>();
    List<NewDelivery> deliveries = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      messages.add(new NewMessage("old" + i, "evt-old" + i, "t", T0.minusSeconds(3_600).plusMillis(i),
          new byte[] {'{', '}'}, Optional.empty(), Optional.empty()));
      deliveries.add(new NewDelivery("d-old" + i, "old" + i, "ep"));
    }
    store.enqueue(messages, deliveries);
    Databases.execute(database, "UPDATE " + prefix + "deliveries SET state = 'SUCCEEDED'");
    enqueue(store, "now", T0);
    assertThat(claimIds(store, T0)).containsExactly("d-now"); // the floor: T0 less a second

    long fromFloor = claimBuffers(Nanos.of(T0.minusSeconds(1)));
    long fromStart = claimBuffers(Long.MIN_VALUE);
    assertThat(fromFloor).as("buffers a claim reads from the floor").isLessThan(20);
    assertThat(fromStart).as("buffers a claim reads from the start of the index")
        .isGreaterThan(5 * fromFloor).isGreaterThan(40); // 79 on PostgreSQL 15
  }

  /** Shared buffers the claim statement reads at T0, from {@code floor} on; rolled back. */
  private long claimBuffers(long floor) throws Exception {
    Sql sql = new Sql(JdbcDialect.POSTGRESQL, prefix, true);
    long now = Nanos.of(T0);
    try (Connection c = database.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql.claimPostgres)) {
        ps.setLong(1, now);
        ps.setLong(2, now);
        ps.setLong(3, floor);
        ps.setArray(4, c.createArrayOf("varchar", new Object[0]));
        ps.setLong(5, now);
        ps.setInt(6, 10);
        ps.setString(7, "explain");
        ps.setLong(8, now + Nanos.of(LEASE));
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          JsonNode plan = new ObjectMapper().readTree(rs.getString(1)).get(0).get("Plan");
          return plan.get("Shared Hit Blocks").asLong() + plan.get("Shared Read Blocks").asLong();
        }
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    }
  }

  @Test
  void anotherStoresDelivery_dueBeforeTheFloor_isClaimedAtTheNextLook() {
    JdbcDeliveryStore node = store();
    JdbcDeliveryStore other = store(); // another node on the same tables
    assertThat(claimIds(node, T0)).as("nothing pending: the floor is T0 less a second").isEmpty();

    enqueue(other, "late", T0.minusSeconds(10)); // a transaction that stayed open for 10 s, say
    assertThat(claimIds(node, T0.plusMillis(999))).as("below the floor until the next look")
        .isEmpty();
    assertThat(claimIds(node, T0.plusSeconds(1))).containsExactly("d-late");
  }

  @Test
  void aClaimAtAnEarlierTimeThanTheLastLook_looksAgain() {
    JdbcDeliveryStore node = store();
    JdbcDeliveryStore other = store();
    assertThat(claimIds(node, T0.plusSeconds(10))).as("the floor is T0 + 9 s").isEmpty();

    enqueue(other, "behind", T0); // the claims' clock was set back ten seconds, say
    assertThat(claimIds(node, T0)).containsExactly("d-behind");
  }

  @Test
  void anotherStoresDelivery_withinTheSlack_isClaimedAtOnce() {
    JdbcDeliveryStore node = store();
    JdbcDeliveryStore other = store();
    assertThat(claimIds(node, T0)).isEmpty();

    enqueue(other, "skewed", T0.minusMillis(900)); // a clock 900 ms behind, say
    assertThat(claimIds(node, T0.plusMillis(1))).containsExactly("d-skewed");
  }

  @Test
  void ownDeliveries_lowerTheFloor_andAreClaimedAtOnce() {
    JdbcDeliveryStore store = store();
    assertThat(claimIds(store, T0)).isEmpty();

    enqueue(store, "old", T0.minusSeconds(10));
    List<ClaimedDelivery> claimed = claim(store, T0);
    assertThat(claimed).extracting(ClaimedDelivery::deliveryId).containsExactly("d-old");
    succeed(store, claimed, T0);

    // The floor looked up again with nothing pending (T0 + 1 s), then a new delivery of the
    // message stored ten seconds before it, to another endpoint: due when the message was made.
    assertThat(claimIds(store, T0.plusSeconds(2))).isEmpty();
    store.enqueue(List.of(), List.of(new NewDelivery("d-again", "old", "ep2")));
    assertThat(claimIds(store, T0.plusSeconds(2))).containsExactly("d-again");
  }

  @Test
  void outboxDeliveries_lowerTheFloor_andAreClaimedOnceCommitted() throws SQLException {
    JdbcDeliveryStore store = store();
    assertThat(claimIds(store, T0)).isEmpty();

    NewMessage message = new NewMessage("held", "evt-held", "t", T0.minusSeconds(10),
        new byte[] {'{', '}'}, Optional.empty(), Optional.empty());
    try (Connection host = database.getConnection()) {
      host.setAutoCommit(false);
      store.enqueue(host, List.of(message), List.of(new NewDelivery("d-held", "held", "ep")));
      host.commit(); // ten seconds after the message was made, say
    }
    assertThat(claimIds(store, T0)).containsExactly("d-held");
  }

  @Test
  void aDeliveryInFlight_holdsTheFloor_soItsLeaseExpiryIsSeen() {
    JdbcDeliveryStore store = store();
    enqueue(store, "slow", T0);
    assertThat(claimIds(store, T0)).containsExactly("d-slow");

    // Twenty seconds on, other work comes and goes, and the floor is looked up again.
    enqueue(store, "quick", T0.plusSeconds(20));
    List<ClaimedDelivery> quick = claim(store, T0.plusSeconds(20));
    assertThat(quick).extracting(ClaimedDelivery::deliveryId).containsExactly("d-quick");
    succeed(store, quick, T0.plusSeconds(20));

    assertThat(store.nextDueAt(T0.plusSeconds(21))).as("the lease of the delivery still in flight")
        .contains(T0.plus(LEASE));
    assertThat(claimIds(store, T0.plus(LEASE))).containsExactly("d-slow");
  }
}
