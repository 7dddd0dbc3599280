package dev.hookwire.store.jdbc;

import dev.hookwire.store.DeliveryStore;
import dev.hookwire.store.DeliveryStoreContract;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.TestDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The JDBC store on PostgreSQL keeps the whole {@link DeliveryStore} contract. The tables are
 * created by the first store of the class, under a prefix of their own, and emptied for each
 * store after.
 */
class PostgresDeliveryStoreTest extends DeliveryStoreContract {
  private static TestDataSource database;
  private static String prefix;

  @BeforeAll
  static void openDatabase() {
    database = Databases.open(Databases.Kind.POSTGRESQL);
    prefix = Databases.uniquePrefix();
  }

  @AfterAll
  static void dropTables() {
    if (database != null) {
      Databases.drop(database, Databases.Kind.POSTGRESQL, prefix);
    }
  }

  @Override
  protected DeliveryStore newStore() {
    JdbcDeliveryStore store =
        JdbcDeliveryStore.builder(database).tablePrefix(prefix).clock(clock).build();
    Databases.clear(database, prefix);
    return store;
  }
}
