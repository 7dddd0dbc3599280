package dev.hookwire.store.jdbc;

import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.TestDataSource;
import dev.hookwire.testing.contract.DeliveryStoreContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The JDBC store on H2 keeps the whole {@link DeliveryStore} contract; a new database each. */
class H2DeliveryStoreTest extends DeliveryStoreContract {
  private final List<TestDataSource> databases = new ArrayList<>();

  @Override
  protected DeliveryStore newStore() {
    TestDataSource database = Databases.h2();
    databases.add(database);
    return JdbcDeliveryStore.builder(database).build();
  }

  @AfterEach
  void dropDatabases() {
    databases.forEach(TestDataSource::close);
  }
}
