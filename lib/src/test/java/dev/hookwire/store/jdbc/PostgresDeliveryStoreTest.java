package dev.hookwire.store.jdbc;

import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.RequiresDatabase;
import dev.hookwire.testing.TestDataSource;
import dev.hookwire.testing.contract.DeliveryStoreContract;
import org.junit.jupiter.api.AfterAll;

/**
 * The JDBC store on PostgreSQL keeps the whole {@link DeliveryStore} contract. The tables are
 * created by the first store of the class, under a prefix of their own, and emptied for each
 * store after.
 */
@RequiresDatabase(Databases.Kind.POSTGRESQL)
class PostgresDeliveryStoreTest extends DeliveryStoreContract {
  private static TestDataSource database;

  private static final String PREFIX = Databases.uniquePrefix();

  @AfterAll
  static void dropTables() {
    if (database != null) {
      Databases.drop(database, Databases.Kind.POSTGRESQL, PREFIX);
    }
  }

  @Override
  protected DeliveryStore newStore() {
    database = Databases.open(Databases.Kind.POSTGRESQL);
    JdbcDeliveryStore store =
        JdbcDeliveryStore.builder(database).tablePrefix(PREFIX).build();
    Databases.clear(database, PREFIX);
    return store;
  }
}
