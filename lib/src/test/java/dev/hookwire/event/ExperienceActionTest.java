package dev.hookwire.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExperienceActionTest {
  @Test
  void eventTypesAreExperienceDotLowerCaseName() {
    assertThat(ExperienceAction.CREATED.eventType()).isEqualTo("experience.created");
    assertThat(ExperienceAction.STARTED.eventType()).isEqualTo("experience.started");
    assertThat(ExperienceAction.PAUSED.eventType()).isEqualTo("experience.paused");
    assertThat(ExperienceAction.ENDED.eventType()).isEqualTo("experience.ended");
    assertThat(ExperienceAction.UPDATED.eventType()).isEqualTo("experience.updated");
    assertThat(ExperienceAction.DELETED.eventType()).isEqualTo("experience.deleted");
  }

  @ParameterizedTest
  @EnumSource(ExperienceAction.class)
  void fromEventTypeInvertsEventType(ExperienceAction action) {
    assertThat(ExperienceAction.fromEventType(action.eventType())).isSameAs(action);
  }

  @ParameterizedTest
  @EnumSource(ExperienceAction.class)
  void writesLowerCaseNameAsJson(ExperienceAction action) {
    String json =
        new String(
            EventCodec.ofDefaults().encodeData(action), java.nio.charset.StandardCharsets.UTF_8);

    assertThat(json).isEqualTo("\"" + action.name().toLowerCase(java.util.Locale.ROOT) + "\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "experience",
        "experience.",
        "experience.archived",
        "Experience.started",
        "goal.achieved",
        ""
      })
  void fromEventTypeRejectsOtherTypes(String type) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ExperienceAction.fromEventType(type))
        .withMessageStartingWith("eventType \"" + type + "\" is not an experience event type")
        .withMessageContaining("experience.started");
  }

  @Test
  void fromEventTypeRejectsNull() {
    assertThatNullPointerException()
        .isThrownBy(() -> ExperienceAction.fromEventType(null))
        .withMessage("eventType == null");
  }
}
