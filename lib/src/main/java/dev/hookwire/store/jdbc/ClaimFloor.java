package dev.hookwire.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PostgreSQL: the due time from which claims read the index of pending deliveries, so that they
 * do not walk the entries that finished deliveries leave at its start.
 *
 * <p>Why: a completion takes its delivery out of the partial index of pending ones, but the
 * index entry stays, marked dead, until a {@code VACUUM} of the whole deliveries table removes
 * it. New entries go in at the end of the index (due now), so nothing reuses the pages at its
 * start, and every claim read from the start walks past every delivery finished since the last
 * vacuum. Autovacuum runs on a table once a fifth of it has changed, so the longer the history
 * kept, the longer that walk: one page per 300 or so deliveries finished.
 *
 * <p>The floor is the earliest due time of a pending delivery (leased or not) as last looked
 * up, less {@link #SLACK}, and never later than that look's time less the slack. Claims look it
 * up again when {@link #lookDue} says so: at most once per {@link #SPACING} of their clock, and
 * whenever their clock is earlier than at the last look (set back, or another caller's). A delivery in flight
 * holds the floor at its due time until it finishes, so leases, expired or not, are always above
 * it. What a claim may miss until the next look, at most one spacing of the claims' clock later
 * (claims run at least once per poll), is a delivery written through another store object
 * (another node, or another store on the same tables) with a due time more than the slack before
 * the look: from a transaction that stayed open longer than the slack, a clock that far behind,
 * or a new delivery of a message stored long before. Deliveries written through this store
 * object lower the floor themselves, so a single node misses none of its own.
 *
 * <p>What it costs: one lookup per second per store object, which walks the dead entries once;
 * and claims still walk the entries of deliveries finished since the earliest pending one was
 * due, less the slack: a request that takes long holds the floor back while it lasts.
 *
 * <p>Thread-safe: lock-free.
 */
final class ClaimFloor {

  /** How often, at most, claims look the floor up again. */
  static final Duration SPACING = Duration.ofSeconds(1);
  /** How far before the earliest due time found the floor is set. */
  static final Duration SLACK = Duration.ofSeconds(1);
  private static final long SPACING_NANOS = Nanos.of(SPACING);

  /** The floor; {@link Long#MIN_VALUE} until first looked up. */
  private final AtomicLong floor = new AtomicLong(Long.MIN_VALUE);
  /** The lowest due time written through this object since the current look began. */
  private final AtomicLong lowered = new AtomicLong(Long.MAX_VALUE);
  /** When claims next look the floor up (nanoseconds of their clock). */
  private volatile long nextLook = Long.MIN_VALUE;

  /** The floor as it stands, without looking it up. */
  long current() {
    return floor.get();
  }

  /**
   * Whether a claim at {@code now} is to look the floor up; if so, the next look is due one
   * {@link #SPACING} later. The store does its other once-a-second work on the claims' clock at
   * the same moments.
   */
  boolean lookDue(Instant now) {
    long at = Nanos.of(now);
    long next = nextLook;
    if (at < next && at >= next - SPACING_NANOS) {
      return false; // looked up within the last spacing (a clock set back looks again)
    }
    nextLook = Nanos.of(now.plus(SPACING));
    return true;
  }

  /**
   * Looks the floor up on {@code c}, as a claim at {@code now} does when {@link #lookDue} says.
   *
   * @param lookup the query for the earliest due time of a pending delivery
   * @return the floor
   */
  long lookUp(Connection c, String lookup, Instant now) throws SQLException {
    lowered.set(Long.MAX_VALUE);
    Instant earliest = now;
    try (PreparedStatement ps = c.prepareStatement(lookup);
        ResultSet rs = ps.executeQuery()) {
      if (rs.next()) {
        long due = rs.getLong(1);
        if (!rs.wasNull() && due < Nanos.of(now)) {
          earliest = Nanos.instant(due);
        }
      }
    }
    long value = Nanos.of(earliest.minus(SLACK));
    floor.set(value);
    // A write that lowered the floor while this look ran, which the look may not have seen.
    long l = lowered.get();
    if (l < value) {
      floor.accumulateAndGet(l, Math::min);
    }
    return floor.get();
  }

  /** Deliveries written through this store object are due from {@code dueAt} (nanoseconds) on. */
  void lower(long dueAt) {
    lowered.accumulateAndGet(dueAt, Math::min);
    floor.accumulateAndGet(dueAt, Math::min);
  }
}
