package dev.hookwire.dispatch;

import dev.hookwire.store.spi.DeliveryStore;
import org.slf4j.Logger;

/**
 * The dispatcher's side of {@link dev.hookwire.store.spi.DeliveryQueue#onRemoteWork}: asks the
 * store for wake-ups when the dispatcher starts and stops them when it closes. A store that
 * cannot give them only costs the dispatcher its quick start on other nodes' work: it polls.
 */
final class RemoteWork {
  private static final Logger log = DispatchLog.LOG;

  private RemoteWork() {}

  /** Registers the wake-up; on failure, says so and registers nothing. */
  static AutoCloseable watch(DeliveryStore store, Runnable wake, String nodeId) {
    try {
      AutoCloseable handle = store.onRemoteWork(wake);
      return handle != null ? handle : () -> {};
    } catch (RuntimeException e) {
      log.warn("dispatcher {}: the store gives no wake-up for other nodes' work; polling only",
          nodeId, e);
      return () -> {};
    }
  }

  /** Stops the wake-ups; a failure is logged, never thrown. */
  static void stop(AutoCloseable handle, String nodeId) {
    try {
      handle.close();
    } catch (Exception e) {
      log.warn("dispatcher {}: stopping the store's wake-ups failed", nodeId, e);
    }
  }
}
