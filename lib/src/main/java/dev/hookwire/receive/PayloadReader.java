package dev.hookwire.receive;

import dev.hookwire.event.EventCodec;
import dev.hookwire.event.EventFormatException;
import dev.hookwire.event.WebhookEvent;

/**
 * Reads a verified request body as an event, for senders whose bodies are not Hookwire's
 * envelope {@code {"id","type","timestamp","data"}}: the receiving half of a {@code
 * dispatch.PayloadMapper}. The presets offer one for each such system ({@code
 * Intelligems.reader()}, {@code Insightarc.reader()}).
 *
 * <p>The event it returns is routed by its type and de-duplicated by its id (unless a signed
 * {@code webhook-id} header gives one), so a reader for bodies that carry no id should derive one
 * from the body itself, which the signature covers.
 *
 * <p>Implementations must be thread-safe: the receiver calls one reader from every request
 * thread.
 */
@FunctionalInterface
public interface PayloadReader {

  /**
   * Reads a body whose signature has been verified.
   *
   * @param body the raw body
   * @param codec the receiver's codec, for readers that want Hookwire's JSON settings
   * @return the event
   * @throws EventFormatException if the body cannot be read; the receiver answers 400. Any other
   *     runtime exception is treated the same way.
   */
  WebhookEvent<?> read(byte[] body, EventCodec codec);
}
