package dev.hookwire.dispatch;

import java.sql.Connection;
import java.util.Optional;

/**
 * The transaction the calling thread is in, as a framework manages it: with one set on {@link
 * Dispatcher.Builder#ambientTransaction}, {@link Dispatcher#send(dev.hookwire.event.WebhookEvent)}
 * (or {@link Dispatcher#sendTo}) inside such a transaction writes through its connection, so that the event exists if and only
 * if the transaction commits, and wakes the dispatcher after the commit. Outside a transaction
 * {@code send} works as without it. Spring's is in the Spring Boot starter.
 *
 * <p>Called on the thread that calls {@code send}. Implementations must be thread-safe.
 */
public interface AmbientTransaction {
  /**
   * Returns the connection of the transaction the calling thread is in, on the database of the
   * dispatcher's store, or empty if it is in none. The dispatcher neither commits nor closes it.
   *
   * @return the connection, with auto-commit off, or empty
   */
  Optional<Connection> currentConnection();

  /**
   * Runs {@code action} once the current transaction has committed; never if it rolls back.
   * Called only after {@link #currentConnection()} returned a connection, on the same thread.
   *
   * @param action what to run after the commit; it does not throw
   */
  void afterCommit(Runnable action);
}
