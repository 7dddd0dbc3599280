package dev.hookwire.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.hookwire.testing.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExperienceEventTest {
  @Test
  void builderSetsEveryComponent() {
    ExperienceEvent event = TestEvents.experienceStarted();

    assertThat(event.experienceId()).isEqualTo("exp_8f2c41");
    assertThat(event.name()).isEqualTo("Free shipping over $50");
    assertThat(event.experienceType()).isEqualTo(ExperienceType.SHIPPING);
    assertThat(event.action()).isEqualTo(ExperienceAction.STARTED);
    assertThat(event.timestamp()).isEqualTo(TestEvents.T0.minusMillis(1_500));
    assertThat(event.triggeredBy()).isEqualTo("ana@example.com");
  }

  @Test
  void triggeredByIsNullWhenTheSystemTriggered() {
    assertThat(TestEvents.experienceEndedBySystem().triggeredBy()).isNull();
    assertThat(TestEvents.experienceStarted().toBuilder().triggeredBySystem().build().triggeredBy())
        .isNull();
  }

  @Test
  void toBuilderCopiesEveryComponent() {
    ExperienceEvent started = TestEvents.experienceStarted();

    assertThat(started.toBuilder().build()).isEqualTo(started);
    assertThat(started.toBuilder().action(ExperienceAction.PAUSED).build())
        .isEqualTo(
            new ExperienceEvent(
                started.experienceId(),
                started.name(),
                started.experienceType(),
                ExperienceAction.PAUSED,
                started.timestamp(),
                started.triggeredBy()));
  }

  @Test
  void buildNamesTheFirstMissingComponent() {
    assertThatIllegalStateException()
        .isThrownBy(() -> ExperienceEvent.builder().build())
        .withMessage("experienceId is not set");
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                ExperienceEvent.builder()
                    .experienceId("e")
                    .name("n")
                    .experienceType(ExperienceType.PRICE)
                    .action(ExperienceAction.CREATED)
                    .build())
        .withMessage("timestamp is not set");
  }

  @Test
  void settersRejectBadArguments() {
    ExperienceEvent.Builder builder = ExperienceEvent.builder();

    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.experienceId(" "))
        .withMessage("experienceId \" \" is blank");
    assertThatNullPointerException()
        .isThrownBy(() -> builder.name(null))
        .withMessage("name == null");
    assertThatNullPointerException()
        .isThrownBy(() -> builder.experienceType(null))
        .withMessage("experienceType == null");
    assertThatNullPointerException()
        .isThrownBy(() -> builder.action(null))
        .withMessage("action == null");
    assertThatNullPointerException()
        .isThrownBy(() -> builder.timestamp(null))
        .withMessage("timestamp == null");
    assertThatNullPointerException()
        .isThrownBy(() -> builder.triggeredBy(null))
        .withMessage("email == null");
  }

  @Test
  void constructor_namesEveryNullComponentAtOnce() {
    assertThatNullPointerException()
        .isThrownBy(() -> new ExperienceEvent("e", "n", null, null, null, null))
        .withMessage("experienceType, action and timestamp are null");
    assertThatNullPointerException()
        .isThrownBy(() -> new ExperienceEvent(null, "n", ExperienceType.PRICE, ExperienceAction.CREATED, null, null))
        .withMessage("experienceId and timestamp are null");
  }

  @Test
  void constructorChecksComponents() {
    assertThatNullPointerException()
        .isThrownBy(
            () ->
                new ExperienceEvent(
                    null, "n", ExperienceType.PRICE, ExperienceAction.CREATED, TestEvents.T0, null))
        .withMessage("experienceId == null");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new ExperienceEvent(
                    "", "n", ExperienceType.PRICE, ExperienceAction.CREATED, TestEvents.T0, null))
        .withMessage("experienceId \"\" is blank");
    assertThatNullPointerException()
        .isThrownBy(
            () ->
                new ExperienceEvent("e", "n", null, ExperienceAction.CREATED, TestEvents.T0, null))
        .withMessage("experienceType == null");
    assertThatNullPointerException()
        .isThrownBy(
            () -> new ExperienceEvent("e", "n", ExperienceType.PRICE, null, TestEvents.T0, null))
        .withMessage("action == null");
  }

  @ParameterizedTest
  @EnumSource(ExperienceAction.class)
  void toEventTakesItsTypeFromTheAction(ExperienceAction action) {
    ExperienceEvent data = TestEvents.experienceStarted().toBuilder().action(action).build();

    WebhookEvent<ExperienceEvent> event = data.toEvent(TestEvents.CLOCK);

    assertThat(event.type()).isEqualTo(action.eventType());
    assertThat(event.timestamp()).isEqualTo(TestEvents.T0);
    assertThat(event.data()).isSameAs(data);
    assertThat(event.id()).startsWith("msg_");
    assertThat(data.toEvent().type()).isEqualTo(action.eventType());
  }

  @Test
  void typeConstantsMatchTheActions() {
    assertThat(ExperienceEvent.CREATED).isEqualTo(ExperienceAction.CREATED.eventType());
    assertThat(ExperienceEvent.STARTED).isEqualTo(ExperienceAction.STARTED.eventType());
    assertThat(ExperienceEvent.PAUSED).isEqualTo(ExperienceAction.PAUSED.eventType());
    assertThat(ExperienceEvent.ENDED).isEqualTo(ExperienceAction.ENDED.eventType());
    assertThat(ExperienceEvent.UPDATED).isEqualTo(ExperienceAction.UPDATED.eventType());
    assertThat(ExperienceEvent.DELETED).isEqualTo(ExperienceAction.DELETED.eventType());
  }
}
