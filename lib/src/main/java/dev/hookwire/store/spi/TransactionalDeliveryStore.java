package dev.hookwire.store.spi;

import dev.hookwire.store.StoreException;
import java.sql.Connection;
import java.util.List;

/**
 * A {@link DeliveryStore} that can also write through the host's own database transaction: the
 * transactional outbox. Messages and deliveries enqueued this way exist if and only if the
 * host's transaction commits.
 *
 * <p>Same threading and error rules as {@link DeliveryStore}. Implementations must be
 * thread-safe; the connection is the caller's and is used only during the call.
 */
public interface TransactionalDeliveryStore extends DeliveryStore {

  /**
   * Stores messages and deliveries through the host's connection, inside the host's transaction.
   * Neither commits, rolls back nor closes the connection.
   *
   * @param connection the host's connection, with auto-commit off
   * @param messages the messages
   * @param deliveries the deliveries
   * @throws IllegalArgumentException if the connection is in auto-commit mode, or the arguments
   *     are invalid as for {@link #enqueue(List, List)}
   * @throws StoreException if the statements fail; the host should roll back
   */
  void enqueue(Connection connection, List<NewMessage> messages, List<NewDelivery> deliveries);
}
