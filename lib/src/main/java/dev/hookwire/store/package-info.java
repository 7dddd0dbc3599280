/**
 * What the dispatcher's queries answer with: {@link dev.hookwire.store.DeliveryRecord}s, {@link
 * dev.hookwire.store.AttemptRecord}s and their states, and {@link
 * dev.hookwire.store.StoreException}, which every store throws when its storage fails. The SPIs
 * a store implements, and the records only implementers need, are in {@link
 * dev.hookwire.store.spi}; the stores Hookwire ships in {@link dev.hookwire.store.memory} and
 * {@link dev.hookwire.store.jdbc}.
 *
 * <p>All parameters and return values in this package are non-null unless a member's
 * documentation says otherwise.
 */
package dev.hookwire.store;
