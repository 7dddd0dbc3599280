/**
 * The store SPIs, narrow by concern, for whoever keeps a dispatcher's work in a storage of their
 * own: {@link dev.hookwire.store.spi.EndpointRepository} (endpoints and their control state, the
 * single source of truth of every node sharing the store), {@link
 * dev.hookwire.store.spi.DeliveryQueue} (enqueue, claim, complete, release, next due, prune) and
 * {@link dev.hookwire.store.spi.DeliveryHistory} (queries), which {@link
 * dev.hookwire.store.spi.DeliveryStore} brings together over one storage; and the records that
 * pass through them. Stores read no clock: every time is passed in. The contract suites in
 * {@code dev.hookwire:hookwire-testing} check an implementation against the same tests as
 * Hookwire's own stores.
 *
 * <p>All parameters and return values in this package are non-null unless a member's
 * documentation says otherwise.
 */
package dev.hookwire.store.spi;
