package dev.hookwire.preset;

import dev.hookwire.dispatch.PayloadMapper;
import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.EventFormatException;
import dev.hookwire.event.WebhookEvent;
import java.time.Duration;

/** What the presets' endpoints share: their mappers' base, data conversion, retry schedules. */
final class Mapping {
  private Mapping() {}

  /**
   * A retry policy of {@code attempts} attempts in all, spaced as the start of the Standard
   * Webhooks schedule (at once, 5 s, 5 min, 30 min, 2 h...), with its jitter: for systems that
   * document how many attempts they make but not when.
   */
  static RetryPolicy firstAttemptsOfStandardSchedule(int attempts) {
    return RetryPolicy.of(
        RetryPolicy.standardWebhooks().delays().subList(0, attempts - 1).toArray(new Duration[0]));
  }

  /** A stateless, thread-safe mapper known by a fixed name. */
  abstract static class NamedMapper implements PayloadMapper {
    private final String name;

    NamedMapper(String name) {
      this.name = name;
    }

    @Override
    public final String name() {
      return name;
    }

    @Override
    public String toString() {
      return "PayloadMapper[" + name + "]";
    }
  }

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
