package dev.hookwire.signature;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.TreeMap;

/**
 * The headers of one received request, looked up by name without regard to case.
 *
 * <p>Web frameworks hand headers over in different shapes; the factories adapt the common ones
 * without copying: {@link #of(Map)} for single values (what most frameworks give), {@link
 * #ofMulti(Map)} for {@code Map<String, List<String>>} (the JDK's {@code HttpServer}, Spring's
 * {@code HttpHeaders}). A header that appears on several lines keeps every value.
 *
 * <pre>{@code
 * WebhookHeaders headers = WebhookHeaders.ofMulti(exchange.getRequestHeaders());
 * }</pre>
 *
 * <p>Instances are views: immutable themselves, and thread-safe as long as the map they wrap is
 * not changed while they are read.
 */
public final class WebhookHeaders {
  private final Map<String, ?> map;
  private final boolean multi;

  private WebhookHeaders(Map<String, ?> map, boolean multi) {
    this.map = map;
    this.multi = multi;
  }

  /**
   * Wraps single-valued headers.
   *
   * @param headers header names to values; neither copied nor changed
   * @return a case-insensitive view of {@code headers}
   */
  public static WebhookHeaders of(Map<String, String> headers) {
    return new WebhookHeaders(Objects.requireNonNull(headers, "headers == null"), false);
  }

  /**
   * Wraps multi-valued headers, such as {@code com.sun.net.httpserver.Headers} or Spring's
   * {@code HttpHeaders}.
   *
   * @param headers header names to their values; neither copied nor changed
   * @return a case-insensitive view of {@code headers}
   */
  public static WebhookHeaders ofMulti(Map<String, ? extends Collection<String>> headers) {
    return new WebhookHeaders(Objects.requireNonNull(headers, "headers == null"), true);
  }

  /**
   * Builds headers from alternating names and values, in the order given.
   *
   * @param namesAndValues {@code name1, value1, name2, value2, ...}
   * @return the headers
   * @throws IllegalArgumentException if an odd number of strings is given
   */
  public static WebhookHeaders of(String... namesAndValues) {
    Objects.requireNonNull(namesAndValues, "namesAndValues == null");
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "namesAndValues must alternate names and values, but has odd length "
              + namesAndValues.length);
    }
    Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String name = Objects.requireNonNull(namesAndValues[i], "header name == null");
      String value = Objects.requireNonNull(namesAndValues[i + 1], "value of " + name + " == null");
      map.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
    }
    return new WebhookHeaders(Collections.unmodifiableMap(map), true);
  }

  /**
   * Returns the first value of a header.
   *
   * @param name the header name, in any case
   * @return the first value, or empty if the header is absent
   */
  public Optional<String> first(String name) {
    return Optional.ofNullable(firstOrNull(name));
  }

  /**
   * Returns every value of a header, in the order received.
   *
   * @param name the header name, in any case
   * @return the values; empty if the header is absent
   */
  public List<String> all(String name) {
    Object raw = lookup(name);
    if (raw == null) {
      return List.of();
    }
    if (!multi) {
      return List.of((String) raw);
    }
    if (raw instanceof List<?> list && list instanceof RandomAccess && !hasNull(list)) {
      // The common case, a list without holes: shown as it is, not copied.
      @SuppressWarnings("unchecked")
      List<String> values = Collections.unmodifiableList((List<String>) list);
      return values;
    }
    List<String> values = new ArrayList<>();
    for (Object value : (Collection<?>) raw) {
      if (value != null) {
        values.add((String) value);
      }
    }
    return Collections.unmodifiableList(values);
  }

  private static boolean hasNull(List<?> list) {
    for (int i = 0, n = list.size(); i < n; i++) {
      if (list.get(i) == null) {
        return true;
      }
    }
    return false;
  }

  /** Returns the first value of a header, or null. The hot path of every verifier. */
  String firstOrNull(String name) {
    Object raw = lookup(name);
    if (raw == null || !multi) {
      return (String) raw;
    }
    for (Object value : (Collection<?>) raw) {
      if (value != null) {
        return (String) value;
      }
    }
    return null;
  }

  private Object lookup(String name) {
    Objects.requireNonNull(name, "name == null");
    // Most senders and frameworks use one of these two spellings; try them before scanning.
    Object value = map.get(name);
    if (value == null) {
      value = map.get(name.toLowerCase(Locale.ROOT));
    }
    if (value != null) {
      return value;
    }
    for (Map.Entry<String, ?> entry : map.entrySet()) {
      String key = entry.getKey();
      if (key != null && key.equalsIgnoreCase(name)) {
        return entry.getValue();
      }
    }
    return null;
  }

  @Override
  public String toString() {
    // Header values may carry credentials (Authorization, API keys); show names only.
    return "WebhookHeaders" + map.keySet();
  }
}
