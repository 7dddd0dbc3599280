package dev.hookwire.store.jdbc;

import dev.hookwire.receive.IdempotencyStore;
import dev.hookwire.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * An {@link IdempotencyStore} in a relational database, through JDBC: processed webhook ids
 * survive restarts, and every node of a cluster that shares the database sees them, so that a
 * retry landing on another node is still known as a duplicate.
 *
 * <pre>{@code
 * JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(dataSource).build();
 * WebhookReceiver receiver = WebhookReceiver.builder()
 *     .idempotencyStore(store)
 *     ...
 *     .build();
 * }</pre>
 *
 * <p><b>Table.</b> One table, {@code <prefix>idempotency} ({@code hookwire_idempotency} by
 * default): a row per webhook id, with the claim's owner (null once processed) and when the row
 * expires, in nanoseconds since the epoch. {@link JdbcDialect#idempotencySchemaScript(String)} is
 * the exact DDL, which {@link Builder#build()} runs unless told not to. One table prefix per
 * {@code WebhookReceiver}.
 *
 * <p><b>Claims</b> are atomic however many nodes and threads claim one id: a claim inserts the
 * row (the primary key lets one insert win), or, if the row exists but has expired, takes it over
 * with an {@code UPDATE} conditioned on the expiry (row locking lets one update win), or else
 * reads the row to tell a duplicate from a delivery in progress. Each statement runs in
 * auto-commit mode, so no lock is held between statements or calls, and a claim is committed when
 * {@link #claim} returns. A conflict between concurrent statements (a deadlock on MariaDB, a
 * concurrent update on H2) makes the claim start over, a few times at most.
 *
 * <p><b>Expiry.</b> An expired row counts as absent and is overwritten by the next claim of its
 * id. {@link #prune(Instant)} deletes expired rows in one statement, by an index on the expiry;
 * a {@code WebhookReceiver} calls it every {@code pruneInterval} (an hour by default).
 *
 * <p><b>Errors.</b> Every {@link SQLException} becomes a {@link StoreException} naming the
 * operation and keeping the cause; the receiver answers 503 and the sender retries.
 *
 * <p>Thread-safe: each call borrows a connection of its own and holds no state between calls.
 */
public final class JdbcIdempotencyStore implements IdempotencyStore {

  /** The longest webhook id the table holds. */
  public static final int MAX_KEY_LENGTH = 255;

  /** The longest owner token the table holds. */
  public static final int MAX_OWNER_LENGTH = 64;

  /** Times a claim starts over after a conflict with a concurrent one. */
  private static final int CLAIM_ATTEMPTS = 8;

  private final DataSource dataSource;
  private final JdbcDialect dialect;
  private final String prefix;
  private final String insert;
  private final String takeOver;
  private final String select;
  private final String complete;
  private final String release;
  private final String prune;

  private JdbcIdempotencyStore(DataSource dataSource, JdbcDialect dialect, String prefix) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.prefix = prefix;
    String table = prefix + "idempotency";
    String values = "INSERT INTO " + table + " (id, owner, expires_at) VALUES (?, ?, ?)";
    switch (dialect) {
      case POSTGRESQL:
        // A conflict answers 0 rows instead of an error, which the server would log.
        insert = values + " ON CONFLICT (id) DO NOTHING";
        complete =
            values
                + " ON CONFLICT (id) DO UPDATE SET owner = NULL, expires_at = EXCLUDED.expires_at";
        break;
      case MARIADB:
        insert = values;
        complete = values + " ON DUPLICATE KEY UPDATE owner = NULL, expires_at = VALUES(expires_at)";
        break;
      default:
        insert = values;
        complete = "MERGE INTO " + table + " (id, owner, expires_at) KEY (id) VALUES (?, ?, ?)";
        break;
    }
    takeOver = "UPDATE " + table + " SET owner = ?, expires_at = ? WHERE id = ? AND expires_at <= ?";
    select = "SELECT owner, expires_at FROM " + table + " WHERE id = ?";
    release = "DELETE FROM " + table + " WHERE id = ? AND owner = ?";
    prune = "DELETE FROM " + table + " WHERE expires_at <= ?";
  }

  /**
   * Starts building a store over a data source.
   *
   * @param dataSource where connections come from: the host's pool; the store never closes it
   * @return a new builder
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource == null"));
  }

  /**
   * Returns the dialect the store speaks: the one set, or the one detected.
   *
   * @return the dialect
   */
  public JdbcDialect dialect() {
    return dialect;
  }

  /**
   * Returns the prefix of the store's table name.
   *
   * @return the prefix, possibly empty
   */
  public String tablePrefix() {
    return prefix;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the key is empty or longer than {@value #MAX_KEY_LENGTH}
   *     characters, the owner is longer than {@value #MAX_OWNER_LENGTH}, or {@code leaseUntil} is
   *     not after {@code now}
   * @throws StoreException if the database fails, or the claim kept conflicting with concurrent
   *     ones
   */
  @Override
  public Claim claim(String key, String owner, Instant now, Instant leaseUntil) {
    checkKey(key);
    checkOwner(owner);
    Objects.requireNonNull(now, "now == null");
    Objects.requireNonNull(leaseUntil, "leaseUntil == null");
    if (!leaseUntil.isAfter(now)) {
      throw new IllegalArgumentException("leaseUntil " + leaseUntil + " is not after now " + now);
    }
    long nowNanos = Nanos.of(now);
    long until = Nanos.of(leaseUntil);
    return autoCommit(
        "claim",
        c -> {
          SQLException conflict = null;
          for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            try {
              Claim claim = claimOnce(c, key, owner, nowNanos, until);
              if (claim != null) {
                return claim;
              }
            } catch (SQLException e) {
              if (!isConflict(e)) {
                throw e;
              }
              conflict = e;
            }
          }
          throw new SQLException(
              "claim of " + key + " conflicted with concurrent claims " + CLAIM_ATTEMPTS + " times",
              conflict);
        });
  }

  /** One pass of a claim: insert, or take over an expired row, or read it; null to start over. */
  private Claim claimOnce(Connection c, String key, String owner, long now, long until)
      throws SQLException {
    if (insert(c, key, owner, until)) {
      return Claim.ACQUIRED;
    }
    try (PreparedStatement ps = c.prepareStatement(takeOver)) {
      ps.setString(1, owner);
      ps.setLong(2, until);
      ps.setString(3, key);
      ps.setLong(4, now);
      if (ps.executeUpdate() == 1) {
        return Claim.ACQUIRED;
      }
    }
    try (PreparedStatement ps = c.prepareStatement(select)) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getLong(2) <= now) {
          return null; // released, pruned or taken over since the insert: start over
        }
        return rs.getString(1) == null ? Claim.COMPLETED : Claim.IN_PROGRESS;
      }
    }
  }

  /** Inserts a claim row; false if the id has a row already. */
  private boolean insert(Connection c, String key, String owner, long until) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(insert)) {
      ps.setString(1, key);
      ps.setString(2, owner);
      ps.setLong(3, until);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      if (isDuplicateKey(e)) {
        return false;
      }
      throw e;
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the key is empty or longer than {@value #MAX_KEY_LENGTH}
   *     characters
   * @throws StoreException if the database fails
   */
  @Override
  public void complete(String key, Instant expiresAt) {
    checkKey(key);
    Objects.requireNonNull(expiresAt, "expiresAt == null");
    long expires = Nanos.of(expiresAt);
    autoCommit(
        "complete",
        c -> {
          for (int attempt = 0; ; attempt++) {
            try (PreparedStatement ps = c.prepareStatement(complete)) {
              ps.setString(1, key);
              ps.setNull(2, Types.VARCHAR);
              ps.setLong(3, expires);
              ps.executeUpdate();
              return null;
            } catch (SQLException e) {
              // Two upserts of one new id can both try to insert it; the second then updates.
              if (attempt + 1 >= CLAIM_ATTEMPTS || !(isDuplicateKey(e) || isConflict(e))) {
                throw e;
              }
            }
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the key is empty or longer than {@value #MAX_KEY_LENGTH}
   *     characters
   * @throws StoreException if the database fails
   */
  @Override
  public void release(String key, String owner) {
    checkKey(key);
    Objects.requireNonNull(owner, "owner == null");
    autoCommit(
        "release",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(release)) {
            ps.setString(1, key);
            ps.setString(2, owner);
            return ps.executeUpdate();
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreException if the database fails
   */
  @Override
  public int prune(Instant now) {
    Objects.requireNonNull(now, "now == null");
    return autoCommit(
        "prune",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(prune)) {
            ps.setLong(1, Nanos.of(now));
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public String toString() {
    return "JdbcIdempotencyStore[" + dialect + ", " + prefix + "idempotency]";
  }

  /** Runs work on a connection of its own in auto-commit mode, each statement committed. */
  private <T> T autoCommit(String operation, AutoCommit.Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return AutoCommit.run(c, work);
    } catch (SQLException e) {
      throw new StoreException(
          operation + " failed (" + dialect + ", " + prefix + "idempotency): " + e.getMessage(), e);
    }
  }

  /** An integrity constraint violation (SQLSTATE class 23): here, the id's row exists. */
  private static boolean isDuplicateKey(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("23");
  }

  /**
   * A statement lost to a concurrent one and may run again: a deadlock or serialization failure
   * (SQLSTATE 40001, 40P01), or H2's concurrent update (error 90131) and lock timeout (HYT00).
   */
  private static boolean isConflict(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state)
        || "40P01".equals(state)
        || "HYT00".equals(state)
        || e.getErrorCode() == 90131;
  }

  private static void checkKey(String key) {
    Objects.requireNonNull(key, "key == null");
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "key must be 1 to " + MAX_KEY_LENGTH + " characters, but has " + key.length());
    }
  }

  private static void checkOwner(String owner) {
    Objects.requireNonNull(owner, "owner == null");
    if (owner.isEmpty() || owner.length() > MAX_OWNER_LENGTH) {
      throw new IllegalArgumentException(
          "owner must be 1 to " + MAX_OWNER_LENGTH + " characters, but has " + owner.length());
    }
  }

  // ---------------------------------------------------------------- builder

  /** Builds a {@link JdbcIdempotencyStore}. Mutable and not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private JdbcDialect dialect;
    private String tablePrefix = "hookwire_";
    private boolean createSchema = true;

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * Sets the SQL dialect. Default: detected from the database's product name (H2, PostgreSQL,
     * MariaDB; MySQL gets {@link JdbcDialect#MARIADB}).
     *
     * @param dialect the dialect
     * @return this builder
     */
    public Builder dialect(JdbcDialect dialect) {
      this.dialect = Objects.requireNonNull(dialect, "dialect == null");
      return this;
    }

    /**
     * Sets the prefix of the table name. Default: {@code hookwire_}, which the delivery store's
     * tables share without clashing. Give each receiver a prefix of its own.
     *
     * @param tablePrefix lower-case letters, digits and underscores, starting with a letter, at
     *     most 32 characters; or empty
     * @return this builder
     * @throws IllegalArgumentException if the prefix is not of that form
     */
    public Builder tablePrefix(String tablePrefix) {
      this.tablePrefix = Sql.checkPrefix(tablePrefix);
      return this;
    }

    /**
     * Sets whether {@link #build()} creates the table when it is missing. Default: true. Turn it
     * off where the schema is managed by migrations copied from {@link
     * JdbcDialect#idempotencySchemaScript(String)}; {@link #build()} then only checks that the
     * table is there.
     *
     * @param createSchema whether to create the table
     * @return this builder
     */
    public Builder createSchema(boolean createSchema) {
      this.createSchema = createSchema;
      return this;
    }

    /**
     * Builds the store. Connects once: to detect the dialect if none was set, and to create the
     * table if it is missing (or, with {@code createSchema(false)}, to check that it is there).
     *
     * @return the store, thread-safe
     * @throws IllegalStateException if the dialect cannot be detected, or the table is missing
     *     and may not be created
     * @throws StoreException if the database cannot be reached or the table cannot be created
     */
    public JdbcIdempotencyStore build() {
      try {
        return AutoCommit.setUp(
            dataSource,
            dialect,
            (c, d) -> {
              if (createSchema) {
                create(c, Schema.statements(d.idempotencySchemaScript(tablePrefix)));
              } else {
                check(c, d);
              }
              return new JdbcIdempotencyStore(dataSource, d, tablePrefix);
            });
      } catch (SQLException e) {
        throw new StoreException(
            "create idempotency table failed (" + tablePrefix + "idempotency): " + e.getMessage(),
            e);
      }
    }

    /**
     * Runs the script. Nodes starting together may trip over an object another is creating;
     * every statement may run again, so the script runs again, once per statement at most.
     */
    private static void create(Connection c, List<String> statements) throws SQLException {
      for (int attempt = 0; ; attempt++) {
        try (Statement s = c.createStatement()) {
          for (String statement : statements) {
            s.execute(statement);
          }
          return;
        } catch (SQLException e) {
          if (attempt >= statements.size()) {
            throw e;
          }
        }
      }
    }

    private void check(Connection c, JdbcDialect d) throws SQLException {
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT COUNT(*) FROM " + tablePrefix + "idempotency WHERE 1 = 0")) {
        rs.next();
      } catch (SQLException e) {
        if (Schema.isMissingTable(e)) {
          throw new IllegalStateException(
              "no "
                  + tablePrefix
                  + "idempotency table found: run "
                  + d.idempotencySchemaResource()
                  + " (see JdbcDialect.idempotencySchemaScript) or build the store with"
                  + " createSchema(true)",
              e);
        }
        throw e;
      }
    }
  }
}
