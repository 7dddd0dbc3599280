package dev.hookwire.store;

/** The in-memory store keeps the whole {@link DeliveryStore} contract. */
class InMemoryDeliveryStoreTest extends DeliveryStoreContract {

  @Override
  protected DeliveryStore newStore() {
    return InMemoryDeliveryStore.create(clock);
  }
}
