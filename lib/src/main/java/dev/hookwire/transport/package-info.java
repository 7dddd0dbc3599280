/**
 * How Hookwire puts a request on the wire: the {@link dev.hookwire.transport.Transport} SPI and
 * its two implementations, {@link dev.hookwire.transport.OkHttpTransport} (the default) and
 * {@link dev.hookwire.transport.JdkHttpTransport}; and the {@link
 * dev.hookwire.transport.NetworkPolicy} that keeps webhooks away from private networks.
 *
 * <p>All parameters and return values in this package are non-null unless a member's
 * documentation says otherwise.
 */
package dev.hookwire.transport;
