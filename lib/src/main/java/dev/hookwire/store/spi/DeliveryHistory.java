package dev.hookwire.store.spi;

import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryQuery;
import dev.hookwire.store.DeliveryRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.StoreException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads the deliveries and the attempt log: what the dispatcher's queries, replays and metrics
 * need. Reads only; {@link DeliveryQueue} writes.
 *
 * <p><b>Threads.</b> Called from the host's threads, concurrently; may block on I/O.
 * Implementations must be thread-safe. <b>Errors.</b> A storage failure is a {@link
 * StoreException} with its cause.
 */
public interface DeliveryHistory {

  /**
   * Returns one delivery.
   *
   * @param deliveryId the delivery's id
   * @return the delivery, or empty if unknown
   * @throws StoreException if the store cannot be read
   */
  Optional<DeliveryRecord> delivery(String deliveryId);

  /**
   * Returns the deliveries a query selects, in the order {@link DeliveryQuery} describes: newest
   * {@code createdAt} first, then by {@code deliveryId} descending. A delivery's {@code createdAt}
   * is its message's. Implementations apply every filter, the inclusive {@code createdSince},
   * the exclusive {@code createdBefore} and the cursor, then the limit; comparing ids in the same
   * order in the cursor's condition as in the sort, so that paging neither skips nor repeats.
   *
   * @param query the selection
   * @return the deliveries
   * @throws StoreException if the store cannot be read
   */
  List<DeliveryRecord> deliveries(DeliveryQuery query);

  /**
   * Returns the attempt log of one event, across endpoints, oldest first.
   *
   * @param eventId the event's id
   * @return the attempts
   * @throws StoreException if the store cannot be read
   */
  List<AttemptRecord> attemptsForEvent(String eventId);

  /**
   * Returns the attempt log of one endpoint from a time on, oldest first.
   *
   * @param endpointId the endpoint
   * @param since the earliest start time
   * @param limit the most to return
   * @return the attempts
   * @throws StoreException if the store cannot be read
   */
  List<AttemptRecord> attemptsForEndpoint(String endpointId, Instant since, int limit);

  /**
   * Counts deliveries in a state.
   *
   * @param state the state
   * @return the count
   * @throws StoreException if the store cannot be read
   */
  long count(DeliveryState state);
}
