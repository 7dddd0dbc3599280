package dev.hookwire.portal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The page's files, read once from the jar: only the names listed here are served, so no path
 * from a request ever reaches the class loader.
 */
final class Assets {
  private static final String ROOT = "/dev/hookwire/portal/static/";

  private static final Map<String, String> TYPES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "portal.js", "text/javascript; charset=utf-8",
          "portal.css", "text/css; charset=utf-8",
          "favicon.svg", "image/svg+xml");

  private final Map<String, byte[]> files;
  private final byte[] openApi;

  Assets() {
    java.util.HashMap<String, byte[]> read = new java.util.HashMap<>();
    for (String name : TYPES.keySet()) {
      byte[] bytes = load(ROOT + name);
      if (bytes != null) {
        read.put(name, bytes);
      }
    }
    this.files = Map.copyOf(read);
    byte[] api = load("/dev/hookwire/portal/openapi.json");
    this.openApi = api == null ? new byte[0] : api;
  }

  private static byte[] load(String resource) {
    try (InputStream in = Assets.class.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + " from the portal's jar", e);
    }
  }

  Optional<PortalResponse> file(String name) {
    byte[] bytes = files.get(name);
    if (bytes == null) {
      return Optional.empty();
    }
    return Optional.of(
        Responses.status(200).header("Cache-Control", "no-cache").body(TYPES.get(name), bytes).build());
  }

  PortalResponse openApi() {
    return Responses.status(200)
        .header("Cache-Control", "no-cache")
        .body("application/json; charset=utf-8", openApi)
        .build();
  }
}
