package dev.hookwire.examples.readme;

// tag::spi[]
import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.testing.contract.DeliveryStoreContract;
// end::spi[]

// tag::spi[]
class MyDeliveryStoreTest extends DeliveryStoreContract {
  @Override
  protected DeliveryStore newStore() {
    return new MyDeliveryStore(MyDatabase.fresh());   // yours: your store, on a new, empty database
  }
}
// end::spi[]
