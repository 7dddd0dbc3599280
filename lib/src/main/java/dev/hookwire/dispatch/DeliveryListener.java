package dev.hookwire.dispatch;

import dev.hookwire.store.AttemptRecord;
import java.time.Instant;

/**
 * Hears what happens to deliveries: for metrics, alerts, or a user interface.
 *
 * <p>Every method has an empty default, so a listener implements only what it needs and new
 * callbacks can be added without breaking it. Callbacks run on dispatcher threads, after the
 * store has recorded the outcome; they must be quick and must not block. An exception thrown by a
 * listener is logged and otherwise ignored. Implementations must be thread-safe.
 */
public interface DeliveryListener {

  /**
   * An attempt is about to be sent: its delivery lag ({@link AttemptStart#lag()}) is known now.
   * Unlike the others, this runs before anything is recorded, on the thread that claims work.
   *
   * @param attempt the attempt
   */
  default void attemptStarted(AttemptStart attempt) {}

  /**
   * An attempt succeeded: the delivery is done.
   *
   * @param attempt the attempt
   */
  default void attemptSucceeded(AttemptRecord attempt) {}

  /**
   * Any attempt, once recorded: one that succeeded, one to be retried, and the last of a
   * delivery that died, which {@link #deliveryDead} alone does not carry. Called before the
   * callback about its delivery; metrics count attempts here.
   *
   * @param attempt the attempt
   */
  default void attemptRecorded(AttemptRecord attempt) {}

  /**
   * An attempt failed and the delivery will be attempted again.
   *
   * @param attempt the attempt
   * @param nextAttemptAt when the next attempt is due
   */
  default void attemptFailed(AttemptRecord attempt, Instant nextAttemptAt) {}

  /**
   * A delivery is dead: its last attempt failed, its endpoint answered 410, or its endpoint was
   * deleted. It is kept and can be replayed.
   *
   * @param deliveryId the delivery
   * @param endpointId its endpoint
   * @param reason why it is dead
   */
  default void deliveryDead(String deliveryId, String endpointId, String reason) {}

  /**
   * An endpoint was disabled by the dispatcher: it answered 410 Gone, or kept failing for
   * longer than the dispatcher allows. Its pending deliveries wait until it is enabled again.
   *
   * @param endpoint the endpoint, as it is now
   * @param reason why
   */
  default void endpointDisabled(Endpoint endpoint, String reason) {}
}
