package dev.hookwire.transport;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One HTTP request for a {@link Transport} to send.
 *
 * <p>Immutable, except that {@code body} is shared, not copied: the dispatcher holds one body
 * per message for every endpoint, and neither it nor a transport may change it. Thread-safe.
 *
 * @param method {@code POST}, {@code PUT}, {@code DELETE} or {@code HEAD}
 * @param url an absolute {@code http} or {@code https} URL
 * @param headers header names to values, in the order to send them
 * @param body the body; empty for none
 * @param timeout the limit for the whole exchange, from connecting to the end of the response
 */
public record TransportRequest(
    String method, URI url, Map<String, String> headers, byte[] body, Duration timeout) {
  private static final Set<String> METHODS = Set.of("POST", "PUT", "DELETE", "HEAD", "GET", "PATCH");

  /**
   * Validates and copies the components (the headers, not the body).
   *
   * @param method the HTTP method
   * @param url the absolute URL
   * @param headers the headers
   * @param body the body, shared
   * @param timeout the exchange timeout
   * @throws IllegalArgumentException if the method is unknown, the URL not absolute http(s), or
   *     the timeout not positive
   */
  public TransportRequest {
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(url, "url == null");
    Objects.requireNonNull(headers, "headers == null");
    Objects.requireNonNull(body, "body == null");
    Objects.requireNonNull(timeout, "timeout == null");
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("method " + method + " is not one of " + METHODS);
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
      throw new IllegalArgumentException("url " + url + " is not an absolute http(s) URL");
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  @Override
  public String toString() {
    // Headers may hold credentials; the body may hold personal data.
    return "TransportRequest[" + method + " " + url + ", " + body.length + " bytes]";
  }
}
