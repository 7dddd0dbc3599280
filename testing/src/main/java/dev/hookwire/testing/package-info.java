/**
 * Fixtures for tests of code that uses Hookwire: {@link dev.hookwire.testing.MutableClock}, a
 * clock a test moves by hand, and {@link dev.hookwire.testing.TestEvents}, sample events with
 * fixed ids and times. The SPI contract suites, which use them, are in {@link
 * dev.hookwire.testing.contract}.
 *
 * <p>All parameters and return values in this package are non-null unless a member's
 * documentation says otherwise.
 */
package dev.hookwire.testing;
