package dev.hookwire.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Creates, upgrades and checks the store's tables from the dialect's scripts: the scripts hosts
 * copy are the ones the store runs. Versions: {@code schema_version} holds one row per version
 * applied; the schema script creates the latest, and {@code upgrade-<version>-<dialect>.sql}
 * takes the tables to {@code <version>} from the version before ({@link
 * JdbcDialect#upgradeResource(int)}).
 */
final class Schema {
  /** The version this code reads and writes. */
  static final int VERSION = 4;

  private Schema() {}

  /**
   * Makes sure the tables exist at {@link #VERSION}: creates or upgrades them if allowed.
   * Runs statements one by one on {@code c}, in auto-commit mode (DDL commits on its own on
   * MariaDB and H2); an upgrade borrows a second connection from {@code dataSource} for its lock.
   *
   * @throws IllegalStateException if the tables are missing or at another version and may not be
   *     created or upgraded, or are newer than this code
   */
  static void ensure(Connection c, DataSource dataSource, Sql sql, boolean create)
      throws SQLException {
    int version = version(c, sql);
    if (version == VERSION) {
      return;
    }
    if (version > VERSION) {
      throw new IllegalStateException(
          "the "
              + sql.prefix
              + "* tables are at schema version "
              + version
              + ", newer than this Hookwire supports ("
              + VERSION
              + "); upgrade Hookwire");
    }
    if (!create) {
      throw new IllegalStateException(
          version == 0
              ? "no "
                  + sql.prefix
                  + "* tables found: run "
                  + sql.dialect.schemaResource()
                  + " (see JdbcDialect.schemaScript) or build the store with createSchema(true)"
              : "the "
                  + sql.prefix
                  + "* tables are at schema version "
                  + version
                  + ": upgrade them to "
                  + VERSION
                  + " by running "
                  + upgradeResources(sql.dialect, version)
                  + " (see JdbcDialect.upgradeScript), or build the store with createSchema(true)");
    }
    if (version == 0) {
      create(c, sql);
    } else {
      upgrade(c, dataSource, sql, version);
    }
    int now = version(c, sql);
    if (now != VERSION) {
      throw new IllegalStateException(
          "schema script left the " + sql.prefix + "* tables at version " + now);
    }
  }

  /** Runs the schema script, which creates the tables at {@link #VERSION}. */
  private static void create(Connection c, Sql sql) throws SQLException {
    runScript(c, sql, statements(sql.dialect.schemaScript(sql.prefix)), VERSION);
  }

  /**
   * Takes the tables from {@code from} to {@link #VERSION}, one version at a time. Upgrades take
   * turns: on a connection of its own, a node locks the first {@code schema_version} row, the
   * version the tables were created at, until it is done, and a node that waited for the lock
   * reads the version again and finds the tables upgraded. Every node locks that same row,
   * whatever version it found: one that found a version another node was still upgrading from
   * would otherwise lock another row and alter the tables alongside it. Unlike creations, upgrades side by side are not just retried: on H2, two
   * {@code ALTER TABLE} statements on one table at once can lose the table.
   */
  private static void upgrade(Connection c, DataSource dataSource, Sql sql, int from)
      throws SQLException {
    try (Connection lock = dataSource.getConnection()) {
      boolean autoCommit = lock.getAutoCommit();
      lock.setAutoCommit(false);
      try {
        int first;
        try (Statement s = lock.createStatement();
            ResultSet rs = s.executeQuery(sql.firstSchemaVersion)) {
          first = rs.next() ? rs.getInt(1) : from;
        }
        try (PreparedStatement ps = lock.prepareStatement(sql.lockSchemaVersion)) {
          ps.setInt(1, first);
          ps.executeQuery().close();
        }
        for (int v = version(c, sql) + 1; v <= VERSION; v++) {
          runScript(c, sql, statements(sql.dialect.upgradeScript(sql.prefix, v)), v);
        }
      } finally {
        lock.rollback(); // it changed nothing: this only lets the lock go
        lock.setAutoCommit(autoCommit);
      }
    }
  }

  /**
   * Runs a script that ends by recording version {@code to}. When several nodes start at once
   * on a database without tables, they run the schema script side by side, and one trips over
   * an object another is creating (PostgreSQL and H2 check {@code IF NOT EXISTS} before the
   * other's creation commits). Every statement may run again, so the one that tripped runs the
   * script again, unless the other has finished meanwhile. Each failure means another node has
   * just created the object in question, so one retry per statement is enough.
   */
  private static void runScript(Connection c, Sql sql, List<String> statements, int to)
      throws SQLException {
    for (int attempt = 0; ; attempt++) {
      try {
        run(c, statements);
        return;
      } catch (SQLException e) {
        if (attempt >= statements.size()) {
          throw e;
        }
        if (version(c, sql) >= to) {
          return;
        }
      }
    }
  }

  /** The upgrade scripts that take tables from {@code from} to {@link #VERSION}, in order. */
  private static String upgradeResources(JdbcDialect dialect, int from) {
    List<String> names = new ArrayList<>();
    for (int v = from + 1; v <= VERSION; v++) {
      names.add(dialect.upgradeResource(v));
    }
    return String.join(", then ", names);
  }

  private static void run(Connection c, List<String> statements) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  /**
   * Returns the schema version of the tables: 0 if there are none.
   *
   * @throws SQLException if the database cannot be asked
   */
  static int version(Connection c, Sql sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql.schemaVersion)) {
      return rs.next() ? rs.getInt(1) : 0;
    } catch (SQLException e) {
      if (isMissingTable(e)) {
        return 0;
      }
      throw e;
    }
  }

  /**
   * Whether a statement failed for want of a table: SQLSTATE 42P01 (PostgreSQL), 42S02, or
   * 42S04 (H2, when the database has no tables at all).
   */
  static boolean isMissingTable(SQLException e) {
    String state = e.getSQLState();
    return "42P01".equals(state) || "42S02".equals(state) || "42S04".equals(state);
  }

  /**
   * Splits a script into statements: each ends with a semicolon at the end of a line; lines
   * starting with {@code --} are comments.
   */
  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\r?\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      if (current.length() > 0) {
        current.append('\n');
      }
      if (trimmed.endsWith(";")) {
        current.append(line, 0, line.lastIndexOf(';'));
        statements.add(current.toString());
        current.setLength(0);
      } else {
        current.append(line);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString());
    }
    return statements;
  }
}
