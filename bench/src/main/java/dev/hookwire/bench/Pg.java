package dev.hookwire.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * PostgreSQL for the durable runs: the server of this machine (or {@code --pg-url}), reached
 * through a HikariCP pool as a host would; table prefixes of our own, dropped afterwards; and
 * the CPU time of the server's processes, so that a run can say where its CPU went.
 */
final class Pg {
  static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private Pg() {}

  /**
   * A pool of {@code size} connections named {@code name} (PostgreSQL's application_name).
   * {@code syncCommit} false sets {@code synchronous_commit=off} on every connection: commits
   * return before their WAL reaches the disk (a crash of the server, not of a client, may lose
   * the last few).
   */
  static HikariDataSource pool(String url, int size, String name, boolean syncCommit) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    config.setPoolName(name);
    config.addDataSourceProperty("ApplicationName", name);
    if (!syncCommit) {
      config.addDataSourceProperty("options", "-c synchronous_commit=off");
    }
    return new HikariDataSource(config);
  }

  /** A table prefix no other run uses. */
  static String freshPrefix() {
    StringBuilder s = new StringBuilder("hwb_");
    for (int i = 0; i < 8; i++) {
      s.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
    }
    return s.append('_').toString();
  }

  /** Drops a store's tables and sequence. */
  static void drop(DataSource db, String prefix) throws SQLException {
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      for (String table : List.of("attempts", "deliveries", "messages", "endpoints",
          "endpoint_revision", "schema_version")) {
        s.execute("DROP TABLE IF EXISTS " + prefix + table);
      }
      s.execute("DROP SEQUENCE IF EXISTS " + prefix + "claim_tokens");
    }
  }

  /**
   * Drops the store's indexes that serve only queries and pruning, none that claims and
   * completions use: an experiment on what they cost.
   */
  static void dropQueryIndexes(DataSource db, String prefix) throws SQLException {
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      for (String index : List.of("deliveries_state_idx", "deliveries_endpoint_idx",
          "deliveries_message_idx", "attempts_event_idx", "attempts_endpoint_idx",
          "messages_event_idx", "messages_created_idx")) {
        s.execute("DROP INDEX IF EXISTS " + prefix + index); // schema version 4 has fewer
      }
    }
  }

  /** The first column of a query's rows, as text. */
  static List<String> column(DataSource db, String query) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  static long count(DataSource db, String query) throws SQLException {
    return Long.parseLong(column(db, query).get(0));
  }

  /** Waits until no session of the server carries an application name. */
  static void awaitSessionsGone(DataSource db, String name, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String query = "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = '" + name + "'";
    while (count(db, query) > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("sessions of " + name + " still open after " + timeout);
      }
      Thread.sleep(20);
    }
  }

  /**
   * CPU time of the PostgreSQL server's processes that work for us, in nanoseconds: the
   * backends of sessions whose application name starts with one of {@code names} and the server's
   * background processes (WAL writer, checkpointer, ...), not the backends of anyone else's
   * sessions, nor the postmaster (which only forks new sessions). Only
   * processes alive now count: compare over runs whose pools stay open.
   */
  static long serverCpuNanos(DataSource db, String... names) throws SQLException {
    StringBuilder query = new StringBuilder(
        "SELECT pid FROM pg_stat_activity WHERE backend_type <> 'client backend'");
    for (String name : names) {
      query.append(" OR application_name LIKE '").append(name).append("%'");
    }
    List<String> pids = column(db, query.toString());
    long total = 0;
    for (String pid : pids) {
      total += ProcessHandle.of(Long.parseLong(pid))
          .flatMap(p -> p.info().totalCpuDuration())
          .map(Duration::toNanos)
          .orElse(0L);
    }
    return total;
  }
}
