package dev.hookwire.testing.contract;

import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.spi.DeliveryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The claiming rules of {@link DeliveryStore}, written as plainly as possible: every claim scans
 * every delivery. Randomised tests run a real store and this one side by side and compare their
 * answers, each delivery's last update and the next due time among them. Not thread-safe.
 */
final class ReferenceStore {

  /** What the reference knows of one delivery. */
  static final class Entry {
    final String id;
    final String endpointId;
    final String key;
    final long seq;
    DeliveryState state = DeliveryState.PENDING;
    int attempts;
    Instant dueAt;
    Instant updatedAt;
    String owner;
    long token;
    Instant leaseUntil;

    Entry(String id, String endpointId, String key, long seq, Instant dueAt) {
      this.id = id;
      this.endpointId = endpointId;
      this.key = key;
      this.seq = seq;
      this.dueAt = dueAt;
      this.updatedAt = dueAt;
    }

    boolean leasedAt(Instant now) {
      return token != 0 && leaseUntil.isAfter(now);
    }
  }

  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private long seq;

  void enqueue(String deliveryId, String endpointId, String key, Instant createdAt) {
    entries.put(deliveryId, new Entry(deliveryId, endpointId, key, seq++, createdAt));
  }

  /** Returns the deliveries a claim takes, in order; the caller records their tokens. */
  List<Entry> claim(String owner, Instant now, Duration lease, int limit, Set<String> excluded) {
    // Per (endpoint, key): the earliest pending delivery, and whether any is leased.
    Map<String, Entry> heads = new HashMap<>();
    Map<String, Boolean> busy = new HashMap<>();
    for (Entry e : entries.values()) {
      if (e.state != DeliveryState.PENDING || e.key == null) {
        continue;
      }
      String group = e.endpointId + "\u0000" + e.key;
      heads.merge(group, e, (a, b) -> a.seq < b.seq ? a : b);
      busy.merge(group, e.leasedAt(now), Boolean::logicalOr);
    }
    List<Entry> claimable = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e.state != DeliveryState.PENDING
          || e.dueAt.isAfter(now)
          || e.leasedAt(now)
          || excluded.contains(e.endpointId)) {
        continue;
      }
      if (e.key != null) {
        String group = e.endpointId + "\u0000" + e.key;
        if (heads.get(group) != e || busy.get(group)) {
          continue;
        }
      }
      claimable.add(e);
    }
    claimable.sort(
        Comparator.comparing((Entry e) -> e.dueAt).thenComparingLong((Entry e) -> e.seq));
    List<Entry> claimed = claimable.subList(0, Math.min(limit, claimable.size()));
    for (Entry e : claimed) {
      e.owner = owner;
      e.leaseUntil = now.plus(lease);
    }
    return new ArrayList<>(claimed);
  }

  boolean complete(
      String deliveryId,
      String owner,
      long token,
      DeliveryState state,
      boolean withAttempt,
      Instant nextAttemptAt,
      Instant now) {
    Entry e = current(deliveryId, owner, token);
    if (e == null) {
      return false;
    }
    if (withAttempt) {
      e.attempts++;
    }
    e.state = state;
    e.dueAt = nextAttemptAt;
    e.updatedAt = now;
    return true;
  }

  boolean release(String deliveryId, String owner, long token, Instant dueAt, Instant now) {
    Entry e = current(deliveryId, owner, token);
    if (e == null) {
      return false;
    }
    e.dueAt = dueAt;
    e.updatedAt = now;
    return true;
  }

  /**
   * The earliest time a pending delivery becomes claimable: the expiry of a lease current at
   * {@code now}, or the due time of the first delivery of its ordering group none of which is
   * leased at {@code now} (or of one without a key); empty if nothing is pending.
   */
  Optional<Instant> nextDueAt(Instant now) {
    Map<String, Entry> heads = new HashMap<>();
    Map<String, Boolean> busy = new HashMap<>();
    for (Entry e : entries.values()) {
      if (e.state == DeliveryState.PENDING && e.key != null) {
        String group = e.endpointId + "\u0000" + e.key;
        heads.merge(group, e, (a, b) -> a.seq < b.seq ? a : b);
        busy.merge(group, e.leasedAt(now), Boolean::logicalOr);
      }
    }
    Instant earliest = null;
    for (Entry e : entries.values()) {
      if (e.state != DeliveryState.PENDING) {
        continue;
      }
      Instant at;
      if (e.leasedAt(now)) {
        at = e.leaseUntil;
      } else if (e.key == null) {
        at = e.dueAt;
      } else {
        String group = e.endpointId + "\u0000" + e.key;
        at = heads.get(group) == e && !busy.get(group) ? e.dueAt : null;
      }
      if (at != null && (earliest == null || at.isBefore(earliest))) {
        earliest = at;
      }
    }
    return Optional.ofNullable(earliest);
  }

  /** Returns the delivery and ends its lease if the claim is current, else null. */
  private Entry current(String deliveryId, String owner, long token) {
    Entry e = entries.get(deliveryId);
    if (e == null
        || e.state != DeliveryState.PENDING
        || e.token == 0
        || e.token != token
        || !e.owner.equals(owner)) {
      return null;
    }
    e.owner = null;
    e.token = 0;
    e.leaseUntil = null;
    return e;
  }

  int replay(List<String> deliveryIds, Instant now) {
    int revived = 0;
    for (String id : deliveryIds) {
      Entry e = entries.get(id);
      if (e != null && e.state == DeliveryState.DEAD) {
        e.state = DeliveryState.PENDING;
        e.attempts = 0;
        e.dueAt = now;
        e.updatedAt = now;
        revived++;
      }
    }
    return revived;
  }

  Entry get(String deliveryId) {
    return entries.get(deliveryId);
  }

  List<Entry> entries() {
    return new ArrayList<>(entries.values());
  }

  long count(DeliveryState state) {
    return entries.values().stream().filter(e -> e.state == state).count();
  }
}
