package dev.hookwire.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * The SQL dialects {@link JdbcDeliveryStore} and {@link JdbcIdempotencyStore} speak. Each has
 * its own schema script, and upgrade scripts from earlier schema versions, resources that hosts
 * managing their schema with Flyway or Liquibase can copy ({@link #schemaResource()}, {@link
 * #schemaScript(String)}, {@link #upgradeResource(int)}, {@link #upgradeScript(String, int)}),
 * and its own way of claiming deliveries.
 *
 * <p>Immutable and thread-safe.
 */
public enum JdbcDialect {

  /**
   * H2 2.x. Claims read the claimable deliveries, then take each with a compare-and-set on its
   * claim token (an {@code UPDATE} that re-checks the row); H2 has no {@code SKIP LOCKED}.
   * Claim tokens come from a sequence. Meant for tests and single-node use.
   */
  H2("h2"),

  /**
   * PostgreSQL 11 or later. A claim is one statement: it selects due deliveries {@code FOR UPDATE
   * SKIP LOCKED}, gives each a token from a sequence in claim order, and updates and returns
   * them with their messages' bodies. Completing a delivery with its attempt, and enqueueing
   * messages with their deliveries (an array per column as parameters), are one statement each
   * too.
   */
  POSTGRESQL("postgresql"),

  /**
   * MariaDB 10.6 or later, with InnoDB. A claim runs READ COMMITTED: it advances a counter row by
   * its limit, drawing a block of tokens and holding the row's lock until it commits, so that
   * claims take turns (which keeps their locks in one order: InnoDB locks index records, and
   * claims that did not take turns deadlocked); then selects due deliveries {@code FOR UPDATE
   * SKIP LOCKED}, passing over rows that completions hold; then updates them. The schema and
   * statements are written to suit MySQL 8.0.16 or later too (the counter stands in for
   * sequences, which MySQL lacks), but only MariaDB is tested; MySQL cannot run the upgrade
   * scripts as they are (it has no {@code ADD COLUMN IF NOT EXISTS}: see each script).
   */
  MARIADB("mariadb");

  private final String id;

  JdbcDialect(String id) {
    this.id = id;
  }

  /**
   * Returns the class-path name of this dialect's schema script, such as {@code
   * dev/hookwire/store/jdbc/schema-postgresql.sql}. The script names tables with a {@code
   * ${prefix}} placeholder, Flyway's placeholder syntax.
   *
   * @return the resource name, without a leading slash
   */
  public String schemaResource() {
    return "dev/hookwire/store/jdbc/" + fileName("schema");
  }

  /**
   * Returns this dialect's schema script with the table prefix filled in: the statements {@link
   * JdbcDeliveryStore} runs when it creates its tables. Every statement may run again without
   * harm; the last one records the schema version.
   *
   * @param tablePrefix the table prefix, as given to {@link
   *     JdbcDeliveryStore.Builder#tablePrefix(String)}
   * @return the script: statements end with a semicolon at the end of a line, and lines starting
   *     with {@code --} are comments
   * @throws IllegalArgumentException if the prefix is not a valid table prefix
   */
  public String schemaScript(String tablePrefix) {
    return resource("schema").replace(JdbcDeliveryStore.PLACEHOLDER, Sql.checkPrefix(tablePrefix));
  }

  /**
   * Returns the class-path name of this dialect's script that upgrades the tables in place to a
   * schema version from the one before, such as {@code
   * dev/hookwire/store/jdbc/upgrade-2-postgresql.sql}; {@code ${prefix}} placeholders as in
   * {@link #schemaResource()}. Hosts that manage the schema with migrations add these, in order,
   * after the schema script they first copied.
   *
   * @param version the version the script upgrades to: 2 or later, up to the version this
   *     Hookwire writes
   * @return the resource name, without a leading slash
   * @throws IllegalArgumentException if there is no such script
   */
  public String upgradeResource(int version) {
    return "dev/hookwire/store/jdbc/" + fileName(upgradeKind(version));
  }

  /**
   * Returns this dialect's script that upgrades the tables to a schema version from the one
   * before, with the table prefix filled in: the statements {@link JdbcDeliveryStore} runs when
   * it finds tables of the version before. Every statement may run again without harm, also
   * while another node runs the script; the last one records the version.
   *
   * @param tablePrefix the table prefix, as given to {@link
   *     JdbcDeliveryStore.Builder#tablePrefix(String)}
   * @param version the version the script upgrades to, as for {@link #upgradeResource(int)}
   * @return the script, in the form {@link #schemaScript(String)} describes
   * @throws IllegalArgumentException if the prefix is not a valid table prefix, or there is no
   *     such script
   */
  public String upgradeScript(String tablePrefix, int version) {
    String kind = upgradeKind(version);
    return resource(kind).replace(JdbcDeliveryStore.PLACEHOLDER, Sql.checkPrefix(tablePrefix));
  }

  private static String upgradeKind(int version) {
    if (version < 2 || version > Schema.VERSION) {
      throw new IllegalArgumentException(
          "no upgrade script to schema version " + version + ": there are 2 to " + Schema.VERSION);
    }
    return "upgrade-" + version;
  }

  /**
   * Returns the class-path name of this dialect's script for {@link JdbcIdempotencyStore}'s
   * table, such as {@code dev/hookwire/store/jdbc/idempotency-postgresql.sql}; {@code ${prefix}}
   * placeholders as in {@link #schemaResource()}.
   *
   * @return the resource name, without a leading slash
   */
  public String idempotencySchemaResource() {
    return "dev/hookwire/store/jdbc/" + fileName("idempotency");
  }

  /**
   * Returns this dialect's script for {@link JdbcIdempotencyStore}'s table with the table prefix
   * filled in: the statements the store runs when it creates its table. Every statement may run
   * again without harm.
   *
   * @param tablePrefix the table prefix, as given to {@link
   *     JdbcIdempotencyStore.Builder#tablePrefix(String)}
   * @return the script, in the form {@link #schemaScript(String)} describes
   * @throws IllegalArgumentException if the prefix is not a valid table prefix
   */
  public String idempotencySchemaScript(String tablePrefix) {
    return resource("idempotency")
        .replace(JdbcDeliveryStore.PLACEHOLDER, Sql.checkPrefix(tablePrefix));
  }

  /** Reads one of this dialect's scripts, {@code <kind>-<dialect>.sql}, unfilled. */
  String resource(String kind) {
    String name = fileName(kind);
    try (InputStream in = JdbcDialect.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " in dev.hookwire.store.jdbc");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + name, e);
    }
  }

  private String fileName(String kind) {
    return kind + "-" + id + ".sql";
  }

  /**
   * Returns the dialect for a database product name, as {@link
   * java.sql.DatabaseMetaData#getDatabaseProductName()} reports it.
   *
   * @throws IllegalStateException if no dialect fits
   */
  static JdbcDialect forProductName(String productName) {
    Objects.requireNonNull(productName, "productName == null");
    String name = productName.toLowerCase(Locale.ROOT);
    if (name.contains("postgresql")) {
      return POSTGRESQL;
    }
    if (name.contains("mariadb") || name.contains("mysql")) {
      return MARIADB;
    }
    if (name.equals("h2")) {
      return H2;
    }
    throw new IllegalStateException(
        "no JdbcDialect for database \"" + productName + "\"; set one with dialect(...)");
  }
}
