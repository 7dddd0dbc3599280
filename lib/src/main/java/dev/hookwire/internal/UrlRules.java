package dev.hookwire.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one set of rules for the URLs Hookwire sends to, used by the endpoint builder and the
 * transport request alike: absolute {@code http} or {@code https}, a host, a port from 1 to 65535
 * if any, no credentials (they belong in an {@code Authorization} header) and no fragment (never
 * sent). Messages carry the URL without its user information, so a password typed into a URL is
 * never echoed into an exception or a log. Stateless and thread-safe.
 */
public final class UrlRules {
  private static final Pattern USER_INFO = Pattern.compile("(?<=//)[^/?#]*@");

  private UrlRules() {}

  /**
   * Parses and checks a destination URL.
   *
   * @param url the URL as a user gave it
   * @return the parsed URL
   * @throws IllegalArgumentException naming what is wrong, with the URL's credentials left out
   */
  public static URI parse(String url) {
    Objects.requireNonNull(url, "url == null");
    URI parsed;
    try {
      parsed = new URI(url);
    } catch (URISyntaxException e) {
      // The exception's own message repeats the input: give the reason and the index only.
      throw new IllegalArgumentException(
          "url \"" + redact(url) + "\" is not a valid URI: " + e.getReason() + " at index " + e.getIndex());
    }
    check(parsed);
    return parsed;
  }

  /**
   * Checks a parsed destination URL.
   *
   * @param url the URL
   * @return the URL
   * @throws IllegalArgumentException naming what is wrong, with the URL's credentials left out
   */
  public static URI check(URI url) {
    // The redacted URL is formatted only for a message: a URL that passes costs no regex.
    Objects.requireNonNull(url, "url == null");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new IllegalArgumentException("url \"" + redact(url) + "\" is not an absolute http or https URL");
    }
    if (url.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "url \"" + redact(url) + "\" carries credentials; send them in a header instead (authentication(...))");
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      // A port out of range leaves java.net.URI without a host (a "registry-based" authority).
      throw new IllegalArgumentException(
          "url \"" + redact(url) + "\" has no host" + (url.getRawAuthority() != null ? ", or a port outside 1 to 65535" : ""));
    }
    int port = url.getPort();
    if (port != -1 && (port < 1 || port > 65535)) {
      throw new IllegalArgumentException("url \"" + redact(url) + "\" has port " + port + ", outside 1 to 65535");
    }
    if (url.getRawFragment() != null) {
      throw new IllegalArgumentException("url \"" + redact(url) + "\" has a fragment, which is never sent");
    }
    return url;
  }

  /**
   * Returns a URL without its user information, for messages and logs.
   *
   * @param url the URL, parsed or not
   * @return the URL with any {@code user:password@} removed
   */
  public static String redact(String url) {
    return USER_INFO.matcher(url).replaceAll("");
  }

  /**
   * Returns a URL without its user information, for messages and logs.
   *
   * @param url the URL
   * @return the URL with any {@code user:password@} removed
   */
  public static String redact(URI url) {
    // Not getRawUserInfo(): an authority java.net.URI cannot split (no host) has none either.
    return redact(url.toString());
  }
}
