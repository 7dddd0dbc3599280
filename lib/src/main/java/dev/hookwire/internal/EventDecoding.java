package dev.hookwire.internal;

import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import java.util.Objects;
import java.util.function.Function;

/**
 * A way into {@link EventCodec} for the receiver that the codec's public API does not offer:
 * reading an event in one pass, its data as the class that the handler for its type wants. The
 * codec installs its implementation when its class is initialised, which happens before any
 * codec exists, so a caller holding a codec always finds it.
 *
 * <p>Thread-safe.
 */
public final class EventDecoding {

  /** Reads an event whose data class depends on its type. */
  @FunctionalInterface
  public interface RoutedDecoder {
    /**
     * Reads an event, its data as {@code dataClassOf} says for its type: the codec's own class
     * for the type when that is an instance of the given class (or when the given class is null),
     * else the given class.
     *
     * @param codec the codec that reads
     * @param json the UTF-8 JSON bytes of an event; not modified
     * @param dataClassOf the class the data of an event of a given type is wanted as, or null
     * @return the event
     * @throws dev.hookwire.event.EventFormatException if the body is not such an event
     */
    WebhookEvent<?> decode(EventCodec codec, byte[] json, Function<String, Class<?>> dataClassOf);
  }

  private static volatile RoutedDecoder decoder;

  private EventDecoding() {}

  /**
   * Installs the codec's decoder; called once, by {@link EventCodec}'s static initialiser.
   *
   * @param routed the decoder
   * @throws IllegalStateException if one is installed already
   */
  public static synchronized void install(RoutedDecoder routed) {
    Objects.requireNonNull(routed, "routed == null");
    if (decoder != null) {
      throw new IllegalStateException("the routed decoder is installed already");
    }
    decoder = routed;
  }

  /**
   * Reads an event with the codec's routed decoder; see {@link RoutedDecoder#decode}.
   *
   * @param codec the codec that reads
   * @param json the UTF-8 JSON bytes of an event; not modified
   * @param dataClassOf the class the data of an event of a given type is wanted as, or null
   * @return the event
   * @throws dev.hookwire.event.EventFormatException if the body is not such an event
   */
  public static WebhookEvent<?> decode(
      EventCodec codec, byte[] json, Function<String, Class<?>> dataClassOf) {
    RoutedDecoder d = decoder;
    if (d == null) {
      // Unreachable with a codec in hand: creating one initialised its class.
      throw new IllegalStateException("EventCodec is not initialised");
    }
    return d.decode(codec, json, dataClassOf);
  }
}
