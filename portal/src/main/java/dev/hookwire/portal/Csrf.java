package dev.hookwire.portal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Protection against cross-site request forgery, with no state on the server so that any node
 * of a cluster can check any request: a random token in an HttpOnly, SameSite=Strict cookie
 * scoped to the portal's path, which the page reads from {@code api/session} and sends back in
 * the {@code X-CSRF-Token} header of every state-changing call (double submit). A cross-site
 * page can neither read the token nor set the header without a CORS grant the portal never
 * gives. Requests that the browser marks as cross-site ({@code Sec-Fetch-Site}) or whose {@code
 * Origin} is not the portal's own host are refused before the token is compared.
 */
final class Csrf {
  static final String COOKIE = "hookwire-portal-csrf";
  static final String HEADER = "X-CSRF-Token";

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private Csrf() {}

  /** The request's token if it has a well-formed one, or a new one. */
  static String tokenFor(PortalRequest request) {
    Optional<String> present = request.cookie(COOKIE).filter(t -> TOKEN.matcher(t).matches());
    if (present.isPresent()) {
      return present.get();
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String cookie(PortalRequest request, String token) {
    return COOKIE + "=" + token + "; Path=" + request.mountPath() + "/; HttpOnly; SameSite=Strict"
        + (request.secure() ? "; Secure" : "");
  }

  /** Refuses a state-changing request that did not come from the portal's own page. */
  static void check(PortalRequest request) {
    String site = request.header("Sec-Fetch-Site").orElse("same-origin").toLowerCase(Locale.ROOT);
    if (!site.equals("same-origin")) {
      throw forbidden("the request came from another site (Sec-Fetch-Site: " + site + ")");
    }
    Optional<String> origin = request.header("Origin");
    if (origin.isPresent()) {
      String host = request.header("Host").orElse("");
      if (!authority(origin.get()).equalsIgnoreCase(host)) {
        throw forbidden("the request's Origin is not this portal's host");
      }
    }
    String header = request.header(HEADER).orElse("");
    String cookie = request.cookie(COOKIE).orElse("");
    if (header.isEmpty() || cookie.isEmpty()) {
      throw forbidden("missing " + HEADER + " header or cookie; get a token from api/session");
    }
    if (!MessageDigest.isEqual(
        header.getBytes(StandardCharsets.UTF_8), cookie.getBytes(StandardCharsets.UTF_8))) {
      throw forbidden(HEADER + " does not match the session's token");
    }
  }

  private static String authority(String origin) {
    try {
      String authority = URI.create(origin).getRawAuthority();
      return authority == null ? "" : authority;
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static HttpError forbidden(String message) {
    return new HttpError(403, "csrf", message);
  }
}
