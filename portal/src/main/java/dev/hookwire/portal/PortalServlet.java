package dev.hookwire.portal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link Portal} as a Jakarta Servlet (6.0 or later), mapped to a path prefix:
 *
 * <pre>{@code
 * servletContext.addServlet("hookwire-portal", new PortalServlet(portal)).addMapping("/hookwire/*");
 * }</pre>
 *
 * <p>Map it to a path prefix ({@code /hookwire/*}), or to {@code /} in a web application of its
 * own: the context path and the prefix are the portal's mount path, the rest of the path is the
 * portal's path. An exact mapping ({@code /hookwire}) leaves out everything below it, where the
 * page and the API are.
 *
 * <p>The host's filters run first: its authentication decides who the user is, and the portal's
 * {@link PortalAuthorizer} reads that from the {@link HttpServletRequest}, which is the request's
 * {@link PortalRequest#nativeRequest native request}. The request body is read up to one byte
 * past {@link Portal#maxBodyBytes()}, never further, so the portal refuses a larger one with 413
 * without it being read into memory. A {@code HEAD} request gets the headers of the portal's
 * answer, its body's length included, and no body. The portal's cookie is marked {@code Secure}
 * when {@link HttpServletRequest#isSecure()} says so: behind a proxy that ends TLS, have the
 * container take the scheme from the proxy's headers. A client that goes away while the answer
 * is written is logged, not rethrown; a failure of the portal is answered 500.
 *
 * <p>Thread-safe: the container calls one instance for every request, on its own threads.
 */
public final class PortalServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(PortalServlet.class);

  /** Not serializable; a container that restores sessions never serializes a servlet. */
  private final transient Portal portal;

  /**
   * Makes a servlet for a portal.
   *
   * @param portal the portal to serve
   */
  public PortalServlet(Portal portal) {
    this.portal = Objects.requireNonNull(portal, "portal == null");
  }

  /**
   * Answers a request of any method.
   *
   * @param request the request
   * @param response the response
   * @throws IOException if the request cannot be read
   */
  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String method = request.getMethod();
    boolean head = method.equalsIgnoreCase("HEAD");
    // Mapped to "/", the servlet gets every path, all of it as the servlet path.
    boolean everyPath = request.getHttpServletMapping().getMappingMatch() == MappingMatch.DEFAULT;
    String pathInfo = request.getPathInfo();
    PortalRequest.Builder builder =
        PortalRequest.builder(
                method,
                request.getContextPath() + (everyPath ? "" : request.getServletPath()),
                everyPath ? request.getServletPath() : pathInfo == null ? "" : pathInfo)
            .rawQuery(request.getQueryString())
            .secure(request.isSecure())
            .nativeRequest(request);
    for (String name : Collections.list(request.getHeaderNames())) {
      for (String value : Collections.list(request.getHeaders(name))) {
        builder.header(name, value);
      }
    }
    builder.body(request.getInputStream().readNBytes(portal.maxBodyBytes() + 1));

    PortalResponse answer;
    try {
      answer = portal.handle(builder.build());
    } catch (RuntimeException e) {
      log.error("portal failed on {} {}", method, request.getRequestURI(), e);
      if (!response.isCommitted()) {
        response.reset();
        response.setStatus(500);
      }
      return;
    }

    response.setStatus(answer.status());
    for (Map.Entry<String, String> header : answer.headers()) {
      if (!PortalHttpHandler.isFraming(header.getKey())) {
        response.addHeader(header.getKey(), header.getValue());
      }
    }
    int length = answer.bodyLength();
    if (length > 0) {
      response.setContentLength(length);
    }
    if (head || length == 0) {
      return;
    }
    try {
      answer.writeBody(response.getOutputStream());
      // Sent now, before the container reads what is left of a request it was not read whole.
      response.flushBuffer();
    } catch (IOException e) {
      log.debug("portal request {} {} ended: {}", method, request.getRequestURI(), e.toString());
    }
  }
}
