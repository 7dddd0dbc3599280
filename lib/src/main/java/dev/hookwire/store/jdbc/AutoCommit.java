package dev.hookwire.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work on a connection with auto-commit on, each statement its own transaction, and gives
 * the connection back in the mode it came in: pools differ in the mode they hand out.
 */
final class AutoCommit {
  private AutoCommit() {}

  /** Work on a connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Work that sets a store up, in its dialect. */
  @FunctionalInterface
  interface SetUp<T> {
    T run(Connection c, JdbcDialect dialect) throws SQLException;
  }

  /** Runs work with auto-commit on, then restores the connection's mode. */
  static <T> T run(Connection c, Work<T> work) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    if (!autoCommit) {
      c.setAutoCommit(true);
    }
    try {
      return work.run(c);
    } finally {
      if (!autoCommit) {
        c.setAutoCommit(false);
      }
    }
  }

  /**
   * Connects once to build a store: takes the dialect given, or detects it from the database's
   * product name when null, and runs the set-up (schema DDL, which commits on its own on MariaDB
   * and H2) with auto-commit on.
   *
   * @throws IllegalStateException if the dialect cannot be detected
   */
  static <T> T setUp(DataSource dataSource, JdbcDialect dialect, SetUp<T> setUp)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      JdbcDialect d =
          dialect != null
              ? dialect
              : JdbcDialect.forProductName(c.getMetaData().getDatabaseProductName());
      return run(c, connection -> setUp.run(connection, d));
    }
  }
}
