package dev.hookwire.portal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An event type of the host's catalogue, which the portal offers for subscription: its name, a
 * description for people, and an example of its data (used for previews and test events) or a
 * JSON Schema of it.
 *
 * <p>Immutable and thread-safe.
 */
public final class EventType {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_]+(\\.[a-zA-Z0-9_]+)*");

  private final String name;
  private final String description;
  private final JsonNode example;
  private final JsonNode schema;

  private EventType(String name, String description, JsonNode example, JsonNode schema) {
    this.name = name;
    this.description = description;
    this.example = example;
    this.schema = schema;
  }

  /**
   * Describes an event type with an example of its data.
   *
   * @param name the type, such as {@code experience.started}
   * @param description what it means, for people
   * @param exampleData an example of the event's data, as JSON
   * @return the event type
   * @throws IllegalArgumentException if the name is not dot-separated {@code [a-zA-Z0-9_]}
   *     segments or the example is not JSON
   */
  public static EventType of(String name, String description, String exampleData) {
    return new EventType(checkName(name), checkDescription(description), json(exampleData, "exampleData of " + name), null);
  }

  /**
   * Describes an event type with an example of its data and a JSON Schema of it.
   *
   * @param name the type
   * @param description what it means
   * @param exampleData an example of the data, as JSON
   * @param jsonSchema a JSON Schema of the data, shown to people (not enforced)
   * @return the event type
   * @throws IllegalArgumentException if the name is malformed or either document is not JSON
   */
  public static EventType of(String name, String description, String exampleData, String jsonSchema) {
    return new EventType(
        checkName(name),
        checkDescription(description),
        json(exampleData, "exampleData of " + name),
        json(jsonSchema, "jsonSchema of " + name));
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name == null");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "event type \"" + name + "\" is not dot-separated [a-zA-Z0-9_] segments");
    }
    return name;
  }

  private static String checkDescription(String description) {
    return Objects.requireNonNull(description, "description == null");
  }

  private static JsonNode json(String text, String what) {
    Objects.requireNonNull(text, what + " == null");
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException(what + " is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + " is not JSON: " + e.getOriginalMessage());
    }
  }

  /**
   * Returns the type's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the description.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /**
   * Returns the example data.
   *
   * @return a copy of the example
   */
  public JsonNode example() {
    return example.deepCopy();
  }

  /**
   * Returns the JSON Schema, if one was given.
   *
   * @return a copy of the schema, or empty
   */
  public Optional<JsonNode> schema() {
    return Optional.ofNullable(schema).map(JsonNode::deepCopy);
  }

  @Override
  public String toString() {
    return "EventType{" + name + "}";
  }
}
