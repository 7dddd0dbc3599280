package dev.hookwire.store.spi;

import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.StoreException;
import dev.hookwire.store.StoreFullException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The queue of deliveries: what the dispatcher enqueues at send, claims under a lease, completes
 * after an attempt, gives back, and prunes once delivered.
 *
 * <p><b>Contract.</b> {@link #enqueue} is durable when it returns (committed, for a database)
 * and atomic: every message and delivery of the call is stored, or none. {@link #claim} hands a
 * due delivery to one node at a time, under a lease; once the lease expires the delivery is
 * claimable again (its node is presumed dead). {@link #complete} and {@link #release} apply only
 * while the claim is current (compare-and-set on owner and claim token), so a node that lost its
 * lease cannot record an outcome twice; a claim whose lease expired stays current until another
 * claim takes the delivery over. Deliveries with the same ordering key to the same endpoint are
 * claimable one at a time, in enqueue order: a later one waits while an earlier one is {@link
 * DeliveryState#PENDING}, and none is claimed while another of them is leased (which matters
 * after a {@link #replay}).
 *
 * <p><b>Bounds.</b> A store may bound what it holds, as the in-memory store does: refuse an
 * {@link #enqueue} with {@link StoreFullException} (storing nothing of it), and forget succeeded
 * deliveries before {@link #prune} asks. It never forgets a pending or dead delivery.
 *
 * <p><b>Time.</b> A queue reads no clock: every time comes from the caller ({@code now}, due
 * times, cut-offs), so that every node of a cluster and every test agree on it. A delivery's
 * {@code updatedAt} is the {@code now} of the call that last changed it.
 *
 * <p><b>Threads.</b> Called from dispatcher threads, concurrently; never from a transport's
 * callback thread and never while an HTTP request is held open, so implementations may block on
 * I/O (a database round trip) but should not hold locks across calls. <b>Errors.</b> A storage
 * failure is a {@link StoreException} with its cause; programming errors (a null argument) are
 * the usual runtime exceptions. Implementations must be thread-safe.
 */
public interface DeliveryQueue {

  /**
   * Stores messages and their deliveries, atomically and durably. Each delivery is due at its
   * message's {@code createdAt}, and is created then.
   *
   * @param messages the messages; each body is kept, not copied
   * @param deliveries the deliveries, each naming a message of this call or one already stored
   * @throws StoreFullException if the store bounds what it holds and these would go beyond;
   *     then none is stored
   * @throws StoreException if they cannot be stored; then none is
   * @throws IllegalArgumentException if a delivery names a message neither in {@code messages}
   *     nor stored, or an id is used twice or already stored; then none is stored
   */
  void enqueue(List<NewMessage> messages, List<NewDelivery> deliveries);

  /**
   * Claims due deliveries: {@link DeliveryState#PENDING}, due at or before {@code now}, not
   * leased (or with an expired lease), not to an excluded endpoint, not behind an earlier
   * pending delivery with the same ordering key to the same endpoint (nor while another of those
   * is leased). Oldest due first; among those due at the same time, the earliest enqueued first.
   * Each claim gets a token greater than any given before.
   *
   * @param request who claims, when, for how long, how many, and which endpoints to skip
   * @return the claimed deliveries, at most {@code request.limit()}
   * @throws StoreException if the store cannot be read or written
   */
  List<ClaimedDelivery> claim(ClaimRequest request);

  /**
   * Records attempts and the new state of claimed deliveries, each only if its claim is
   * current. The attempt is appended to the log with the state change, atomically per delivery.
   * Each delivery completed was last updated at {@code now}.
   *
   * @param completions the results, in any order
   * @param now the time of the completions: the deliveries' new {@code updatedAt}
   * @return for each completion, in order, whether it was applied
   * @throws StoreException if the store cannot be written
   */
  List<Boolean> complete(List<Completion> completions, Instant now);

  /**
   * Gives claimed deliveries back without an attempt, due again at {@code dueAt}; each only if
   * its claim is current. Each delivery released was last updated at {@code now}.
   *
   * @param claims the claims to give back
   * @param dueAt when they are due again
   * @param now the time of the release: the deliveries' new {@code updatedAt}
   * @return for each claim, in order, whether it was released
   * @throws StoreException if the store cannot be written
   */
  List<Boolean> release(List<ClaimedDelivery> claims, Instant dueAt, Instant now);

  /**
   * Returns the earliest time at which a pending delivery becomes claimable, to schedule the next
   * claim: the due time of one not leased at {@code now} (a lease that expired at or before
   * {@code now} no longer counts), or the expiry of a lease that has not expired at {@code now},
   * whichever is earlier; deliveries to excluded endpoints count too. Counting lease expiry lets
   * a node pick up a dead node's deliveries on time. Present whenever anything is pending.
   *
   * @param now the time against which leases are expired
   * @return the earliest due time, possibly before {@code now}, or empty if nothing is pending
   * @throws StoreException if the store cannot be read
   */
  Optional<Instant> nextDueAt(Instant now);

  /**
   * Makes dead deliveries pending again, due at {@code now}, with their attempt count reset; the
   * log keeps the earlier attempts.
   *
   * @param deliveryIds the deliveries; those not dead are left alone
   * @param now when they are due
   * @return how many were revived
   * @throws StoreException if the store cannot be written
   */
  int replay(List<String> deliveryIds, Instant now);

  /**
   * Deletes succeeded deliveries, their attempts, and messages no delivery needs any more, last
   * updated before a time. Dead and pending deliveries are kept.
   *
   * <p>The default calls {@link #prune(Instant, int)} until a call deletes less than it may.
   *
   * @param updatedBefore the cut-off
   * @return how many deliveries were deleted
   * @throws StoreException if the store cannot be written
   */
  default int prune(Instant updatedBefore) {
    int total = 0;
    int round;
    do {
      round = prune(updatedBefore, 1_000);
      total += round;
    } while (round == 1_000);
    return total;
  }

  /**
   * Deletes at most {@code limit} succeeded deliveries last updated before a time, oldest first,
   * with their attempts and the messages no delivery needs any more. The dispatcher prunes in such
   * steps so that a large backlog never holds up delivery for long.
   *
   * @param updatedBefore the cut-off
   * @param limit the most deliveries to delete, at least 1
   * @return how many deliveries were deleted; less than {@code limit} when no more are due
   * @throws IllegalArgumentException if {@code limit} is less than 1
   * @throws StoreException if the store cannot be written
   */
  int prune(Instant updatedBefore, int limit);

  /**
   * Asks the store to call {@code wake} when work may have arrived that the caller did not
   * enqueue itself: from another node sharing the store, or through a host's transaction. A
   * dispatcher calls this once when it starts and closes what it returns when it closes. It keeps
   * polling all the while ({@code Dispatcher.Builder.pollInterval}), so a wake-up is only a hint
   * that shortens the wait: a store may call {@code wake} when nothing is new, miss some
   * arrivals, or never call it, and nothing is lost.
   *
   * <p>{@code wake} is cheap, never blocks and may be called from any thread, typically one of
   * the store's own; the dispatcher folds wake-ups that come together into one look at the
   * queue. Implementations should not call it for work enqueued by a plain {@link #enqueue}
   * through the same store object with only one registration, as that dispatcher woke itself.
   *
   * <p>The default registers nothing and returns a handle that does nothing. {@code
   * JdbcDeliveryStore} on PostgreSQL listens for the notifications its enqueues send (see its
   * {@code Builder.notifications}).
   *
   * @param wake what to call when work may have arrived
   * @return a handle whose {@code close} stops the calls to {@code wake} before it returns and
   *     releases what the store held for them; it does not throw
   * @throws StoreException if the store cannot set this up; a dispatcher then only polls
   */
  default AutoCloseable onRemoteWork(Runnable wake) {
    java.util.Objects.requireNonNull(wake, "wake == null");
    return () -> {};
  }
}
