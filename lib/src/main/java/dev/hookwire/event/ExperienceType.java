package dev.hookwire.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The kind of an experience: what it tests, such as price or shipping.
 *
 * <p>The common kinds are constants; {@link #of(String)} makes any other, so that an event from a
 * sender that added a kind still reads. The value is kept in lower case ({@link Locale#ROOT}), so
 * {@code of("Price")} equals {@link #PRICE}. In JSON an experience type is its bare value, {@code
 * "price"}. Immutable and safe to share between threads.
 *
 * @param value the kind in lower case, such as {@code price}: 1 to 255 characters, not blank, no
 *     control characters
 */
public record ExperienceType(String value) {
  /** A price test. */
  public static final ExperienceType PRICE = new ExperienceType("price");

  /** A shipping (rates or threshold) test. */
  public static final ExperienceType SHIPPING = new ExperienceType("shipping");

  /** A content (copy, layout, theme) test. */
  public static final ExperienceType CONTENT = new ExperienceType("content");

  /** An offer (discount, bundle, gift) test. */
  public static final ExperienceType OFFER = new ExperienceType("offer");

  /** A personalization, shown to a targeted audience rather than split. */
  public static final ExperienceType PERSONALIZATION = new ExperienceType("personalization");

  private static final int MAX_LENGTH = 255;

  /**
   * Creates an experience type, converting {@code value} to lower case.
   *
   * @param value the kind, such as {@code price}
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if {@code value} is blank, longer than 255 characters or has a
   *     control character
   */
  public ExperienceType {
    Checks.requireNonBlank(value, "experienceType");
    if (value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "experienceType "
              + Checks.quote(value)
              + " is longer than "
              + MAX_LENGTH
              + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException(
            "experienceType " + Checks.quote(value) + " has a control character at index " + i);
      }
    }
    value = value.toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the experience type with this value: one of the constants if it matches, else a new
   * one.
   *
   * @param value the kind, in any case, such as {@code price} or {@code "Split URL"}
   * @return the experience type, its value in lower case
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if {@code value} is blank, longer than 255 characters or has a
   *     control character
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static ExperienceType of(String value) {
    ExperienceType type = new ExperienceType(value);
    return switch (type.value) {
      case "price" -> PRICE;
      case "shipping" -> SHIPPING;
      case "content" -> CONTENT;
      case "offer" -> OFFER;
      case "personalization" -> PERSONALIZATION;
      default -> type;
    };
  }

  /**
   * Returns the kind in lower case; this is the JSON form.
   *
   * @return the value, such as {@code price}
   */
  @Override
  @JsonValue
  public String value() {
    return value;
  }

  /**
   * Returns the value, as {@link #value()} does.
   *
   * @return the value, such as {@code price}
   */
  @Override
  public String toString() {
    return value;
  }
}
