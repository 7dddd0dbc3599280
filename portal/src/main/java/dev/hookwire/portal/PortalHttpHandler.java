package dev.hookwire.portal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link Portal} on the JDK's {@code com.sun.net.httpserver.HttpServer}, at the path of
 * the context it is mounted on:
 *
 * <pre>{@code
 * server.createContext("/hookwire", new PortalHttpHandler(portal))
 *     .setAuthenticator(authenticator);   // the host's: who the user is
 * }</pre>
 *
 * <p>The context's path is the portal's mount path; the rest of the decoded request path is the
 * portal's path, so {@code /hookwire/api/session} asks for {@code /api/session}. A request whose
 * path only begins like the context's ({@code /hookwireX}, which the server hands to the context
 * too) is answered 404. The {@link HttpExchange} is the request's {@link
 * PortalRequest#nativeRequest native request}, so the portal's {@link PortalAuthorizer} can read
 * the principal of the context's {@code Authenticator}.
 *
 * <p>The request body is read up to one byte past {@link Portal#maxBodyBytes()}, never further,
 * so the portal refuses a larger one with 413 without it being read into memory. A {@code HEAD}
 * request gets the headers of the portal's answer, its body's length included, and no body. The
 * portal's cookie is marked {@code Secure} when the server is an {@code HttpsServer}. A client
 * that goes away while the answer is written, or a failure of the portal, is logged and ends that
 * exchange only, never the server's thread. Give the server an executor ({@code
 * server.setExecutor}): without one, every exchange runs on the server's single dispatching
 * thread, and one slow client holds up the others. The JDK's server leaves Nagle's algorithm on,
 * which with the browser's delayed acknowledgements adds about 40 ms to each small answer; start
 * the JVM with {@code -Dsun.net.httpserver.nodelay=true} to turn it off.
 *
 * <p>Thread-safe: one handler serves every exchange of its context, on any thread the server's
 * executor runs it on.
 */
public final class PortalHttpHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(PortalHttpHandler.class);

  private final Portal portal;

  /**
   * Makes a handler for a portal.
   *
   * @param portal the portal to serve
   */
  public PortalHttpHandler(Portal portal) {
    this.portal = Objects.requireNonNull(portal, "portal == null");
  }

  /**
   * Answers one exchange and closes it.
   *
   * @param exchange the exchange
   */
  @Override
  public void handle(HttpExchange exchange) {
    try {
      answer(exchange);
    } catch (IOException e) {
      // The client went away, or the connection broke: nothing is left to answer.
      log.debug("portal exchange {} {} ended: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
    } catch (RuntimeException e) {
      log.error("portal failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
      internalError(exchange);
    } finally {
      exchange.close();
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    String mount = mountPath(exchange.getHttpContext().getPath());
    String requestPath = exchange.getRequestURI().getPath();
    String path;
    if (requestPath.equals(mount)) {
      path = "";
    } else if (requestPath.startsWith(mount + "/")) {
      path = requestPath.substring(mount.length());
    } else {
      exchange.sendResponseHeaders(404, -1);
      return;
    }
    String method = exchange.getRequestMethod();
    boolean head = method.equalsIgnoreCase("HEAD");
    PortalRequest.Builder request =
        PortalRequest.builder(method, mount, path)
            .rawQuery(exchange.getRequestURI().getRawQuery())
            .secure(exchange instanceof HttpsExchange)
            .nativeRequest(exchange);
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      for (String value : header.getValue()) {
        request.header(header.getKey(), value);
      }
    }
    // Not closed here: closing the request stream first drains what the client still sends.
    InputStream in = exchange.getRequestBody();
    request.body(in.readNBytes(portal.maxBodyBytes() + 1));

    PortalResponse response = portal.handle(request.build());

    Headers out = exchange.getResponseHeaders();
    for (Map.Entry<String, String> header : response.headers()) {
      if (!isFraming(header.getKey())) {
        out.add(header.getKey(), header.getValue());
      }
    }
    int length = response.bodyLength();
    if (head || length == 0) {
      if (head && length > 0) {
        out.set("Content-Length", Integer.toString(length));
      }
      exchange.sendResponseHeaders(response.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(response.status(), length);
    OutputStream body = exchange.getResponseBody();
    response.writeBody(body);
    // Sent now: closing the exchange reads what is left of the request first.
    body.flush();
  }

  /** The context's path without a trailing slash: {@code ""} for the root context. */
  private static String mountPath(String contextPath) {
    return contextPath.endsWith("/") ? contextPath.substring(0, contextPath.length() - 1) : contextPath;
  }

  /** Headers that frame the message, which the server writes itself. */
  static boolean isFraming(String name) {
    return name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding");
  }

  private static void internalError(HttpExchange exchange) {
    try {
      exchange.sendResponseHeaders(500, -1);
    } catch (IOException | RuntimeException e) {
      // Headers already sent, or the connection gone: closing the exchange is all that is left.
      log.debug("no 500 for the failed portal exchange: {}", e.toString());
    }
  }
}
