package dev.hookwire.spring.scenario;

import dev.hookwire.spring.testing.RequiresPostgres;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The transactional outbox on PostgreSQL, in tables of this run's own prefix. */
@RequiresPostgres
class TransactionalOutboxPostgresTest extends TransactionalOutboxScenario {
  private static final String PREFIX = "hws_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36) + "_";

  @Autowired JdbcTemplate jdbc;

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> RequiresPostgres.URL);
    registry.add("hookwire.store.table-prefix", () -> PREFIX);
    registry.add("test.experiments-table", () -> PREFIX + "experiments");
  }

  @AfterAll
  void dropTables() {
    experiments.drop();
    for (String table :
        new String[] {"attempts", "deliveries", "messages", "endpoints", "endpoint_revision", "schema_version"}) {
      jdbc.execute("DROP TABLE IF EXISTS " + PREFIX + table);
    }
    jdbc.execute("DROP SEQUENCE IF EXISTS " + PREFIX + "claim_tokens");
  }
}
