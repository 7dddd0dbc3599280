package dev.hookwire.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExperienceTypeTest {
  @Test
  void ofReturnsTheConstantsInAnyCase() {
    assertThat(ExperienceType.of("price")).isSameAs(ExperienceType.PRICE);
    assertThat(ExperienceType.of("Shipping")).isSameAs(ExperienceType.SHIPPING);
    assertThat(ExperienceType.of("CONTENT")).isSameAs(ExperienceType.CONTENT);
    assertThat(ExperienceType.of("offer")).isSameAs(ExperienceType.OFFER);
    assertThat(ExperienceType.of("personalization")).isSameAs(ExperienceType.PERSONALIZATION);
  }

  @Test
  void makesOtherTypesInLowerCase() {
    ExperienceType splitUrl = ExperienceType.of("Split URL");

    assertThat(splitUrl.value()).isEqualTo("split url");
    assertThat(splitUrl).isEqualTo(new ExperienceType("split url")).hasToString("split url");
    assertThat(new ExperienceType("PRICE")).isEqualTo(ExperienceType.PRICE);
  }

  @Test
  void lowerCasesIndependentlyOfTheDefaultLocale() {
    assertThat(ExperienceType.of("TITLE").value()).isEqualTo("title");
  }

  @Test
  void writesTheBareValueAsJson() {
    EventCodec codec = EventCodec.ofDefaults();

    assertThat(new String(codec.encodeData(ExperienceType.of("Bundle")), StandardCharsets.UTF_8))
        .isEqualTo("\"bundle\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t", "a\nb", "a\u0000"})
  void rejectsBlankOrControlCharacters(String value) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ExperienceType.of(value))
        .withMessageStartingWith("experienceType \"");
  }

  @Test
  void rejectsOverlongValues() {
    assertThat(ExperienceType.of("x".repeat(255)).value()).hasSize(255);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ExperienceType.of("x".repeat(256)))
        .withMessageEndingWith("is longer than 255 characters");
  }

  @Test
  void rejectsNull() {
    assertThatNullPointerException()
        .isThrownBy(() -> ExperienceType.of(null))
        .withMessage("experienceType == null");
  }
}
