package dev.hookwire.store.jdbc;

import dev.hookwire.store.DeliveryStore;
import dev.hookwire.store.DeliveryStoreContract;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.TestDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The JDBC store on MariaDB keeps the whole {@link DeliveryStore} contract. The tables are
 * created once for the class, under a prefix of its own, and emptied before each store.
 */
class MariaDbDeliveryStoreTest extends DeliveryStoreContract {
  private static TestDataSource database;
  private static String prefix;

  @BeforeAll
  static void createTables() {
    database = Databases.open(Databases.Kind.MARIADB);
    prefix = Databases.uniquePrefix();
  }

  @AfterAll
  static void dropTables() {
    if (database != null) {
      Databases.drop(database, Databases.Kind.MARIADB, prefix);
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
