package dev.hookwire.testing;

import dev.hookwire.store.jdbc.JdbcDialect;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The databases the JDBC tests run on: a fresh in-memory H2 database, and the PostgreSQL and
 * MariaDB servers of the machine (database {@code test}; URLs overridable with {@code
 * HOOKWIRE_PG_URL} and {@code HOOKWIRE_MARIADB_URL}).
 *
 * <p>A server that cannot be reached skips the tests that need it, with a message saying how to
 * run them; with {@code CI=true} in the environment it fails them instead, so that a build
 * server never passes without them. Each test class works in tables of its own prefix ({@link
 * #uniquePrefix()}), so that runs sharing a server do not meet.
 *
 * <p>Thread-safe.
 */
public final class Databases {

  /** A kind of database. */
  public enum Kind {
    /** An in-memory H2 database, new for each data source. */
    H2(JdbcDialect.H2, "H2", null, null, null),
    /** The PostgreSQL server. */
    POSTGRESQL(
        JdbcDialect.POSTGRESQL,
        "PostgreSQL",
        "HOOKWIRE_PG_URL",
        "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
        "127.0.0.1:5432"),
    /** The MariaDB server. */
    MARIADB(
        JdbcDialect.MARIADB,
        "MariaDB",
        "HOOKWIRE_MARIADB_URL",
        "jdbc:mariadb://127.0.0.1:3306/test?user=root",
        "127.0.0.1:3306");

    private final JdbcDialect dialect;
    private final String label;
    private final String urlVariable;
    private final String defaultUrl;
    private final String address;

    Kind(
        JdbcDialect dialect, String label, String urlVariable, String defaultUrl, String address) {
      this.dialect = dialect;
      this.label = label;
      this.urlVariable = urlVariable;
      this.defaultUrl = defaultUrl;
      this.address = address;
    }

    /**
     * Returns the store dialect for this kind.
     *
     * @return the dialect
     */
    public JdbcDialect dialect() {
      return dialect;
    }

    String url() {
      String override = urlVariable == null ? null : System.getenv(urlVariable);
      return override != null && !override.isBlank() ? override : defaultUrl;
    }

    Properties properties() {
      Properties p = new Properties();
      if (this == POSTGRESQL) {
        p.setProperty("connectTimeout", "2");
        p.setProperty("loginTimeout", "3");
        // Tests do not crash the server: skip the wait for the disk at each commit.
        p.setProperty("options", "-c synchronous_commit=off");
      } else if (this == MARIADB) {
        p.setProperty("connectTimeout", "2000");
      }
      return p;
    }
  }

  private static final AtomicLong H2_COUNTER = new AtomicLong();
  private static final Map<Kind, TestDataSource> SHARED = new EnumMap<>(Kind.class);
  private static final Map<Kind, String> UNREACHABLE = new EnumMap<>(Kind.class);

  private Databases() {}

  /**
   * Returns a data source for a kind of database: a new in-memory database for H2, one shared
   * pool per server otherwise. Skips the calling test (or, in CI, fails it) if the server cannot
   * be reached.
   *
   * @param kind the kind of database
   * @return the data source; the caller closes those of H2
   */
  public static TestDataSource open(Kind kind) {
    if (kind == Kind.H2) {
      return h2();
    }
    synchronized (SHARED) {
      TestDataSource shared = SHARED.get(kind);
      if (shared == null) {
        requireReachable(kind);
        shared = new TestDataSource(kind.url(), kind.properties(), null);
        SHARED.put(kind, shared);
      }
      return shared;
    }
  }

  /**
   * Returns a data source of its own for a kind of database, which the caller may close (for
   * tests of failures). Skips or fails like {@link #open(Kind)}.
   *
   * @param kind the kind of database
   * @return a new data source
   */
  public static TestDataSource openPrivate(Kind kind) {
    return openPrivate(kind, new Properties());
  }

  /**
   * Returns a data source of its own for a kind of database, with extra connection properties.
   * Skips or fails like {@link #open(Kind)}.
   *
   * @param kind the kind of database
   * @param extra driver properties to add, such as MariaDB's {@code useBulkStmts}
   * @return a new data source
   */
  public static TestDataSource openPrivate(Kind kind, Properties extra) {
    if (kind == Kind.H2) {
      return h2();
    }
    synchronized (SHARED) {
      requireReachable(kind);
    }
    Properties properties = kind.properties();
    properties.putAll(extra);
    return new TestDataSource(kind.url(), properties, null);
  }

  /**
   * Starts a {@link TcpProxy} in front of a server, to cut the database away from a test without
   * stopping it. Skips or fails like {@link #open(Kind)}.
   *
   * @param kind a server kind, not H2
   * @return the proxy; the caller closes it
   * @throws IOException if the proxy cannot listen
   */
  public static TcpProxy proxy(Kind kind) throws IOException {
    if (kind == Kind.H2) {
      throw new IllegalArgumentException("H2 runs in this process; there is nothing to proxy");
    }
    synchronized (SHARED) {
      requireReachable(kind);
    }
    Matcher m = HOST_PORT.matcher(kind.url());
    if (!m.find()) {
      throw new IllegalStateException("no host:port in " + kind.url());
    }
    return new TcpProxy(m.group(1), Integer.parseInt(m.group(2)));
  }

  /**
   * Returns a data source of its own that reaches a server through a proxy from {@link
   * #proxy(Kind)}.
   *
   * @param kind the server kind
   * @param proxy the proxy in front of it
   * @return a new data source
   */
  public static TestDataSource openThrough(Kind kind, TcpProxy proxy) {
    String url =
        HOST_PORT.matcher(kind.url()).replaceFirst("//127.0.0.1:" + proxy.port() + "/");
    return new TestDataSource(url, kind.properties(), null);
  }

  private static final Pattern HOST_PORT = Pattern.compile("//([^/:]+):(\\d+)/");

  /**
   * Returns a data source on a new, empty in-memory H2 database; closing it drops the database.
   *
   * @return the data source
   */
  public static TestDataSource h2() {
    return new TestDataSource(
        "jdbc:h2:mem:hookwire" + H2_COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1",
        new Properties(),
        "SHUTDOWN");
  }

  /**
   * Skips each test of a class marked {@link RequiresDatabase} whose server cannot be reached,
   * before any of its set-up runs; with {@code CI=true}, fails it.
   */
  public static final class Reachable implements ExecutionCondition {
    /** For JUnit. */
    public Reachable() {}

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (context.getTestMethod().isEmpty()) {
        return ConditionEvaluationResult.enabled("decided per test");
      }
      RequiresDatabase required =
          context.getRequiredTestClass().getAnnotation(RequiresDatabase.class);
      String problem;
      synchronized (SHARED) {
        problem = required == null ? null : problem(required.value());
      }
      if (problem == null) {
        return ConditionEvaluationResult.enabled("reachable");
      }
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(problem + " (required because CI=true)");
      }
      return ConditionEvaluationResult.disabled(problem);
    }
  }

  /** Checks once whether a server answers; skips or fails the caller if it does not. */
  private static void requireReachable(Kind kind) {
    String problem = problem(kind);
    if (problem != null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(problem + " (required because CI=true)");
      }
      Assumptions.assumeTrue(false, problem);
    }
  }

  /** Checks once whether a server answers; returns why not, or null. */
  private static String problem(Kind kind) {
    if (!UNREACHABLE.containsKey(kind)) {
      String url = kind.url();
      try (Connection c = DriverManager.getConnection(url, kind.properties())) {
        UNREACHABLE.put(kind, c.isValid(2) ? null : kind.label + " answers but is not valid");
      } catch (SQLException e) {
        UNREACHABLE.put(
            kind,
            kind.label
                + " not reachable at "
                + (url.equals(kind.defaultUrl) ? kind.address : url)
                + " ("
                + e.getMessage()
                + "); start it or set "
                + kind.urlVariable
                + "=jdbc:"
                + kind.name().toLowerCase(Locale.ROOT)
                + "://host:port/database?user=... to run these tests");
      }
    }
    return UNREACHABLE.get(kind);
  }

  /**
   * Returns a table prefix no other test run uses: {@code hwt_} and random letters.
   *
   * @return the prefix
   */
  public static String uniquePrefix() {
    StringBuilder s = new StringBuilder("hwt_");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 8; i++) {
      s.append((char) ('a' + random.nextInt(26)));
    }
    return s.append('_').toString();
  }

  /**
   * Deletes every row of the store's tables, leaving the tables, the schema version and the
   * claim token counter, and sets the endpoint revision back to 0, as in a new store.
   *
   * @param dataSource the database
   * @param prefix the tables' prefix
   */
  public static void clear(DataSource dataSource, String prefix) {
    execute(
        dataSource,
        "DELETE FROM " + prefix + "attempts",
        "DELETE FROM " + prefix + "deliveries",
        "DELETE FROM " + prefix + "messages",
        "DELETE FROM " + prefix + "endpoints",
        "UPDATE " + prefix + "endpoint_revision SET revision = 0");
  }

  /**
   * Drops the store's tables and sequence, if they exist.
   *
   * @param dataSource the database
   * @param kind its kind
   * @param prefix the tables' prefix
   */
  public static void drop(DataSource dataSource, Kind kind, String prefix) {
    execute(
        dataSource,
        "DROP TABLE IF EXISTS " + prefix + "attempts",
        "DROP TABLE IF EXISTS " + prefix + "deliveries",
        "DROP TABLE IF EXISTS " + prefix + "messages",
        "DROP TABLE IF EXISTS " + prefix + "endpoints",
        "DROP TABLE IF EXISTS " + prefix + "endpoint_revision",
        "DROP TABLE IF EXISTS " + prefix + "schema_version",
        kind == Kind.MARIADB
            ? "DROP TABLE IF EXISTS " + prefix + "claim_tokens"
            : "DROP SEQUENCE IF EXISTS " + prefix + "claim_tokens");
  }

  /**
   * Runs a query and returns the first column of its rows, as text.
   *
   * @param dataSource the database
   * @param query the query
   * @return one value per row, in the rows' order
   */
  public static List<String> column(DataSource dataSource, String query) {
    List<String> values = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + e.getMessage(), e);
    }
    return values;
  }

  /**
   * Returns the tables whose names start with a prefix, by name without the prefix, each with
   * its columns in order ({@code "name jdbcType nullable"}), as the database reports them: to
   * compare the tables that two ways of making a schema leave.
   *
   * @param dataSource the database
   * @param prefix the tables' prefix
   * @return table name to columns, sorted by table name
   */
  public static Map<String, List<String>> tables(DataSource dataSource, String prefix) {
    Map<String, List<String>> tables = new TreeMap<>();
    try (Connection c = dataSource.getConnection()) {
      DatabaseMetaData meta = c.getMetaData();
      try (ResultSet rs =
          meta.getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
          if (name.startsWith(prefix)) {
            tables.put(name.substring(prefix.length()), new ArrayList<>());
          }
        }
      }
      for (Map.Entry<String, List<String>> table : tables.entrySet()) {
        String name = prefix + table.getKey();
        if (meta.storesUpperCaseIdentifiers()) {
          name = name.toUpperCase(Locale.ROOT);
        }
        try (ResultSet rs = meta.getColumns(c.getCatalog(), c.getSchema(), name, "%")) {
          while (rs.next()) {
            table
                .getValue()
                .add(
                    rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT)
                        + " "
                        + rs.getInt("DATA_TYPE")
                        + " "
                        + rs.getString("IS_NULLABLE"));
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading the tables failed: " + e.getMessage(), e);
    }
    return tables;
  }

  /**
   * Runs statements in auto-commit mode.
   *
   * @param dataSource the database
   * @param statements the statements
   */
  public static void execute(DataSource dataSource, String... statements) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test set-up failed: " + e.getMessage(), e);
    }
  }
}
