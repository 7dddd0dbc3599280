package dev.hookwire.store.spi;

/**
 * Where the dispatcher keeps endpoints, messages, deliveries and the attempt log: the three
 * narrow SPIs a dispatcher needs, {@link EndpointRepository}, {@link DeliveryQueue} and {@link
 * DeliveryHistory}, implemented over one storage so that they agree. A host that brings its own
 * database implements this; {@code InMemoryDeliveryStore} and {@code JdbcDeliveryStore} are the
 * ones Hookwire ships. Every store passes the same contract suite.
 *
 * <p>Several dispatchers (nodes) may share one store: it is their single source of truth for
 * endpoints and deliveries. Implementations must be thread-safe.
 */
public interface DeliveryStore extends EndpointRepository, DeliveryQueue, DeliveryHistory, AutoCloseable {

  /** Releases the store's resources; the default does nothing. */
  @Override
  default void close() {}
}
