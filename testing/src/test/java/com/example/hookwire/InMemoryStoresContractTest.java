package com.example.hookwire;

import dev.hookwire.receive.IdempotencyStore;
import dev.hookwire.receive.InMemoryIdempotencyStore;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.testing.contract.DeliveryStoreContract;
import dev.hookwire.testing.contract.IdempotencyStoreContract;
import org.junit.jupiter.api.Nested;

/**
 * Runs the published store suites against Hookwire's in-memory stores from a package of its own,
 * as an implementer's build runs them against theirs: this artifact and what it brings with it
 * are all it takes.
 */
class InMemoryStoresContractTest {

  @Nested
  class InMemoryDeliveryStoreKeepsTheContract extends DeliveryStoreContract {
    @Override
    protected DeliveryStore newStore() {
      return InMemoryDeliveryStore.create();
    }
  }

  @Nested
  class InMemoryIdempotencyStoreKeepsTheContract extends IdempotencyStoreContract {
    @Override
    protected IdempotencyStore newStore() {
      return InMemoryIdempotencyStore.create();
    }
  }
}
