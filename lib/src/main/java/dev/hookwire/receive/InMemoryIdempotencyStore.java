package dev.hookwire.receive;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link IdempotencyStore} in this process's memory: the default of {@link WebhookReceiver}.
 *
 * <p>Records live until they expire (the receiver's TTL, read from its clock) or until the store
 * holds {@link #maxEntries()} records, when the record written longest ago is evicted to make
 * room. Size the bound above the number of webhooks expected within one TTL: an evicted id that
 * is delivered again is processed again. Every operation is O(1) (amortised: expired records at
 * the old end are dropped as writes pass them); {@link #prune} scans the whole store.
 *
 * <p>Records are lost when the process stops, and are not shared between processes: for a
 * cluster, or to survive restarts, use {@code dev.hookwire.store.jdbc.JdbcIdempotencyStore}.
 *
 * <p>Thread-safe: one lock guards the records, held for a map operation or two.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {

  /** The default bound on the number of records: {@value}. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  private final int maxEntries;

  /** Records in the order they were last written, oldest first. Guarded by {@code this}. */
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

  private InMemoryIdempotencyStore(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /**
   * Creates a store holding at most {@value #DEFAULT_MAX_ENTRIES} records.
   *
   * @return a new, empty store
   */
  public static InMemoryIdempotencyStore create() {
    return new InMemoryIdempotencyStore(DEFAULT_MAX_ENTRIES);
  }

  /**
   * Creates a store holding at most {@code maxEntries} records.
   *
   * @param maxEntries the bound; the oldest record is evicted when a write would pass it
   * @return a new, empty store
   * @throws IllegalArgumentException if {@code maxEntries} is not positive
   */
  public static InMemoryIdempotencyStore create(int maxEntries) {
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
    }
    return new InMemoryIdempotencyStore(maxEntries);
  }

  /**
   * Returns the bound on the number of records.
   *
   * @return the bound
   */
  public int maxEntries() {
    return maxEntries;
  }

  /**
   * Returns how many records the store holds, expired ones not yet dropped included.
   *
   * @return the count
   */
  public synchronized int size() {
    return entries.size();
  }

  @Override
  public synchronized Claim claim(String key, String owner, Instant now, Instant leaseUntil) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(owner, "owner == null");
    Objects.requireNonNull(now, "now == null");
    Objects.requireNonNull(leaseUntil, "leaseUntil == null");
    if (!leaseUntil.isAfter(now)) {
      throw new IllegalArgumentException("leaseUntil " + leaseUntil + " is not after now " + now);
    }
    Entry existing = entries.get(key);
    if (existing != null && existing.expiresAt.isAfter(now)) {
      return existing.owner == null ? Claim.COMPLETED : Claim.IN_PROGRESS;
    }
    write(key, new Entry(owner, leaseUntil));
    dropExpired(now);
    return Claim.ACQUIRED;
  }

  @Override
  public synchronized void complete(String key, Instant expiresAt) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
    write(key, new Entry(null, expiresAt));
  }

  @Override
  public synchronized void release(String key, String owner) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(owner, "owner == null");
    Entry existing = entries.get(key);
    if (existing != null && owner.equals(existing.owner)) {
      entries.remove(key);
    }
  }

  @Override
  public synchronized int prune(Instant now) {
    Objects.requireNonNull(now, "now == null");
    int pruned = 0;
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      if (!it.next().expiresAt.isAfter(now)) {
        it.remove();
        pruned++;
      }
    }
    return pruned;
  }

  /** Writes a record at the young end, evicting the oldest past the bound. */
  private void write(String key, Entry entry) {
    entries.remove(key);
    entries.put(key, entry);
    if (entries.size() > maxEntries) {
      Iterator<Entry> oldest = entries.values().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** Drops expired records from the old end, up to the first live one. */
  private void dropExpired(Instant now) {
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      if (it.next().expiresAt.isAfter(now)) {
        return;
      }
      it.remove();
    }
  }

  @Override
  public synchronized String toString() {
    return "InMemoryIdempotencyStore[size=" + entries.size() + ", maxEntries=" + maxEntries + "]";
  }

  /** A claim (with its owner) or a completion (owner null), and when it expires. */
  private static final class Entry {
    final String owner;
    final Instant expiresAt;

    Entry(String owner, Instant expiresAt) {
      this.owner = owner;
      this.expiresAt = expiresAt;
    }
  }
}
