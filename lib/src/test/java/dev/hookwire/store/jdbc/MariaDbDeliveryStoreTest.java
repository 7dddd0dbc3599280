package dev.hookwire.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.spi.ClaimedDelivery;
import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.RequiresDatabase;
import dev.hookwire.testing.TestDataSource;
import dev.hookwire.testing.contract.DeliveryStoreContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The JDBC store on MariaDB keeps the whole {@link DeliveryStore} contract. The tables are
 * created by the first store of the class, under a prefix of their own, and emptied for each
 * store after.
 */
@RequiresDatabase(Databases.Kind.MARIADB)
class MariaDbDeliveryStoreTest extends DeliveryStoreContract {
  private static TestDataSource database;

  private static final String PREFIX = Databases.uniquePrefix();

  @AfterAll
  static void dropTables() {
    if (database != null) {
      Databases.drop(database, Databases.Kind.MARIADB, PREFIX);
    }
  }

  @Override
  protected DeliveryStore newStore() {
    database = Databases.open(Databases.Kind.MARIADB);
    JdbcDeliveryStore store =
        JdbcDeliveryStore.builder(database).tablePrefix(PREFIX).build();
    Databases.clear(database, PREFIX);
    return store;
  }

  @Test
  void driverBatchesWithoutCounts_stillAnswerForEachCompletionAndRelease() throws Exception {
    Properties bulk = new Properties();
    bulk.setProperty("useBulkStmts", "true");
    TestDataSource bulkDatabase = Databases.openPrivate(Databases.Kind.MARIADB, bulk);
    try {
      // The premise: with bulk statements, this driver answers a batch without per-row counts.
      try (Connection c = bulkDatabase.getConnection();
          PreparedStatement ps =
              c.prepareStatement("UPDATE " + PREFIX + "endpoints SET config = ? WHERE id = ?")) {
        for (int i = 0; i < 2; i++) {
          ps.setString(1, "{}");
          ps.setString(2, "nope" + i);
          ps.addBatch();
        }
        assertThat(ps.executeBatch()).containsOnly(Statement.SUCCESS_NO_INFO);
      }
      store = JdbcDeliveryStore.builder(bulkDatabase).tablePrefix(PREFIX).build();
      enqueue("d1", A, T0);
      enqueue("d2", B, T0);
      enqueue("d3", C, T0);
      List<ClaimedDelivery> claimed = claim(T0);

      assertThat(
              store.complete(
                  List.of(
                      succeeded(claimed.get(1), at(1)),
                      succeeded(forged(claimed.get(0), "node-x", claimed.get(0).claimToken()), at(1)),
                      retry(claimed.get(0), at(1), at(20)),
                      succeeded(claimed.get(1), at(2))),
                  clock.instant()))
          .containsExactly(true, false, true, false);
      assertThat(
              store.release(
                  List.of(claimed.get(2), forged(claimed.get(2), "x", 1)), at(5), clock.instant()))
          .containsExactly(true, false);
      assertThat(store.count(DeliveryState.SUCCEEDED)).isEqualTo(1);
      assertThat(store.attemptsForEvent("evt_m_d1")).hasSize(1);
    } finally {
      bulkDatabase.close();
    }
  }
}
