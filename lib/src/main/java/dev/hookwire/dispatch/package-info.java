/**
 * The sending side: a {@link dev.hookwire.dispatch.Dispatcher} delivers every event sent to it
 * to every subscribed {@link dev.hookwire.dispatch.Endpoint}, signed, retried by a {@link
 * dev.hookwire.dispatch.RetryPolicy}, recorded, and reported to {@link
 * dev.hookwire.dispatch.DeliveryListener}s.
 *
 * <p>All parameters and return values in this package are non-null unless a member's
 * documentation says otherwise.
 */
package dev.hookwire.dispatch;
