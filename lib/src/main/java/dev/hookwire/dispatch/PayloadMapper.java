package dev.hookwire.dispatch;

import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;

/**
 * Turns an event into the body an endpoint expects, for endpoints that want something other than
 * Hookwire's envelope (a collector API with its own shape, say).
 *
 * <p>The dispatcher calls a mapper once per event, not once per endpoint: every endpoint with the
 * same mapper shares the body. Mappers are referred to by {@link #name()} when endpoints are
 * stored, and the dispatcher that loads them must know the mapper under that name ({@code
 * Dispatcher.Builder.payloadMapper}); a {@link PayloadTemplate} is the exception, stored whole
 * with its endpoint.
 *
 * <p>Implementations must be thread-safe and quick; they are called on the thread that calls
 * {@code send}. An exception thrown by {@link #map} fails that {@code send}.
 */
public interface PayloadMapper {

  /**
   * Returns the name the mapper is stored and registered under.
   *
   * @return a stable, unique name
   */
  String name();

  /**
   * Computes the body for an event.
   *
   * @param event the event
   * @param codec the dispatcher's codec, for writing JSON consistently
   * @return the exact bytes to send
   */
  byte[] map(WebhookEvent<?> event, EventCodec codec);
}
