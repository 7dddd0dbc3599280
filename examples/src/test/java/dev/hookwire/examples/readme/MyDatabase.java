package dev.hookwire.examples.readme;

import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** New, empty H2 databases in memory, one per call. Thread-safe. */
final class MyDatabase {
  private static final AtomicInteger COUNT = new AtomicInteger();

  private MyDatabase() {}

  /** A database of its own, kept until the JVM ends. */
  static DataSource fresh() {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:readme-" + COUNT.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    return dataSource;
  }
}
