package dev.hookwire.store.jdbc;

import dev.hookwire.receive.IdempotencyStore;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.RequiresDatabase;
import dev.hookwire.testing.TestDataSource;
import dev.hookwire.testing.contract.IdempotencyStoreContract;
import org.junit.jupiter.api.AfterAll;

/**
 * The JDBC idempotency store on PostgreSQL keeps the {@link IdempotencyStore} contract. The table
 * is created by the first store of the class, under a prefix of its own, and emptied for each
 * store after.
 */
@RequiresDatabase(Databases.Kind.POSTGRESQL)
class PostgresIdempotencyStoreTest extends IdempotencyStoreContract {
  private static final String PREFIX = Databases.uniquePrefix();

  private static TestDataSource database;

  @AfterAll
  static void dropTable() {
    if (database != null) {
      Databases.execute(database, "DROP TABLE IF EXISTS " + PREFIX + "idempotency");
    }
  }

  @Override
  protected IdempotencyStore newStore() {
    database = Databases.open(Databases.Kind.POSTGRESQL);
    JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(database).tablePrefix(PREFIX).build();
    Databases.execute(database, "DELETE FROM " + PREFIX + "idempotency");
    return store;
  }
}
