package dev.hookwire.preset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookwire.dispatch.PayloadMapper;
import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.EventFormatException;
import dev.hookwire.event.WebhookEvent;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * What the presets share: their mappers' base, data conversion, retry schedules, and reading
 * bodies that carry no id.
 */
final class Mapping {
  private Mapping() {}

  /**
   * An id for a body that carries none: {@code prefix} and the first 128 bits of its SHA-256 in
   * hex. The signature covers the body, so a replayed request keeps its id, and two different
   * bodies never share one.
   */
  static String bodyId(String prefix, byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return prefix + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Reads a body as a JSON object, as strictly as the codec reads events, or fails naming the
   * system whose body it should be.
   */
  static JsonNode object(byte[] body, EventCodec codec, String system) {
    JsonNode tree;
    try {
      tree = codec.decodeData(body, JsonNode.class);
    } catch (EventFormatException e) {
      throw new EventFormatException(system + " body: " + e.getMessage(), e);
    }
    if (!tree.isObject()) {
      throw new EventFormatException(system + " body is not a JSON object");
    }
    return tree;
  }

  /** A text field that must be present and non-blank. */
  static String text(JsonNode tree, String field, String system) {
    JsonNode value = tree.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new EventFormatException(system + " body has no text field \"" + field + "\"");
    }
    return value.asText();
  }

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
      return codec.decodeData(codec.encodeData(event.data()), type);
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
