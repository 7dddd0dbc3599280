/**
 * The webhook event envelope, typed event data and the JSON codec.
 *
 * <p>All parameters and return values in this package are non-null unless a member's
 * documentation says otherwise.
 */
package dev.hookwire.event;
