/**
 * The operator portal: {@link dev.hookwire.portal.Portal} serves a JSON management API for a
 * tenant's webhook endpoints (with an OpenAPI description) and a web page for it, both from
 * this jar, to be mounted by a host at a path of its own: with the JDK's HttpServer ({@link
 * dev.hookwire.portal.PortalHttpHandler}), as a Jakarta Servlet ({@link
 * dev.hookwire.portal.PortalServlet}), or by the Spring Boot starter. A host's {@link
 * dev.hookwire.portal.PortalAuthorizer} scopes every request to one tenant.
 *
 * <p>All parameters and return values in this package are non-null unless a member's
 * documentation says otherwise.
 */
package dev.hookwire.portal;
