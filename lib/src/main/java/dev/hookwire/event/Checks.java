package dev.hookwire.event;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Argument checks and defensive copies shared by the value types of this package. */
final class Checks {
  /**
   * Longest value quoted in a message; longer ones are cut so a hostile input cannot bloat logs.
   */
  private static final int MAX_QUOTED = 80;

  private Checks() {}

  /**
   * Checks that no value is null, naming every null one at once: "a == null", or "a, b and c are
   * null", so that data missing several fields is fixed in one go.
   *
   * @param namesAndValues each component's name followed by its value
   * @throws NullPointerException naming the null ones
   */
  static void requireNonNull(Object... namesAndValues) {
    List<String> nulls = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] == null) {
        nulls.add((String) namesAndValues[i]);
      }
    }
    if (nulls.size() == 1) {
      throw new NullPointerException(nulls.get(0) + " == null");
    }
    if (!nulls.isEmpty()) {
      String last = nulls.remove(nulls.size() - 1);
      throw new NullPointerException(String.join(", ", nulls) + " and " + last + " are null");
    }
  }

  /** Returns {@code value} if it is non-null and has a non-whitespace character. */
  static String requireNonBlank(String value, String name) {
    Objects.requireNonNull(value, () -> name + " == null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " " + quote(value) + " is blank");
    }
    return value;
  }

  /**
   * Copies a list into an unmodifiable one, naming the list when it holds a null (which {@link
   * List#copyOf} would reject without saying where).
   */
  static <E> List<E> copyOfList(List<E> list, String name) {
    Objects.requireNonNull(list, () -> name + " == null");
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == null) {
        throw new NullPointerException(name + "[" + i + "] == null");
      }
    }
    return List.copyOf(list);
  }

  /**
   * Copies a JSON-like map: insertion order and null values kept, nested maps and lists copied the
   * same way so that the result is unmodifiable all the way down. Other values are kept as they
   * are.
   */
  static Map<String, Object> copyOfJsonMap(Map<String, ?> map, String name) {
    Objects.requireNonNull(map, () -> name + " == null");
    for (String key : map.keySet()) {
      // Not containsKey(null): Map.of() and friends throw on a null argument.
      Objects.requireNonNull(key, () -> name + " has a null key");
    }
    return copyMap(map);
  }

  private static <K> Map<K, Object> copyMap(Map<K, ?> map) {
    Map<K, Object> copy = new LinkedHashMap<>(Math.max(4, (int) (map.size() / 0.75f) + 1));
    for (Map.Entry<K, ?> entry : map.entrySet()) {
      copy.put(entry.getKey(), copyValue(entry.getValue()));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static Object copyValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      return copyMap(map);
    }
    if (value instanceof Collection<?> collection) {
      List<Object> copy = new ArrayList<>(collection.size());
      for (Object element : collection) {
        copy.add(copyValue(element));
      }
      return Collections.unmodifiableList(copy);
    }
    return value;
  }

  /**
   * Quotes a value for an exception message: control characters escaped, cut after a few dozen
   * characters.
   */
  static String quote(String value) {
    StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_QUOTED) + 16).append('"');
    int end = Math.min(value.length(), MAX_QUOTED);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f || Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
    if (value.length() > MAX_QUOTED) {
      out.append("... (").append(value.length()).append(" characters)");
    }
    return out.toString();
  }
}
