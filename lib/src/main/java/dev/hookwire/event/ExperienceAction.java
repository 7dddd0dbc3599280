package dev.hookwire.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;
import java.util.Objects;

/**
 * What happened to an experience (an A/B test or experiment): its lifecycle actions.
 *
 * <p>In JSON an action is its lower-case name ({@code "started"}); {@link EventCodec} also reads
 * other cases. Each action has its event type, {@code experience.} followed by that name. Enum
 * constants are immutable and safe to share between threads.
 */
public enum ExperienceAction {
  /** The experience was created. */
  @JsonProperty("created")
  CREATED,
  /** The experience went live. */
  @JsonProperty("started")
  STARTED,
  /** The experience was paused. */
  @JsonProperty("paused")
  PAUSED,
  /** The experience was stopped or completed. */
  @JsonProperty("ended")
  ENDED,
  /** The experience's settings were changed. */
  @JsonProperty("updated")
  UPDATED,
  /** The experience was deleted. */
  @JsonProperty("deleted")
  DELETED;

  private static final String TYPE_PREFIX = "experience.";

  private final String eventType = TYPE_PREFIX + name().toLowerCase(Locale.ROOT);

  /**
   * Returns the event type of this action, such as {@code experience.started}; the same as the
   * matching constant of {@link ExperienceEvent}.
   *
   * @return {@code experience.} followed by the lower-case action name
   */
  public String eventType() {
    return eventType;
  }

  /**
   * Returns the action whose {@link #eventType()} is {@code eventType}.
   *
   * @param eventType an event type, such as {@code experience.paused}
   * @return the action
   * @throws NullPointerException if {@code eventType} is null
   * @throws IllegalArgumentException if {@code eventType} is not one of the six experience event
   *     types (matching is exact, case included)
   */
  public static ExperienceAction fromEventType(String eventType) {
    Objects.requireNonNull(eventType, "eventType == null");
    for (ExperienceAction action : values()) {
      if (action.eventType.equals(eventType)) {
        return action;
      }
    }
    throw new IllegalArgumentException(
        "eventType "
            + Checks.quote(eventType)
            + " is not an experience event type; expected one of experience.created,"
            + " experience.started, experience.paused, experience.ended, experience.updated,"
            + " experience.deleted");
  }
}
