package dev.hookwire.examples.readme;

import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import dev.hookwire.testing.ForwardingStore;
import javax.sql.DataSource;

/**
 * The store of the README's "Implementing an SPI" snippet: a host's own class outside Hookwire's
 * packages, here one that hands every call to a {@link JdbcDeliveryStore}, so that the contract
 * suite runs from a user's package exactly as the README shows. Thread-safe.
 */
final class MyDeliveryStore extends ForwardingStore {
  MyDeliveryStore(DataSource database) {
    super(JdbcDeliveryStore.builder(database).build());
  }
}
