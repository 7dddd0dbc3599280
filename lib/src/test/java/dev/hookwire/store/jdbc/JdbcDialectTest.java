package dev.hookwire.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Dialects: detection, the schema scripts hosts copy, and the table prefix. */
class JdbcDialectTest {

  @Test
  void forProductName_knowsTheDatabasesDriversReport() {
    assertThat(JdbcDialect.forProductName("H2")).isEqualTo(JdbcDialect.H2);
    assertThat(JdbcDialect.forProductName("PostgreSQL")).isEqualTo(JdbcDialect.POSTGRESQL);
    assertThat(JdbcDialect.forProductName("MariaDB")).isEqualTo(JdbcDialect.MARIADB);
    assertThat(JdbcDialect.forProductName("MySQL")).isEqualTo(JdbcDialect.MARIADB);
    assertThatThrownBy(() -> JdbcDialect.forProductName("Oracle"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Oracle")
        .hasMessageContaining("dialect(");
  }

  @ParameterizedTest
  @EnumSource(JdbcDialect.class)
  void schemaResource_isOnTheClassPath_forHostsToCopy(JdbcDialect dialect) {
    assertThat(JdbcDialect.class.getClassLoader().getResource(dialect.schemaResource()))
        .isNotNull();
    assertThat(dialect.schemaResource()).endsWith(".sql").doesNotStartWith("/");
  }

  @ParameterizedTest
  @EnumSource(JdbcDialect.class)
  void schemaScript_fillsInThePrefix_andEndsByRecordingTheVersion(JdbcDialect dialect) {
    String script = dialect.schemaScript("acme_");
    List<String> statements = Schema.statements(script);

    assertThat(script).doesNotContain("${prefix}");
    assertThat(statements).allSatisfy(s -> assertThat(s).doesNotContain(";"));
    assertThat(statements.get(statements.size() - 1))
        .contains("acme_schema_version")
        .contains("(" + Schema.VERSION + ")");
    for (String table : List.of("endpoints", "messages", "deliveries", "attempts")) {
      assertThat(statements).anySatisfy(s -> assertThat(s).contains("acme_" + table + " ("));
    }
  }

  @ParameterizedTest
  @EnumSource(JdbcDialect.class)
  void upgradeScripts_areOnTheClassPath_fillInThePrefix_andEndByRecordingTheirVersion(
      JdbcDialect dialect) {
    for (int version = 2; version <= Schema.VERSION; version++) {
      assertThat(JdbcDialect.class.getClassLoader().getResource(dialect.upgradeResource(version)))
          .isNotNull();
      String name = dialect.name().toLowerCase(Locale.ROOT);
      assertThat(dialect.upgradeResource(version))
          .isEqualTo("dev/hookwire/store/jdbc/upgrade-" + version + "-" + name + ".sql");
      String script = dialect.upgradeScript("acme_", version);
      List<String> statements = Schema.statements(script);

      assertThat(script).doesNotContain("${prefix}");
      assertThat(statements.get(statements.size() - 1))
          .contains("acme_schema_version")
          .contains("(" + version + ")");
    }
    assertThatThrownBy(() -> dialect.upgradeResource(1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> dialect.upgradeScript("acme_", Schema.VERSION + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Hookwire_", "1x_", "a-b", "a b", "a;drop", "abcdefghijabcdefghijabcdefghijabc"})
  void badTablePrefixes_areRefused(String prefix) {
    assertThatThrownBy(() -> JdbcDialect.H2.schemaScript(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(prefix);
    assertThatThrownBy(() -> JdbcDeliveryStore.builder(new Unreachable()).tablePrefix(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tablePrefix");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "hookwire_", "app2_hw_", "abcdefghijabcdefghijabcdefghijab"})
  void goodTablePrefixes_areTaken(String prefix) {
    assertThat(JdbcDialect.POSTGRESQL.schemaScript(prefix)).contains(prefix + "deliveries");
  }

  @Test
  void statements_splitAtSemicolonsEndingALine_skippingComments() {
    String script =
        "-- a comment; with a semicolon\n"
            + "CREATE TABLE t (\n"
            + "  -- inside\n"
            + "  a INT\n"
            + ");\n"
            + "\n"
            + "INSERT INTO t VALUES (1);  \n"
            + "SELECT 'x;y' FROM t";

    assertThat(Schema.statements(script))
        .containsExactly("CREATE TABLE t (\n  a INT\n)", "INSERT INTO t VALUES (1)", "SELECT 'x;y' FROM t");
  }

  /** A data source the tests here never reach. */
  private static final class Unreachable implements DataSource {
    @Override
    public java.sql.Connection getConnection() throws java.sql.SQLException {
      throw new java.sql.SQLException("unreachable");
    }

    @Override
    public java.sql.Connection getConnection(String user, String password)
        throws java.sql.SQLException {
      throw new java.sql.SQLException("unreachable");
    }

    @Override
    public java.io.PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(java.io.PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public java.util.logging.Logger getParentLogger() {
      return java.util.logging.Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws java.sql.SQLException {
      throw new java.sql.SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
