package dev.hookwire.dispatch;

import dev.hookwire.internal.HeaderRules;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials an endpoint expects on every request: HTTP Basic, a bearer token, or an API key
 * in a header of any name.
 *
 * <p>Immutable and thread-safe; {@code toString()} never shows the credential.
 */
public final class Authentication {
  private final String kind;
  private final String headerName;
  private final String headerValue;

  private Authentication(String kind, String headerName, String headerValue) {
    this.kind = kind;
    this.headerName = HeaderRules.checkName(headerName);
    this.headerValue = HeaderRules.checkValue(headerName, headerValue);
    if (HeaderRules.isManaged(headerName) || headerName.equalsIgnoreCase(HeaderRules.CONTENT_TYPE)) {
      throw new IllegalArgumentException("header " + headerName + " cannot carry credentials: Hookwire or the HTTP client writes it");
    }
  }

  /**
   * HTTP Basic authentication.
   *
   * @param user the user name; must not contain a colon
   * @param password the password
   * @return the authentication
   * @throws IllegalArgumentException if the user name contains a colon
   */
  public static Authentication basic(String user, String password) {
    Objects.requireNonNull(user, "user == null");
    Objects.requireNonNull(password, "password == null");
    if (user.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a Basic user name cannot contain ':'");
    }
    String token =
        Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return new Authentication("basic", "Authorization", "Basic " + token);
  }

  /**
   * A bearer token: {@code Authorization: Bearer <token>}.
   *
   * @param token the token
   * @return the authentication
   * @throws IllegalArgumentException if the token is empty or has characters not allowed in a
   *     header
   */
  public static Authentication bearer(String token) {
    Objects.requireNonNull(token, "token == null");
    if (token.isEmpty()) {
      throw new IllegalArgumentException("token is empty");
    }
    return new Authentication("bearer", "Authorization", "Bearer " + token);
  }

  /**
   * An API key sent in a header of the endpoint's choosing, such as {@code X-API-Key}.
   *
   * @param headerName the header
   * @param key the key
   * @return the authentication
   * @throws IllegalArgumentException if the name or key is not valid in a header
   */
  public static Authentication apiKey(String headerName, String key) {
    Objects.requireNonNull(key, "key == null");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key is empty");
    }
    return new Authentication("api-key", headerName, key);
  }

  /** The header this authentication adds. */
  Map.Entry<String, String> header() {
    return Map.entry(headerName, headerValue);
  }

  /**
   * Returns which kind of credentials these are, for display: {@code basic}, {@code bearer} or
   * {@code api-key}. The credentials themselves are not readable.
   *
   * @return the kind
   */
  public String kind() {
    return kind;
  }

  /**
   * Returns the header the credentials travel in.
   *
   * @return the header's name
   */
  public String headerName() {
    return headerName;
  }

  /**
   * Returns the user name of Basic credentials, for display; the password is not readable.
   *
   * @return the user name, or empty for other kinds
   */
  public Optional<String> basicUser() {
    if (!kind.equals("basic")) {
      return Optional.empty();
    }
    String decoded =
        new String(Base64.getDecoder().decode(headerValue.substring("Basic ".length())), StandardCharsets.UTF_8);
    return Optional.of(decoded.substring(0, decoded.indexOf(':')));
  }

  String headerValue() {
    return headerValue;
  }

  static Authentication restore(String kind, String headerName, String headerValue) {
    return new Authentication(kind, headerName, headerValue);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Authentication other
        && kind.equals(other.kind)
        && headerName.equalsIgnoreCase(other.headerName)
        && headerValue.equals(other.headerValue);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, headerValue);
  }

  @Override
  public String toString() {
    return "Authentication[" + kind + ", header " + headerName + "]";
  }
}
