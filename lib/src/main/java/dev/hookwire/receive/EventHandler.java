package dev.hookwire.receive;

import dev.hookwire.event.WebhookEvent;

/**
 * Handles one kind of received event, registered with {@link WebhookReceiver.Builder#on}.
 *
 * <p>Called on the thread that called {@link WebhookReceiver#receive}, once per webhook id
 * (duplicates never reach it), possibly on many threads at once for different ids: an
 * implementation must be thread-safe. It should finish well within the sender's timeout
 * (commonly 10 to 30 seconds); long work belongs on a queue of the host's.
 *
 * <p>Returning normally means the event is processed: the receiver records its id and answers
 * 200. Throwing anything means it is not: the receiver forgets the id and answers 500, so that the
 * sender retries and the retry runs the handler again. A handler should therefore either finish
 * its work or throw, not half-finish it.
 *
 * @param <T> the type of the event's data
 */
@FunctionalInterface
public interface EventHandler<T> {

  /**
   * Handles one verified, parsed, de-duplicated event.
   *
   * @param event the event, its data read as the class the handler was registered with
   * @throws Exception if the event was not processed and the sender should retry it
   */
  void handle(WebhookEvent<T> event) throws Exception;
}
