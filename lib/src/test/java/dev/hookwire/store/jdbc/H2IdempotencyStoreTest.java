package dev.hookwire.store.jdbc;

import dev.hookwire.receive.IdempotencyStore;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.TestDataSource;
import dev.hookwire.testing.contract.IdempotencyStoreContract;
import org.junit.jupiter.api.AfterEach;

/** The JDBC idempotency store on H2 keeps the {@link IdempotencyStore} contract. */
class H2IdempotencyStoreTest extends IdempotencyStoreContract {
  private TestDataSource database;

  @Override
  protected IdempotencyStore newStore() {
    database = Databases.h2();
    return JdbcIdempotencyStore.builder(database).build();
  }

  @AfterEach
  void dropDatabase() {
    database.close();
  }
}
