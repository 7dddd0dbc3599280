package dev.hookwire.portal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request to the portal, as a host's server adapter hands it over: what {@link
 * PortalHttpHandler} and {@link PortalServlet} build, and what a host's own adapter (for another
 * framework) builds with {@link #builder}.
 *
 * <p>Immutable and thread-safe once built. A {@link Builder} is not thread-safe.
 */
public final class PortalRequest {
  private final String method;
  private final String mountPath;
  private final String path;
  private final Map<String, List<String>> query;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final Object nativeRequest;
  private final boolean secure;

  private PortalRequest(Builder b) {
    this.secure = b.secure;
    this.method = b.method;
    this.mountPath = b.mountPath;
    this.path = b.path;
    this.query = copy(b.query);
    this.headers = copy(b.headers);
    this.body = b.body;
    this.nativeRequest = b.nativeRequest;
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> m) {
    Map<String, List<String>> c = new LinkedHashMap<>();
    m.forEach((k, v) -> c.put(k, List.copyOf(v)));
    return Collections.unmodifiableMap(c);
  }

  /**
   * Starts a request.
   *
   * @param method the HTTP method, such as {@code GET}
   * @param mountPath the path the portal is mounted at, such as {@code /hookwire} ({@code ""} at
   *     the root); the page's cookie is scoped to it
   * @param path the request's path below the mount, decoded, starting with {@code /} (or empty
   *     for the mount itself)
   * @return a builder
   * @throws IllegalArgumentException if the method is blank or a path is malformed
   */
  public static Builder builder(String method, String mountPath, String path) {
    return new Builder(method, mountPath, path);
  }

  /**
   * Returns the HTTP method, upper case.
   *
   * @return the method
   */
  public String method() {
    return method;
  }

  /**
   * Returns the path the portal is mounted at, without a trailing slash ({@code ""} at the root).
   *
   * @return the mount path
   */
  public String mountPath() {
    return mountPath;
  }

  /**
   * Returns the path below the mount: empty for the mount itself, else starting with {@code /}.
   *
   * @return the path
   */
  public String path() {
    return path;
  }

  /**
   * Returns the first value of a query parameter.
   *
   * @param name the parameter's name
   * @return its first value, or empty
   */
  public Optional<String> query(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * Returns the first value of a header, matched without regard to case.
   *
   * @param name the header's name
   * @return its first value, or empty
   */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * Returns a cookie's value from the {@code Cookie} headers.
   *
   * @param name the cookie's name
   * @return its value, or empty
   */
  public Optional<String> cookie(String name) {
    List<String> values = headers.get("cookie");
    if (values == null) {
      return Optional.empty();
    }
    for (String header : values) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
          return Optional.of(pair.substring(eq + 1).trim());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the request's body.
   *
   * @return a copy of the body; empty if none
   */
  public byte[] body() {
    return body.clone();
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  int bodyLength() {
    return body.length;
  }

  /**
   * Returns the framework's own request object the adapter was given (an {@code HttpExchange}, an
   * {@code HttpServletRequest}), for a {@link PortalAuthorizer} that reads the host's session
   * from it.
   *
   * @param type the class expected
   * @param <T> the type expected
   * @return the native request, if the adapter gave one of that type
   */
  public <T> Optional<T> nativeRequest(Class<T> type) {
    return type.isInstance(nativeRequest) ? Optional.of(type.cast(nativeRequest)) : Optional.empty();
  }

  /**
   * Returns whether the request came over HTTPS (as the adapter saw it, or a proxy said), so that
   * the portal's cookie is marked {@code Secure}.
   *
   * @return whether it is secure
   */
  public boolean secure() {
    return secure;
  }

  @Override
  public String toString() {
    // Headers and body are left out: they carry cookies and credentials.
    return "PortalRequest{" + method + " " + mountPath + path + "}";
  }

  /** Builds a {@link PortalRequest}. Not thread-safe. */
  public static final class Builder {
    private final String method;
    private final String mountPath;
    private final String path;
    private final Map<String, List<String>> query = new LinkedHashMap<>();
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];
    private Object nativeRequest;
    private boolean secure;

    private Builder(String method, String mountPath, String path) {
      Objects.requireNonNull(method, "method == null");
      Objects.requireNonNull(mountPath, "mountPath == null");
      Objects.requireNonNull(path, "path == null");
      if (method.isBlank()) {
        throw new IllegalArgumentException("method is blank");
      }
      String mount = mountPath.endsWith("/") ? mountPath.substring(0, mountPath.length() - 1) : mountPath;
      if (!mount.isEmpty() && !mount.startsWith("/")) {
        throw new IllegalArgumentException("mountPath must start with /: " + mountPath);
      }
      if (!path.isEmpty() && !path.startsWith("/")) {
        throw new IllegalArgumentException("path must be empty or start with /: " + path);
      }
      this.method = method.toUpperCase(Locale.ROOT);
      this.mountPath = mount;
      this.path = path;
    }

    /**
     * Adds a query parameter (decoded).
     *
     * @param name its name
     * @param value its value
     * @return this builder
     */
    public Builder query(String name, String value) {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(value, "value == null");
      query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      return this;
    }

    /**
     * Adds the parameters of a raw (still encoded) query string, such as {@code a=1&b=x%20y}.
     *
     * @param rawQuery the query string without {@code ?}; null for none
     * @return this builder
     */
    public Builder rawQuery(String rawQuery) {
      if (rawQuery == null || rawQuery.isEmpty()) {
        return this;
      }
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        query(decode(name), decode(value));
      }
      return this;
    }

    private static String decode(String s) {
      try {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return s;
      }
    }

    /**
     * Adds a header value.
     *
     * @param name its name, any case
     * @param value its value
     * @return this builder
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(value, "value == null");
      headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
      return this;
    }

    /**
     * Sets the body.
     *
     * @param body the bytes, not copied
     * @return this builder
     */
    public Builder body(byte[] body) {
      this.body = Objects.requireNonNull(body, "body == null");
      return this;
    }

    /**
     * Keeps the framework's own request object for the authorizer ({@link
     * PortalRequest#nativeRequest}).
     *
     * @param request the framework's request
     * @return this builder
     */
    public Builder nativeRequest(Object request) {
      this.nativeRequest = request;
      return this;
    }

    /**
     * Says whether the request came over HTTPS. Default: false.
     *
     * @param secure whether it is secure
     * @return this builder
     */
    public Builder secure(boolean secure) {
      this.secure = secure;
      return this;
    }

    /**
     * Builds the request.
     *
     * @return the request
     */
    public PortalRequest build() {
      return new PortalRequest(this);
    }
  }
}
