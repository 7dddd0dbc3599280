/**
 * Where the dispatcher keeps its work: the {@link dev.hookwire.store.DeliveryStore} SPI, the
 * records it persists (endpoints, messages, deliveries, attempts), and {@link
 * dev.hookwire.store.InMemoryDeliveryStore}, the default.
 *
 * <p>The records here are what the dispatcher's queries answer with, too: they live beside the
 * SPI because a store must persist them and must not depend on the dispatcher.
 *
 * <p>All parameters and return values in this package are non-null unless a member's
 * documentation says otherwise.
 */
package dev.hookwire.store;
