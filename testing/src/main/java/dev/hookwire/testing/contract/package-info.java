/**
 * The contract suites of Hookwire's SPIs, as abstract JUnit Jupiter test classes: the tests
 * Hookwire runs on its own implementations, for whoever writes another. Extend {@link
 * dev.hookwire.testing.contract.DeliveryStoreContract} for a {@link
 * dev.hookwire.store.spi.DeliveryStore} and {@link
 * dev.hookwire.testing.contract.IdempotencyStoreContract} for a {@link
 * dev.hookwire.receive.IdempotencyStore} and {@link
 * dev.hookwire.testing.contract.TransportContract} for a {@link dev.hookwire.transport.Transport},
 * say how to make a fresh instance, and run the subclass as any other test.
 *
 * <p>All parameters and return values in this package are non-null unless a member's
 * documentation says otherwise.
 */
package dev.hookwire.testing.contract;
