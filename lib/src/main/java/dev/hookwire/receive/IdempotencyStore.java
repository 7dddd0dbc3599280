package dev.hookwire.receive;

import java.time.Instant;

/**
 * Remembers which webhooks a {@link WebhookReceiver} has processed, so that a delivery repeated by
 * the sender (a retry after a timeout, a replay) runs its handler only once.
 *
 * <p>A key goes through two states. {@link #claim} takes it for one delivery while its handler
 * runs: any other delivery of the same key meanwhile is told {@link Claim#IN_PROGRESS} and does
 * not run. Then either {@link #complete} records it as processed until an expiry (later
 * deliveries are told {@link Claim#COMPLETED}), or {@link #release} forgets it because the handler
 * failed, so that the sender's retry runs the handler again. A claim expires at its lease time,
 * so that a process that died while handling does not block the key for ever. An expired key,
 * claimed or completed, counts as absent: the next claim takes it over.
 *
 * <p>Time is given by the caller (the receiver's clock) on every call; a store reads no clock.
 * Keys are webhook ids: 1 to 255 visible ASCII characters. Owners are opaque tokens of at most 64
 * characters, unique per claim.
 *
 * <p><b>Threads.</b> Every method is called on the thread that called {@link
 * WebhookReceiver#receive}, usually a web server's request thread, by many threads at once:
 * implementations must be thread-safe, and concurrent claims of one key must leave exactly one
 * caller with {@link Claim#ACQUIRED}. Methods may block for I/O, briefly. They report a storage
 * failure by throwing an unchecked exception (a {@link dev.hookwire.HookwireException} subclass,
 * such as {@code dev.hookwire.store.StoreException}, keeping the cause); the receiver then answers
 * 503, so that the sender retries.
 *
 * <p>Implementations: {@link InMemoryIdempotencyStore} (the default) and {@code
 * dev.hookwire.store.jdbc.JdbcIdempotencyStore}, shared by every node of a cluster. One store (or
 * one JDBC table prefix) per receiver: a sender gives every endpoint the same webhook id, so two
 * receivers sharing a store would take each other's deliveries for duplicates. {@code
 * dev.hookwire.testing.contract.IdempotencyStoreContract}, in {@code
 * dev.hookwire:hookwire-testing}, runs the tests these pass against another implementation.
 */
public interface IdempotencyStore {

  /** What {@link #claim} found. */
  enum Claim {
    /** The key was absent or expired; the caller now holds it and runs the handler. */
    ACQUIRED,
    /** Another delivery of the key holds an unexpired claim: its handler is running. */
    IN_PROGRESS,
    /** The key was processed and its record has not expired: a duplicate. */
    COMPLETED
  }

  /**
   * Claims a key for processing, unless it is claimed or completed and not expired at {@code
   * now}.
   *
   * @param key the webhook id
   * @param owner a token unique to this claim, which {@link #release} must match
   * @param now the current time; records expiring at or before it count as absent
   * @param leaseUntil when the claim expires if neither completed nor released
   * @return what was found; {@link Claim#ACQUIRED} if the caller now holds the claim
   */
  Claim claim(String key, String owner, Instant now, Instant leaseUntil);

  /**
   * Records a key as processed until {@code expiresAt}, whoever holds its claim (the handler ran,
   * so the record is true even if the claim had expired meanwhile).
   *
   * @param key the webhook id
   * @param expiresAt when the record may be forgotten: the receiver's clock plus its TTL
   */
  void complete(String key, Instant expiresAt);

  /**
   * Forgets a claim that {@code owner} holds, because its handler failed; does nothing if the key
   * is completed or claimed by another owner (whose lease took over after this one's expired).
   *
   * @param key the webhook id
   * @param owner the token given to {@link #claim}
   */
  void release(String key, String owner);

  /**
   * Deletes every record, claimed or completed, that has expired at {@code now}. Expired records
   * are already ignored; pruning only frees their space. Hosts may call it on a schedule.
   *
   * @param now the current time
   * @return how many records were deleted
   */
  int prune(Instant now);
}
