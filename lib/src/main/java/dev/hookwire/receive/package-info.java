/**
 * Receiving webhooks: {@link dev.hookwire.receive.WebhookReceiver} verifies a request on its raw
 * bytes, parses the event, de-duplicates it by webhook id through an {@link
 * dev.hookwire.receive.IdempotencyStore}, runs the handler registered for its type, and says
 * which HTTP status to answer with. It works on bytes and a header map, so it fits any web
 * framework; the {@code examples} module shows the JDK's {@code HttpServer}, a Jakarta Servlet
 * and a Spring controller.
 *
 * <p>All parameters and return values in this package are non-null unless a member's
 * documentation says otherwise.
 */
package dev.hookwire.receive;
