package dev.hookwire.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Puts history into a store's PostgreSQL tables quickly, the way a store that has run for a
 * while holds it: succeeded deliveries, each with its message and one successful attempt, as
 * retention keeps them. Written by SQL ({@code generate_series}, a few statements of a million
 * rows each), not through a dispatcher, so that millions take minutes, not hours. Then the
 * tables are vacuumed and analyzed, as autovacuum would have done by then.
 *
 * <p>The rows are dated in the {@code --days} before now, spread evenly in enqueue order, and
 * finished a second after their creation; their ids ({@code hist_...}) are no dispatcher's.
 * Bodies are {@code --body} bytes. A later prune with a cut-off of now deletes them: benchmarks
 * that keep the history must not prune ({@link Durable} {@code --history} does not).
 *
 * <p>Arguments: {@code --deliveries 5000000 --body 512 --days 7 --prefix hwbench_history_
 * --pg-url jdbc:postgresql://...}; the tables are created (at this build's schema version) if
 * missing, and kept.
 */
public final class FillHistory {
  private static final int CHUNK = 1_000_000;

  private FillHistory() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int deliveries = a.integer("deliveries", 5_000_000);
    int body = a.integer("body", 512);
    int days = a.integer("days", 7);
    String prefix = a.string("prefix", "hwbench_history_");
    String url = a.string("pg-url", Pg.DEFAULT_URL);
    try (HikariDataSource pool = Pg.pool(url, 2, "hwbench-history", true)) {
      JdbcDeliveryStore.builder(pool).tablePrefix(prefix).build();
      long t0 = System.nanoTime();
      fill(pool, prefix, deliveries, body, Duration.ofDays(days));
      System.out.println(Bench.f("# FillHistory: %d succeeded deliveries, messages and attempts"
          + " in %s* in %.0f s", deliveries, prefix, (System.nanoTime() - t0) / 1e9));
    }
  }

  /**
   * Inserts {@code deliveries} succeeded deliveries with their messages and attempts into the
   * tables of {@code prefix}, dated in the {@code span} before now; then vacuums and analyzes.
   */
  static void fill(DataSource db, String prefix, int deliveries, int bodyBytes, Duration span)
      throws SQLException {
    long end = TimeUnit.MILLISECONDS.toNanos(Instant.now().minusSeconds(60).toEpochMilli());
    long step = Math.max(1, span.toNanos() / Math.max(1, deliveries));
    long start = end - step * deliveries;
    String body = "convert_to(rpad('{\"type\":\"history\",\"data\":\"', " + bodyBytes
        + ", 'x') || '\"}', 'UTF8')";
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      s.execute("SET synchronous_commit = off");
      for (int from = 0; from < deliveries; from += CHUNK) {
        int to = Math.min(deliveries, from + CHUNK) - 1;
        String series = " FROM generate_series(" + from + ", " + to + ") AS g(i)";
        String at = "(" + start + " + g.i::bigint * " + step + ")";
        s.execute("INSERT INTO " + prefix + "messages (id, event_id, event_type, ordering_key,"
            + " created_at, body, trace_context) SELECT 'hist_m' || g.i, 'hist_e' || g.i,"
            + " 'history.event', NULL, " + at + ", " + body + ", NULL" + series);
        s.execute("INSERT INTO " + prefix + "deliveries (id, message_id, endpoint_id,"
            + " ordering_key, state, attempts, due_at, claim_token, created_at, updated_at)"
            + " SELECT 'hist_d' || g.i, 'hist_m' || g.i, 'hist_endpoint_' || (g.i % 4), NULL,"
            + " 'SUCCEEDED', 1, " + at + ", 0, " + at + ", " + at + " + 1000000000" + series);
        s.execute("INSERT INTO " + prefix + "attempts (delivery_id, endpoint_id, event_id,"
            + " attempt_number, started_at, latency_ns, outcome, status, error,"
            + " response_snippet) SELECT 'hist_d' || g.i, 'hist_endpoint_' || (g.i % 4),"
            + " 'hist_e' || g.i, 1, " + at + " + 500000000, 2000000, 'SUCCEEDED', 200, NULL,"
            + " 'ok'" + series);
        System.out.println(Bench.f("# FillHistory: %d of %d", to + 1, deliveries));
      }
      for (String table : new String[] {"messages", "deliveries", "attempts"}) {
        s.execute("VACUUM (ANALYZE) " + prefix + table);
      }
    }
  }
}
