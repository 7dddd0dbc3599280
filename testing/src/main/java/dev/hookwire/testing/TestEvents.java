package dev.hookwire.testing;

import dev.hookwire.event.ExperienceAction;
import dev.hookwire.event.ExperienceEvent;
import dev.hookwire.event.ExperienceType;
import dev.hookwire.event.GoalEvent;
import dev.hookwire.event.WebhookEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sample events with fixed ids and times, so that what a test sends, signs or stores is the same
 * on every run. Each method returns a new, immutable event; the class is thread-safe.
 */
public final class TestEvents {
  /** A fixed instant that sample events are made at. */
  public static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

  /** A clock stopped at {@link #T0}. */
  public static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

  /** A fixed, well-formed event id. */
  public static final String ID = "msg_01HWRCQ5N0BMG2X7D5ZQ3TE1KV";

  private TestEvents() {}

  /**
   * Returns an experience started by a person: every component set.
   *
   * @return the event data
   */
  public static ExperienceEvent experienceStarted() {
    return ExperienceEvent.builder()
        .experienceId("exp_8f2c41")
        .name("Free shipping over $50")
        .experienceType(ExperienceType.SHIPPING)
        .action(ExperienceAction.STARTED)
        .timestamp(T0.minusMillis(1_500))
        .triggeredBy("ana@example.com")
        .build();
  }

  /**
   * Returns an experience ended by the system: no {@code triggeredBy}.
   *
   * @return the event data
   */
  public static ExperienceEvent experienceEndedBySystem() {
    return ExperienceEvent.builder()
        .experienceId("exp_8f2c41")
        .name("Free shipping over $50")
        .experienceType(ExperienceType.SHIPPING)
        .action(ExperienceAction.ENDED)
        .timestamp(Instant.parse("2024-05-15T00:00:00.123456789Z"))
        .build();
  }

  /**
   * Returns a goal achieved by one user, with properties of several JSON kinds, a null among them.
   *
   * @return the event data
   */
  public static GoalEvent goal() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("user_email", "ana@example.com");
    properties.put("company", null);
    properties.put("messages", 3);
    properties.put("score", 4.5);
    properties.put("tags", List.of("vip", "eu"));
    properties.put("first", true);
    return new GoalEvent(
        T0,
        List.of(new GoalEvent.Unit("user_id", "u_1842")),
        List.of(
            new GoalEvent.Goal("intercom_conversation_started", T0.minusSeconds(2), properties),
            new GoalEvent.Goal("intercom_user_messaged", T0.minusSeconds(1))));
  }

  /**
   * Returns {@link #experienceStarted()} in an envelope with id {@link #ID}, made at {@link #T0}.
   *
   * @return the event
   */
  public static WebhookEvent<ExperienceEvent> experienceEvent() {
    return new WebhookEvent<>(ID, ExperienceEvent.STARTED, T0, experienceStarted());
  }

  /**
   * Returns {@link #goal()} in an envelope with id {@link #ID}, made at {@link #T0}.
   *
   * @return the event
   */
  public static WebhookEvent<GoalEvent> goalEvent() {
    return new WebhookEvent<>(ID, GoalEvent.TYPE, T0, goal());
  }
}
