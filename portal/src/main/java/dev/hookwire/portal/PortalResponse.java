package dev.hookwire.portal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The portal's answer to a {@link PortalRequest}, for the server adapter to write out as is:
 * status, headers (security headers included) and body.
 *
 * <p>Immutable and thread-safe.
 */
public final class PortalResponse {
  private final int status;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;

  PortalResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    this.status = status;
    this.headers = Collections.unmodifiableList(new ArrayList<>(headers));
    this.body = body;
  }

  /**
   * Returns the HTTP status.
   *
   * @return the status
   */
  public int status() {
    return status;
  }

  /**
   * Returns the headers to send, in order; a name may repeat ({@code Set-Cookie}).
   *
   * @return the headers
   */
  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /**
   * Returns the first value of a header, matched without regard to case.
   *
   * @param name the header's name
   * @return the value, or null
   */
  public String header(String name) {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  /**
   * Returns the body.
   *
   * @return a copy of the body; empty for none
   */
  public byte[] body() {
    return body.clone();
  }

  /**
   * Returns the body's length, without copying it.
   *
   * @return the length in bytes
   */
  public int bodyLength() {
    return body.length;
  }

  /**
   * Writes the body to a stream, without copying it.
   *
   * @param out the stream
   * @throws java.io.IOException if writing fails
   */
  public void writeBody(java.io.OutputStream out) throws java.io.IOException {
    out.write(body);
  }

  /**
   * Returns the body as UTF-8 text.
   *
   * @return the text
   */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "PortalResponse{" + status + ", " + body.length + " bytes}";
  }
}
