/**
 * Micrometer meters for Hookwire: {@link dev.hookwire.micrometer.HookwireMetrics} counts and
 * times what a {@link dev.hookwire.dispatch.Dispatcher} sends and a {@link
 * dev.hookwire.receive.WebhookReceiver} receives, and {@link
 * dev.hookwire.micrometer.DispatcherGauges} reports a dispatcher's backlog.
 *
 * <p>All parameters and return values in this package are non-null unless a member's
 * documentation says otherwise.
 */
package dev.hookwire.micrometer;
