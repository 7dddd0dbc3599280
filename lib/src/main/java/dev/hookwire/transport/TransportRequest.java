package dev.hookwire.transport;

import dev.hookwire.internal.CheckedHeaders;
import dev.hookwire.internal.UrlRules;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One HTTP request for a {@link Transport} to send.
 *
 * <p>Immutable, except that {@code body} is shared, not copied: the dispatcher holds one body
 * per message for every endpoint, and neither it nor a transport may change it. Thread-safe.
 *
 * <p>Headers are checked here, so that every transport sends the same thing or refuses it the
 * same way: names must be HTTP tokens, values printable ASCII (spaces and tabs allowed inside,
 * not at either end), no name may appear twice in different case, and the headers that frame the
 * message or manage the connection ({@code Connection}, {@code Content-Length}, {@code Expect},
 * {@code Host}, {@code Keep-Alive}, {@code Proxy-Connection}, {@code TE}, {@code Trailer}, {@code
 * Transfer-Encoding}, {@code Upgrade}) are refused: the HTTP client owns them, and the JDK client
 * would refuse most of them anyway.
 *
 * @param method {@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}, {@code GET} or {@code
 *     HEAD}
 * @param url an absolute {@code http} or {@code https} URL with a host, a port from 1 to 65535
 *     if any, and neither credentials nor a fragment
 * @param headers header names to values, in the order to send them
 * @param body the body; empty for none, and always empty for {@code GET} and {@code HEAD}
 * @param timeout the limit for the whole exchange, from looking up the host to reading the start
 *     of the response body
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
   * @throws IllegalArgumentException if the method is unknown, the URL not absolute http(s) with
   *     a host and a valid port, a {@code GET} or {@code HEAD} has a body, a header is malformed, repeated or one
   *     the HTTP client manages, or the timeout is not positive
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
    UrlRules.check(url);
    if (body.length > 0 && (method.equals("GET") || method.equals("HEAD"))) {
      throw new IllegalArgumentException(method + " requests carry no body, got " + body.length + " bytes");
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    // Headers that were checked already (the dispatcher checks an endpoint's once) are kept as
    // they are; any other map is checked and copied.
    headers = CheckedHeaders.copyOf(headers);
  }

  /**
   * Returns whether a header is present, its name matched without regard to case.
   *
   * @param name the header name
   * @return true if the request has it
   */
  public boolean hasHeader(String name) {
    Objects.requireNonNull(name, "name == null");
    return ((CheckedHeaders) headers).indexOf(name) >= 0;
  }

  @Override
  public String toString() {
    // Headers may hold credentials; the body may hold personal data.
    return "TransportRequest[" + method + " " + UrlRules.redact(url) + ", " + body.length + " bytes]";
  }
}
