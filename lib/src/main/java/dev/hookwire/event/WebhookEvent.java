package dev.hookwire.event;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * A webhook event: the envelope {@code {"id", "type", "timestamp", "data"}} that is signed and sent
 * to every endpoint subscribed to its type.
 *
 * <pre>{@code
 * WebhookEvent<ExperienceEvent> event = WebhookEvent.create("experience.started", experience);
 * byte[] body = EventCodec.ofDefaults().encode(event);
 * }</pre>
 *
 * <p>The id is fixed for the life of the event: it stays the same across endpoints and retries, so
 * receivers de-duplicate by it. {@link #create(String, Object)} makes a fresh one with {@link
 * #newId()}; ids from other systems are accepted as long as they are at most 255 printable ASCII
 * characters, because they travel in HTTP headers.
 *
 * <p>The type is one or more dot-separated segments of ASCII letters, digits and underscores
 * ({@code experience.started}, {@code goal.achieved}), at most 255 characters; endpoints subscribe
 * to types, and {@link EventCodec} picks the class of {@code data} by it.
 *
 * <p>Immutable, and safe to share between threads as long as {@code data} is.
 *
 * @param id the event's unique id, such as {@code msg_01HZY3T8ZK9Q6C4X2V7N5B0M1R}; 1 to 255
 *     printable ASCII characters, no whitespace
 * @param type what happened, such as {@code experience.started}: dot-separated segments of {@code
 *     [a-zA-Z0-9_]}, at most 255 characters
 * @param timestamp when the event was created
 * @param data the event's payload; for {@link EventCodec}, any value that Jackson can write except
 *     JSON null
 * @param <T> the type of the payload
 */
public record WebhookEvent<T>(String id, String type, Instant timestamp, T data) {
  /** Longest id and longest type accepted. */
  private static final int MAX_LENGTH = 255;

  /**
   * Creates an event, checking every component.
   *
   * @param id the event's unique id: 1 to 255 printable ASCII characters, no whitespace
   * @param type what happened: dot-separated segments of {@code [a-zA-Z0-9_]}, at most 255
   *     characters
   * @param timestamp when the event was created
   * @param data the event's payload
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if {@code id} or {@code type} is malformed; the message names
   *     the component and quotes the value
   */
  public WebhookEvent {
    checkId(id);
    checkType(type);
    Objects.requireNonNull(timestamp, "timestamp == null");
    Objects.requireNonNull(data, "data == null");
  }

  /**
   * Creates an event with a fresh id ({@link #newId()}), timestamped now by the system UTC clock.
   *
   * @param type what happened, such as {@code experience.started}
   * @param data the event's payload
   * @param <T> the type of the payload
   * @return a new event
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code type} is malformed
   */
  public static <T> WebhookEvent<T> create(String type, T data) {
    return create(type, data, Clock.systemUTC());
  }

  /**
   * Creates an event with a fresh id, timestamped now by {@code clock}.
   *
   * @param type what happened, such as {@code experience.started}
   * @param data the event's payload
   * @param clock the clock read once for both the timestamp and the id's time part
   * @param <T> the type of the payload
   * @return a new event
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code type} is malformed
   */
  public static <T> WebhookEvent<T> create(String type, T data, Clock clock) {
    Objects.requireNonNull(clock, "clock == null");
    Instant now = clock.instant();
    return new WebhookEvent<>(IdGenerator.SHARED.next(now), type, now, data);
  }

  /**
   * Returns a new event id read from the system UTC clock; see {@link #newId(Clock)}.
   *
   * @return an id of the form {@code msg_} followed by 26 Crockford base32 characters
   */
  public static String newId() {
    return IdGenerator.SHARED.next(Clock.systemUTC());
  }

  /**
   * Returns a new event id: {@code msg_} followed by a 26-character ULID (Crockford base32 of 48
   * bits of epoch milliseconds and 80 random bits from a {@link java.security.SecureRandom}).
   *
   * <p>Ids made in one JVM strictly increase as strings, whichever clock and thread they come from:
   * if {@code clock} has not advanced past the latest millisecond already used (or is behind it),
   * the id takes that millisecond and the previous random part plus one. An id's time part is
   * therefore never earlier than {@code clock}'s reading, and later only when ids are made faster
   * than the clock ticks or with clocks that disagree. Safe to call from any thread.
   *
   * @param clock the clock whose reading sets the id's time part; readings before 1970 count as
   *     1970
   * @return an id of the form {@code msg_} followed by 26 Crockford base32 characters
   * @throws NullPointerException if {@code clock} is null
   */
  public static String newId(Clock clock) {
    Objects.requireNonNull(clock, "clock == null");
    return IdGenerator.SHARED.next(clock);
  }

  /**
   * Returns a copy of this event with other data and the same id, type and timestamp; used to send
   * one event in a shape an endpoint expects.
   *
   * @param data the new payload
   * @param <U> the type of the new payload
   * @return the copy
   * @throws NullPointerException if {@code data} is null
   */
  public <U> WebhookEvent<U> withData(U data) {
    return new WebhookEvent<>(id, type, timestamp, data);
  }

  /**
   * Returns a copy of this event with another timestamp and the same id, type and data.
   *
   * @param timestamp the new timestamp
   * @return the copy
   * @throws NullPointerException if {@code timestamp} is null
   */
  public WebhookEvent<T> withTimestamp(Instant timestamp) {
    return new WebhookEvent<>(id, type, timestamp, data);
  }

  static void checkId(String id) {
    Objects.requireNonNull(id, "id == null");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("id is empty");
    }
    if (id.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "id " + Checks.quote(id) + " is longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException(
            "id "
                + Checks.quote(id)
                + " has a whitespace, control or non-ASCII character at index "
                + i
                + "; ids travel in HTTP headers");
      }
    }
  }

  /**
   * Checks an event type: dot-separated segments of {@code [a-zA-Z0-9_]}, at most 255 characters.
   * Hand-written rather than a regular expression because it runs for every event.
   */
  static void checkType(String type) {
    Objects.requireNonNull(type, "type == null");
    if (type.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "type " + Checks.quote(type) + " is longer than " + MAX_LENGTH + " characters");
    }
    boolean segmentStart = true;
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      if (c == '.' && !segmentStart) {
        segmentStart = true;
      } else if (isTypeChar(c)) {
        segmentStart = false;
      } else {
        throw badType(type);
      }
    }
    if (segmentStart) { // empty, or ends with a dot
      throw badType(type);
    }
  }

  private static boolean isTypeChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static IllegalArgumentException badType(String type) {
    return new IllegalArgumentException(
        "type " + Checks.quote(type) + " is not dot-separated [a-zA-Z0-9_] segments");
  }
}
