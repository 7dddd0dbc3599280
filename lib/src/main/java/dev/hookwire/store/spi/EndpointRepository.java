package dev.hookwire.store.spi;

import dev.hookwire.store.StoreException;
import java.util.List;
import java.util.Optional;

/**
 * Where endpoints and their control state live: the single source of truth that every
 * dispatcher sharing the store reads. A dispatcher keeps a cache of it and checks {@link
 * #endpointRevision()} to learn that anything changed.
 *
 * <p><b>Contract.</b> Every insert, update and delete that succeeds changes the revision to a
 * greater value; an inserted or updated endpoint gets that value as its {@link
 * StoredEndpoint#version() version}. Updates are compare-and-set on the version, so that two nodes
 * changing one endpoint at once never lose either change silently: the loser reads again and
 * retries. Every call is atomic and durable when it returns.
 *
 * <p><b>Threads.</b> Called from dispatcher threads and the host's threads, concurrently; may
 * block on I/O. Implementations must be thread-safe. <b>Errors.</b> A storage failure is a {@link
 * StoreException} with its cause.
 */
public interface EndpointRepository {

  /**
   * Inserts an endpoint unless one with its id exists.
   *
   * @param endpoint the endpoint; its version is ignored and assigned by the store
   * @return whether it was inserted; false if the id was taken
   * @throws StoreException if it cannot be stored
   */
  boolean insertEndpoint(StoredEndpoint endpoint);

  /**
   * Replaces an endpoint's configuration, failing-since and update time, if its version is still
   * {@code expectedVersion}.
   *
   * @param endpoint the new state, with the endpoint's id
   * @param expectedVersion the version the change was computed from
   * @return whether it was applied; false if the endpoint changed meanwhile or is gone
   * @throws StoreException if it cannot be stored
   */
  boolean updateEndpoint(StoredEndpoint endpoint, long expectedVersion);

  /**
   * Deletes an endpoint. Its deliveries stay, for the log; dispatchers do not attempt them.
   *
   * @param endpointId the endpoint's id
   * @return whether it existed
   * @throws StoreException if it cannot be deleted
   */
  boolean deleteEndpoint(String endpointId);

  /**
   * Returns one endpoint.
   *
   * @param endpointId the endpoint's id
   * @return the endpoint, or empty if there is none with the id
   * @throws StoreException if it cannot be read
   */
  Optional<StoredEndpoint> endpoint(String endpointId);

  /**
   * Returns every endpoint, in the order they were inserted.
   *
   * @return the endpoints
   * @throws StoreException if they cannot be read
   */
  List<StoredEndpoint> endpoints();

  /**
   * Returns a number that is greater after any endpoint was inserted, updated or deleted: a
   * cheap check of whether a cache of {@link #endpoints()} is current. 0 for a store that never
   * held an endpoint.
   *
   * @return the revision
   * @throws StoreException if it cannot be read
   */
  long endpointRevision();
}
