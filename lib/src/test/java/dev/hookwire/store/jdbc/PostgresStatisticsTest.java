package dev.hookwire.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.store.spi.ClaimRequest;
import dev.hookwire.store.spi.NewDelivery;
import dev.hookwire.store.spi.NewMessage;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.RequiresDatabase;
import dev.hookwire.testing.TestDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On new PostgreSQL tables the store analyzes the deliveries table itself, once, when a claim
 * first finds a backlog: without statistics the planner reads every due delivery per claim.
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

  private String analyzed() {
    return Databases.column(database, "SELECT COALESCE(last_analyze, last_autoanalyze) IS NOT NULL"
        + " FROM pg_stat_user_tables WHERE relname = '" + prefix + "deliveries'").get(0);
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

  @Test
  void aClaimThatFindsABacklog_onTablesNeverAnalyzed_analyzesThem() {
    JdbcDeliveryStore store = JdbcDeliveryStore.builder(database).tablePrefix(prefix).build();
    enqueue(store, 0, 5);

    assertThat(store.claim(new ClaimRequest("n", T0, Duration.ofSeconds(30), 10, Set.of())))
        .hasSize(5);
    assertThat(analyzed()).as("a claim that took everything due").isEqualTo("f");

    enqueue(store, 5, 3);
    assertThat(store.claim(new ClaimRequest("n", T0, Duration.ofSeconds(30), 2, Set.of())))
        .hasSize(2);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!analyzed().equals("t") && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    assertThat(analyzed()).as("analyzed after a claim that left work behind").isEqualTo("t");
  }
}
