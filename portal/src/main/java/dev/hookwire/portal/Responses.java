package dev.hookwire.portal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the portal's responses, every one with the same security headers: a Content-Security-
 * Policy that allows only the portal's own script and style (no inline script, no eval), no
 * framing, no sniffing, no referrer.
 */
final class Responses {
  static final ObjectMapper JSON = new ObjectMapper();

  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private Responses() {}

  static Builder status(int status) {
    return new Builder(status);
  }

  static PortalResponse json(int status, JsonNode body) {
    return status(status).json(body).build();
  }

  static PortalResponse error(HttpError e) {
    ObjectNode body = JSON.createObjectNode();
    body.put("error", e.code);
    body.put("message", e.getMessage());
    if (e.line != null) {
      body.put("line", e.line);
      body.put("column", e.column);
    }
    Builder b = status(e.status).json(body);
    if (e.status == 405) {
      b.header("Allow", "GET, POST, PUT, DELETE");
    }
    return b.build();
  }

  static final class Builder {
    private final int status;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private byte[] body = new byte[0];

    private Builder(int status) {
      this.status = status;
      header("Content-Security-Policy", CSP);
      header("X-Content-Type-Options", "nosniff");
      header("X-Frame-Options", "DENY");
      header("Referrer-Policy", "no-referrer");
      header("Cross-Origin-Resource-Policy", "same-origin");
    }

    Builder header(String name, String value) {
      headers.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
      return this;
    }

    Builder json(JsonNode node) {
      try {
        body = JSON.writeValueAsBytes(node);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write JSON", e);
      }
      header("Content-Type", "application/json; charset=utf-8");
      header("Cache-Control", "no-store");
      return this;
    }

    Builder body(String contentType, byte[] bytes) {
      header("Content-Type", contentType);
      body = bytes;
      return this;
    }

    Builder text(String text) {
      return body("text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    PortalResponse build() {
      return new PortalResponse(status, headers, body);
    }
  }
}
