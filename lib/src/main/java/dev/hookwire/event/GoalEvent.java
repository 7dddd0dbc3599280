package dev.hookwire.event;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The data of a goal event: units (users, devices, accounts) achieved goals, in the shape of
 * ABsmartly's collector body, {@code {"publishedAt", "units": [{"type", "uid"}], "goals": [{"name",
 * "achievedAt", "properties"}]}}.
 *
 * <pre>{@code
 * GoalEvent goal = new GoalEvent(
 *     now,
 *     List.of(new GoalEvent.Unit("user_id", "u_1842")),
 *     List.of(new GoalEvent.Goal("conversation_started", now, Map.of("channel", "chat"))));
 * WebhookEvent<GoalEvent> event = WebhookEvent.create(GoalEvent.TYPE, goal);
 * }</pre>
 *
 * <p>{@link EventCodec} writes the instants as ISO-8601 strings and reads them also as epoch
 * milliseconds (a JSON number or a string of digits), the form ABsmartly's collector uses.
 * Immutable (the lists are unmodifiable copies) and safe to share between threads.
 *
 * @param publishedAt when the sender published the goals
 * @param units who achieved the goals, each an identifier of a unit type shared with the
 *     experiments
 * @param goals the goals achieved
 */
public record GoalEvent(Instant publishedAt, List<Unit> units, List<Goal> goals) {
  /** The event type of goal events: {@value}. */
  public static final String TYPE = "goal.achieved";

  /**
   * Creates the data of a goal event, copying the lists.
   *
   * @param publishedAt when the sender published the goals
   * @param units who achieved the goals
   * @param goals the goals achieved
   * @throws NullPointerException if an argument is null or a list holds null
   */
  public GoalEvent {
    Objects.requireNonNull(publishedAt, "publishedAt == null");
    units = Checks.copyOfList(units, "units");
    goals = Checks.copyOfList(goals, "goals");
  }

  /**
   * An identifier of who achieved a goal, of a unit type the experiments also use. Immutable and
   * safe to share between threads.
   *
   * @param type the unit type, such as {@code user_id} or {@code email}; not blank
   * @param uid the unit's identifier of that type
   */
  public record Unit(String type, String uid) {
    /**
     * Creates a unit.
     *
     * @param type the unit type, such as {@code user_id}; not blank
     * @param uid the unit's identifier of that type
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code type} is blank
     */
    public Unit {
      Checks.requireNonBlank(type, "type");
      Objects.requireNonNull(uid, "uid == null");
    }
  }

  /**
   * A goal achieved, with properties that describe it.
   *
   * <p>{@code properties} is an unmodifiable copy, in the given order (JSON keeps that order), of
   * JSON-like values: strings, numbers, booleans, nested maps and lists (copied the same way) and
   * null, which stands for JSON {@code null} and is kept. A missing or {@code null} {@code
   * properties} in JSON reads as an empty map. Values read from JSON are {@code String}, {@code
   * Integer}, {@code Long} or {@code BigInteger} (the smallest that fits), {@code Double}, {@code
   * Boolean}, {@code Map}, {@code List} or null; a goal built with other number types does not
   * equal itself read back. Immutable and safe to share between threads if the values are.
   *
   * @param name the goal's name, as defined in the experimentation platform; not blank
   * @param achievedAt when the goal was achieved
   * @param properties details of the achievement; values may be null
   */
  public record Goal(
      String name,
      Instant achievedAt,
      @JsonSetter(nulls = Nulls.AS_EMPTY) Map<String, Object> properties) {
    /**
     * Creates a goal, copying the properties.
     *
     * @param name the goal's name; not blank
     * @param achievedAt when the goal was achieved
     * @param properties details of the achievement; keys non-null, values may be null
     * @throws NullPointerException if an argument or a key of {@code properties} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public Goal {
      Checks.requireNonBlank(name, "name");
      Objects.requireNonNull(achievedAt, "achievedAt == null");
      properties = Checks.copyOfJsonMap(properties, "properties");
    }

    /**
     * Creates a goal without properties.
     *
     * @param name the goal's name; not blank
     * @param achievedAt when the goal was achieved
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public Goal(String name, Instant achievedAt) {
      this(name, achievedAt, Map.of());
    }
  }
}
