package dev.hookwire.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.testing.TestEvents;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoalEventTest {
  private static final GoalEvent.Unit UNIT = new GoalEvent.Unit("user_id", "u_1");
  private static final GoalEvent.Goal GOAL = new GoalEvent.Goal("signup", TestEvents.T0);

  @Test
  void listsAreUnmodifiableCopies() {
    List<GoalEvent.Unit> units = new ArrayList<>(List.of(UNIT));
    List<GoalEvent.Goal> goals = new ArrayList<>(List.of(GOAL));

    GoalEvent event = new GoalEvent(TestEvents.T0, units, goals);
    units.clear();
    goals.clear();

    assertThat(event.units()).containsExactly(UNIT);
    assertThat(event.goals()).containsExactly(GOAL);
    assertThatThrownBy(() -> event.units().add(UNIT))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsNullsNamingThePlace() {
    assertThatNullPointerException()
        .isThrownBy(() -> new GoalEvent(null, List.of(UNIT), List.of(GOAL)))
        .withMessage("publishedAt == null");
    assertThatNullPointerException()
        .isThrownBy(() -> new GoalEvent(TestEvents.T0, null, List.of(GOAL)))
        .withMessage("units == null");
    assertThatNullPointerException()
        .isThrownBy(() -> new GoalEvent(TestEvents.T0, List.of(UNIT), Arrays.asList(GOAL, null)))
        .withMessage("goals[1] == null");
  }

  @Test
  void unitsAndGoalsCheckTheirComponents() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new GoalEvent.Unit(" ", "u"))
        .withMessage("type \" \" is blank");
    assertThatNullPointerException()
        .isThrownBy(() -> new GoalEvent.Unit("user_id", null))
        .withMessage("uid == null");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new GoalEvent.Goal("", TestEvents.T0))
        .withMessage("name \"\" is blank");
    assertThatNullPointerException()
        .isThrownBy(() -> new GoalEvent.Goal("g", null))
        .withMessage("achievedAt == null");
    assertThatNullPointerException()
        .isThrownBy(() -> new GoalEvent.Goal("g", TestEvents.T0, null))
        .withMessage("properties == null");
  }

  @Test
  void propertiesKeepOrderAndNullValues() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("z", 1);
    properties.put("a", null);
    properties.put("m", "x");

    GoalEvent.Goal goal = new GoalEvent.Goal("g", TestEvents.T0, properties);
    properties.put("late", true);

    assertThat(goal.properties())
        .containsExactly(
            Map.entry("z", 1),
            new java.util.AbstractMap.SimpleEntry<>("a", null),
            Map.entry("m", "x"));
  }

  @Test
  void propertiesAreUnmodifiableAllTheWayDown() {
    Map<String, Object> nested = new HashMap<>();
    nested.put("k", new ArrayList<>(List.of(1, 2)));
    GoalEvent.Goal goal = new GoalEvent.Goal("g", TestEvents.T0, Map.of("nested", nested));
    nested.put("k2", "late");

    @SuppressWarnings("unchecked")
    Map<String, Object> copied = (Map<String, Object>) goal.properties().get("nested");
    assertThat(copied).containsOnlyKeys("k");
    assertThatThrownBy(() -> goal.properties().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> copied.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<?>) copied.get("k")).clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsNullPropertyKeys() {
    Map<String, Object> properties = new HashMap<>();
    properties.put(null, 1);

    assertThatNullPointerException()
        .isThrownBy(() -> new GoalEvent.Goal("g", TestEvents.T0, properties))
        .withMessage("properties has a null key");
  }

  @Test
  void goalWithoutPropertiesHasAnEmptyMap() {
    assertThat(GOAL.properties()).isEmpty();
    assertThat(GOAL).isEqualTo(new GoalEvent.Goal("signup", TestEvents.T0, Map.of()));
  }

  @Test
  void typeIsGoalAchieved() {
    assertThat(GoalEvent.TYPE).isEqualTo("goal.achieved");
  }
}
