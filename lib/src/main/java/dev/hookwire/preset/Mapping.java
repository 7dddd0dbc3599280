package dev.hookwire.preset;

import dev.hookwire.event.EventCodec;
import dev.hookwire.event.EventFormatException;
import dev.hookwire.event.WebhookEvent;

/** Helpers for the presets' payload mappers. */
final class Mapping {
  private Mapping() {}

  /**
   * Returns an event's data as {@code type}: as is if it already is one, else read through JSON,
   * so that data held as a map or a JSON tree of the right shape maps too.
   *
   * @throws IllegalArgumentException if the data is not of that shape; the message says which
   *     event and what is missing
   */
  static <T> T data(WebhookEvent<?> event, EventCodec codec, Class<T> type, String system) {
    if (type.isInstance(event.data())) {
      return type.cast(event.data());
    }
    try {
      return codec.decode(codec.encode(event), type).data();
    } catch (EventFormatException e) {
      throw new IllegalArgumentException(
          system
              + " endpoints take "
              + type.getSimpleName()
              + " data, but event "
              + event.id()
              + " ("
              + event.type()
              + ") holds "
              + event.data().getClass().getName()
              + " that does not read as one: "
              + e.getMessage(),
          e);
    }
  }
}
