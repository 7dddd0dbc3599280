package dev.hookwire.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.store.spi.ClaimRequest;
import dev.hookwire.store.spi.NewDelivery;
import dev.hookwire.store.spi.NewMessage;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.Forwarding;
import dev.hookwire.testing.RequiresDatabase;
import dev.hookwire.testing.TestDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * While its PostgreSQL tables are young, the store analyzes each one that has outgrown its
 * statistics (more than twice the recorded size) when a claim comes, at most once a second of the
 * claims' clock: plans made for empty tables would otherwise read the whole table per statement
 * until autovacuum first analyzes it.
 */
@RequiresDatabase(Databases.Kind.POSTGRESQL)
class PostgresStatisticsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final TestDataSource database = Databases.open(Databases.Kind.POSTGRESQL);
  private final String prefix = Databases.uniquePrefix();

  @AfterEach
  void drop() {
    Databases.drop(database, Databases.Kind.POSTGRESQL, prefix);
  }

  /** The size in pages that the table's statistics record; 0 before any analyze or vacuum. */
  private long recordedPages(String table) {
    return Long.parseLong(Databases.column(database,
        "SELECT relpages FROM pg_class WHERE oid = '" + prefix + table + "'::regclass").get(0));
  }

  private long pages(String table) {
    return Long.parseLong(Databases.column(database, "SELECT pg_relation_size('" + prefix + table
        + "') / current_setting('block_size')::int").get(0));
  }

  private void enqueue(JdbcDeliveryStore store, int from, int n) {
    List<NewMessage> messages = new ArrayList<>();
    List<NewDelivery> deliveries = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      messages.add(new NewMessage("m" + i, "e" + i, "t", T0, new byte[] {'{', '}'},
          Optional.empty(), Optional.empty()));
      deliveries.add(new NewDelivery("d" + i, "m" + i, "ep"));
    }
    store.enqueue(messages, deliveries);
  }

  private void claim(JdbcDeliveryStore store, Instant now) {
    store.claim(new ClaimRequest("n", now, Duration.ofSeconds(30), 1, Set.of()));
  }

  @Test
  void claims_analyzeTablesThatOutgrewTheirStatistics_atMostOnceASecond() {
    JdbcDeliveryStore store = JdbcDeliveryStore.builder(database).tablePrefix(prefix).build();
    enqueue(store, 0, 5);
    claim(store, T0);
    assertThat(recordedPages("deliveries")).as("a table of a page or two is left alone").isZero();

    enqueue(store, 5, 3_000);
    assertThat(pages("deliveries")).isGreaterThan(16);
    claim(store, T0.plusMillis(500));
    assertThat(recordedPages("deliveries")).as("within a second of the last look").isZero();

    claim(store, T0.plusSeconds(1));
    long first = recordedPages("deliveries");
    assertThat(first).isEqualTo(pages("deliveries"));
    assertThat(recordedPages("messages")).isEqualTo(pages("messages"));

    enqueue(store, 3_005, 1_000); // grown, but not to twice the recorded size
    claim(store, T0.plusSeconds(2));
    assertThat(recordedPages("deliveries")).isEqualTo(first);

    enqueue(store, 4_005, 6_000);
    claim(store, T0.plusSeconds(3));
    assertThat(recordedPages("deliveries")).isEqualTo(pages("deliveries")).isGreaterThan(2 * first);
  }

  /**
   * Records the statements a data source's connections prepare or execute, in order; with a
   * role, its connections act as that role ({@code SET ROLE}) until given back.
   */
  private static DataSource recording(DataSource target, String role, List<String> sql) {
    return Forwarding.connections(target, c -> {
      if (role != null) {
        try (Statement s = c.createStatement()) {
          s.execute("SET ROLE " + role);
        }
      }
      return Forwarding.proxy(Connection.class, c, (t, method, args) -> {
        if (method.getName().equals("close") && role != null) {
          try (Statement s = t.createStatement()) {
            s.execute("RESET ROLE");
          }
        }
        if (method.getName().equals("prepareStatement")) {
          sql.add((String) args[0]);
        }
        Object result = Forwarding.call(t, method, args);
        if (result instanceof Statement s && !(result instanceof PreparedStatement)) {
          return Forwarding.proxy(Statement.class, s, (st, m, a) -> {
            if (m.getName().startsWith("execute") && a != null && a[0] instanceof String q) {
              sql.add(q);
            }
            return Forwarding.call(st, m, a);
          });
        }
        return result;
      });
    });
  }

  @Test
  void aUserWhoMayNotAnalyzeTheTables_looksOnce_andLeavesThemToAutovacuum() {
    JdbcDeliveryStore owner = JdbcDeliveryStore.builder(database).tablePrefix(prefix).build();
    enqueue(owner, 0, 3_000);
    String role = prefix + "app";
    Databases.execute(database,
        "CREATE ROLE " + role,
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role,
        "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO " + role);
    try {
      List<String> sql = new CopyOnWriteArrayList<>();
      JdbcDeliveryStore store = JdbcDeliveryStore.builder(recording(database, role, sql))
          .tablePrefix(prefix).createSchema(false).build();
      for (int s = 0; s < 3; s++) {
        assertThat(store.claim(new ClaimRequest("n", T0.plusSeconds(s), Duration.ofSeconds(30), 1, Set.of())))
            .as("claims go on").hasSize(1);
      }
      assertThat(sql).as("a look, then none").filteredOn(q -> q.contains("pg_relation_size")).hasSize(1);
      assertThat(sql).noneMatch(q -> q.startsWith("ANALYZE"));

      sql.clear();
      JdbcDeliveryStore asOwner = JdbcDeliveryStore.builder(recording(database, null, sql))
          .tablePrefix(prefix).build();
      for (int s = 0; s < 3; s++) {
        asOwner.claim(new ClaimRequest("o", T0.plusSeconds(s), Duration.ofSeconds(30), 1, Set.of()));
      }
      assertThat(sql).as("the owner's store, for comparison: it looks on each claim a second apart")
          .filteredOn(q -> q.contains("pg_relation_size")).hasSize(3);
    } finally {
      Databases.execute(database, "DROP OWNED BY " + role, "DROP ROLE " + role);
    }
  }

  @Test
  void onceTheTablesAreGrown_claimsNoLongerLook() {
    JdbcDeliveryStore store = JdbcDeliveryStore.builder(database).tablePrefix(prefix).build();
    enqueue(store, 0, 40_000);
    claim(store, T0);
    long grown = recordedPages("deliveries");
    assertThat(grown).isGreaterThanOrEqualTo(JdbcDeliveryStore.GROWN_PAGES);
    assertThat(recordedPages("messages")).isGreaterThanOrEqualTo(JdbcDeliveryStore.GROWN_PAGES);

    claim(store, T0.plusSeconds(1)); // both grown, neither outgrown: the store stops looking
    enqueue(store, 40_000, 90_000);
    claim(store, T0.plusSeconds(10));
    assertThat(recordedPages("deliveries")).isEqualTo(grown);
  }
}
