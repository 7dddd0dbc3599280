package dev.hookwire.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * The data of an experience lifecycle event: an A/B test or experiment was created, started,
 * paused, ended, updated or deleted.
 *
 * <pre>{@code
 * ExperienceEvent started = ExperienceEvent.builder()
 *     .experienceId("exp_8f2c")
 *     .name("Free shipping over $50")
 *     .experienceType(ExperienceType.SHIPPING)
 *     .action(ExperienceAction.STARTED)
 *     .timestamp(Instant.now())
 *     .triggeredBy("ana@example.com")
 *     .build();
 * WebhookEvent<ExperienceEvent> event = started.toEvent(); // type "experience.started"
 * }</pre>
 *
 * <p>In JSON the fields appear in the order of the components below; {@code triggeredBy} is left
 * out when the system triggered the event. Immutable and safe to share between threads.
 *
 * @param experienceId the experience's id in the system that runs it; not blank
 * @param name the experience's name as its owner wrote it
 * @param experienceType what the experience tests
 * @param action what happened to the experience
 * @param timestamp when it happened (the envelope's timestamp says when the event was made)
 * @param triggeredBy the email address of the person who triggered the action, or {@code null} when
 *     the system did (a scheduled start or end, for example); the one component that may be null,
 *     and omitted from JSON when it is
 */
public record ExperienceEvent(
    String experienceId,
    String name,
    ExperienceType experienceType,
    ExperienceAction action,
    Instant timestamp,
    @JsonInclude(JsonInclude.Include.NON_NULL) String triggeredBy) {

  /** The event type of {@link ExperienceAction#CREATED}: {@value}. */
  public static final String CREATED = "experience.created";

  /** The event type of {@link ExperienceAction#STARTED}: {@value}. */
  public static final String STARTED = "experience.started";

  /** The event type of {@link ExperienceAction#PAUSED}: {@value}. */
  public static final String PAUSED = "experience.paused";

  /** The event type of {@link ExperienceAction#ENDED}: {@value}. */
  public static final String ENDED = "experience.ended";

  /** The event type of {@link ExperienceAction#UPDATED}: {@value}. */
  public static final String UPDATED = "experience.updated";

  /** The event type of {@link ExperienceAction#DELETED}: {@value}. */
  public static final String DELETED = "experience.deleted";

  /**
   * Creates the data of an experience event, checking every component.
   *
   * @param experienceId the experience's id; not blank
   * @param name the experience's name
   * @param experienceType what the experience tests
   * @param action what happened to the experience
   * @param timestamp when it happened
   * @param triggeredBy the email address of whoever triggered the action, or {@code null} when the
   *     system did
   * @throws NullPointerException if any argument but {@code triggeredBy} is null; the message
   *     names every null one
   * @throws IllegalArgumentException if {@code experienceId} is blank
   */
  public ExperienceEvent {
    Checks.requireNonNull(
        "experienceId", experienceId,
        "name", name,
        "experienceType", experienceType,
        "action", action,
        "timestamp", timestamp);
    Checks.requireNonBlank(experienceId, "experienceId");
  }

  /**
   * Returns a new, empty builder.
   *
   * @return a builder with no component set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding this event's components, to make a changed copy.
   *
   * @return a builder with every component set as in this event
   */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.experienceId = experienceId;
    builder.name = name;
    builder.experienceType = experienceType;
    builder.action = action;
    builder.timestamp = timestamp;
    builder.triggeredBy = triggeredBy;
    return builder;
  }

  /**
   * Wraps this data in a new event whose type is this action's ({@code experience.started} for
   * {@link ExperienceAction#STARTED}), with a fresh id, timestamped now by the system UTC clock.
   *
   * @return a new event carrying this data
   */
  public WebhookEvent<ExperienceEvent> toEvent() {
    return toEvent(Clock.systemUTC());
  }

  /**
   * Wraps this data in a new event whose type is this action's, with a fresh id, timestamped now by
   * {@code clock}.
   *
   * @param clock the clock that timestamps the event
   * @return a new event carrying this data
   * @throws NullPointerException if {@code clock} is null
   */
  public WebhookEvent<ExperienceEvent> toEvent(Clock clock) {
    return WebhookEvent.create(action.eventType(), this, clock);
  }

  /**
   * Builds an {@link ExperienceEvent}. Every component must be set except {@code triggeredBy},
   * which is absent (the system triggered the action) unless set. Not thread-safe.
   */
  public static final class Builder {
    private String experienceId;
    private String name;
    private ExperienceType experienceType;
    private ExperienceAction action;
    private Instant timestamp;
    private String triggeredBy;

    private Builder() {}

    /**
     * Sets the experience's id in the system that runs it.
     *
     * @param experienceId the id; not blank
     * @return this builder
     * @throws NullPointerException if {@code experienceId} is null
     * @throws IllegalArgumentException if {@code experienceId} is blank
     */
    public Builder experienceId(String experienceId) {
      this.experienceId = Checks.requireNonBlank(experienceId, "experienceId");
      return this;
    }

    /**
     * Sets the experience's name.
     *
     * @param name the name as its owner wrote it
     * @return this builder
     * @throws NullPointerException if {@code name} is null
     */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name == null");
      return this;
    }

    /**
     * Sets what the experience tests.
     *
     * @param experienceType a constant of {@link ExperienceType} or {@link ExperienceType#of}
     * @return this builder
     * @throws NullPointerException if {@code experienceType} is null
     */
    public Builder experienceType(ExperienceType experienceType) {
      this.experienceType = Objects.requireNonNull(experienceType, "experienceType == null");
      return this;
    }

    /**
     * Sets what happened to the experience.
     *
     * @param action the action; it also sets the type of {@link ExperienceEvent#toEvent()}
     * @return this builder
     * @throws NullPointerException if {@code action} is null
     */
    public Builder action(ExperienceAction action) {
      this.action = Objects.requireNonNull(action, "action == null");
      return this;
    }

    /**
     * Sets when the action happened.
     *
     * @param timestamp the instant of the action
     * @return this builder
     * @throws NullPointerException if {@code timestamp} is null
     */
    public Builder timestamp(Instant timestamp) {
      this.timestamp = Objects.requireNonNull(timestamp, "timestamp == null");
      return this;
    }

    /**
     * Sets the email address of the person who triggered the action.
     *
     * @param email the person's email address; not checked beyond being non-null
     * @return this builder
     * @throws NullPointerException if {@code email} is null
     */
    public Builder triggeredBy(String email) {
      this.triggeredBy = Objects.requireNonNull(email, "email == null");
      return this;
    }

    /**
     * Records that the system, not a person, triggered the action: clears {@link
     * #triggeredBy(String)}. This is the default.
     *
     * @return this builder
     */
    public Builder triggeredBySystem() {
      this.triggeredBy = null;
      return this;
    }

    /**
     * Builds the event data.
     *
     * @return a new, immutable {@link ExperienceEvent}
     * @throws IllegalStateException if a required component was not set; the message names it
     */
    public ExperienceEvent build() {
      requireSet(experienceId, "experienceId");
      requireSet(name, "name");
      requireSet(experienceType, "experienceType");
      requireSet(action, "action");
      requireSet(timestamp, "timestamp");
      return new ExperienceEvent(
          experienceId, name, experienceType, action, timestamp, triggeredBy);
    }

    private static void requireSet(Object value, String name) {
      if (value == null) {
        throw new IllegalStateException(name + " is not set");
      }
    }
  }
}
