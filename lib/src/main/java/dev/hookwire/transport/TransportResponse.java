package dev.hookwire.transport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The response to one request: status, headers, and the start of the body.
 *
 * <p>Immutable and thread-safe.
 *
 * @param status the HTTP status code
 * @param headers response headers, names matched without regard to case
 * @param bodySnippet at most {@link #MAX_SNIPPET_BYTES} bytes of the body, decoded as UTF-8
 */
public record TransportResponse(int status, Map<String, List<String>> headers, String bodySnippet) {

  /** The most of a response body kept, in bytes: enough to diagnose, bounded to protect memory. */
  public static final int MAX_SNIPPET_BYTES = 1024;

  /**
   * Validates and copies the components.
   *
   * @param status the HTTP status code, 100 to 599
   * @param headers the response headers
   * @param bodySnippet the start of the body
   * @throws IllegalArgumentException if the status is out of range
   */
  public TransportResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status out of range: " + status);
    }
    Objects.requireNonNull(headers, "headers == null");
    Objects.requireNonNull(bodySnippet, "bodySnippet == null");
    if (!(headers instanceof OkHttpResponseHeaders)) { // those are immutable and ignore case already
      headers = copy(headers);
    }
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> headers) {
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      copy.computeIfAbsent(header.getKey(), name -> new ArrayList<>()).addAll(header.getValue());
    }
    copy.replaceAll((name, values) -> List.copyOf(values));
    return Collections.unmodifiableMap(copy);
  }

  /**
   * Returns the first value of a response header.
   *
   * @param name the header name, in any case
   * @return the value, or empty
   */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}
