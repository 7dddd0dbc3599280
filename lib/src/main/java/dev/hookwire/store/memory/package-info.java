/**
 * {@link dev.hookwire.store.memory.InMemoryDeliveryStore}, the dispatcher's default store: fast,
 * thread-safe, bounded in what it holds, and gone when the process ends.
 *
 * <p>All parameters and return values in this package are non-null unless a member's
 * documentation says otherwise.
 */
package dev.hookwire.store.memory;
