package dev.hookwire.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.receive.IdempotencyStore.Claim;
import dev.hookwire.store.StoreException;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.Databases.Kind;
import dev.hookwire.testing.Forwarding;
import dev.hookwire.testing.TestDataSource;
import dev.hookwire.testing.TestEvents;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the JDBC idempotency store does beyond the contract, on each database: its schema, its
 * connections, its arguments.
 */
class JdbcIdempotencyStoreTest {
  private static final Instant T0 = TestEvents.T0;
  private static final Instant LATER = T0.plus(Duration.ofMinutes(5));

  private final List<Runnable> cleanUp = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    cleanUp.forEach(Runnable::run);
  }

  private TestDataSource open(Kind kind, String prefix) {
    TestDataSource database = Databases.open(kind);
    if (kind == Kind.H2) {
      cleanUp.add(database::close);
    } else {
      cleanUp.add(
          () -> Databases.execute(database, "DROP TABLE IF EXISTS " + prefix + "idempotency"));
    }
    return database;
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void build_createsTheTableOnce_detectsTheDialect_andClosesEveryConnection(Kind kind) {
    String prefix = Databases.uniquePrefix();
    TestDataSource database = open(kind, prefix);

    JdbcIdempotencyStore first = JdbcIdempotencyStore.builder(database).tablePrefix(prefix).build();
    first.claim("msg_1", "a", T0, LATER);
    JdbcIdempotencyStore second =
        JdbcIdempotencyStore.builder(database).tablePrefix(prefix).build();

    assertThat(second.dialect()).isEqualTo(kind.dialect());
    assertThat(second.tablePrefix()).isEqualTo(prefix);
    assertThat(second.claim("msg_1", "b", T0, LATER)).isEqualTo(Claim.IN_PROGRESS);
    assertThat(second)
        .hasToString("JdbcIdempotencyStore[" + kind.dialect() + ", " + prefix + "idempotency]");
    assertThat(database.lent()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void build_withoutCreatingTheSchema_namesTheScriptWhenTheTableIsMissing(Kind kind) {
    String prefix = Databases.uniquePrefix();
    TestDataSource database = open(kind, prefix);

    assertThatThrownBy(
            () ->
                JdbcIdempotencyStore.builder(database)
                    .tablePrefix(prefix)
                    .createSchema(false)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no " + prefix + "idempotency table")
        .hasMessageContaining(kind.dialect().idempotencySchemaResource());

    Databases.execute(
        database,
        Schema.statements(kind.dialect().idempotencySchemaScript(prefix)).toArray(new String[0]));
    JdbcIdempotencyStore store =
        JdbcIdempotencyStore.builder(database).tablePrefix(prefix).createSchema(false).build();
    assertThat(store.claim("msg_1", "a", T0, LATER)).isEqualTo(Claim.ACQUIRED);
    assertThat(database.lent()).isZero();
  }

  @Test
  void connectionsFromAPoolWithoutAutoCommit_areGivenBackAsTheyCame() throws Exception {
    TestDataSource database = open(Kind.H2, "");
    JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(database).build();
    List<Boolean> autoCommitAtClose = new ArrayList<>();
    DataSource manualCommit = manualCommit(database, autoCommitAtClose);
    JdbcIdempotencyStore manual = JdbcIdempotencyStore.builder(manualCommit).build();

    assertThat(manual.claim("msg_1", "a", T0, LATER)).isEqualTo(Claim.ACQUIRED);
    manual.complete("msg_1", LATER);

    // Committed: another connection sees it.
    assertThat(store.claim("msg_1", "b", T0, LATER.minusSeconds(1))).isEqualTo(Claim.COMPLETED);
    assertThat(autoCommitAtClose).hasSize(3).containsOnly(false);
    assertThat(database.lent()).isZero();
  }

  /**
   * A pool whose connections come with auto-commit off; records each connection's mode when it
   * is closed.
   */
  private static DataSource manualCommit(TestDataSource pool, List<Boolean> autoCommitAtClose) {
    return Forwarding.connections(pool, c -> {
      c.setAutoCommit(false);
      return Forwarding.proxy(Connection.class, c, (t, m, a) -> {
        if (m.getName().equals("close")) {
          autoCommitAtClose.add(t.getAutoCommit());
        }
        return Forwarding.call(t, m, a);
      });
    });
  }

  @Test
  void arguments_areChecked_beforeTheDatabaseIsAsked() {
    TestDataSource database = open(Kind.H2, "");
    JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(database).build();

    assertThatThrownBy(() -> store.claim("k".repeat(256), "a", T0, LATER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key must be 1 to 255 characters, but has 256");
    assertThatThrownBy(() -> store.claim("", "a", T0, LATER))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.claim("k", "o".repeat(65), T0, LATER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("owner must be 1 to 64 characters, but has 65");
    assertThatThrownBy(() -> store.claim("k", "a", T0, T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leaseUntil");
    assertThatThrownBy(() -> store.complete(null, LATER))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("key == null");
    assertThatThrownBy(() -> JdbcIdempotencyStore.builder(database).tablePrefix("Bad-Prefix"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tablePrefix");
  }

  @Test
  void aDatabaseThatFails_isAStoreExceptionNamingTheOperation() {
    TestDataSource database = Databases.h2();
    JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(database).build();
    database.close();

    assertThatThrownBy(() -> store.claim("msg_1", "a", T0, LATER))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("claim failed (H2, hookwire_idempotency)")
        .hasCauseInstanceOf(java.sql.SQLException.class);
    assertThatThrownBy(() -> store.prune(T0))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("prune failed");
  }

  @ParameterizedTest
  @EnumSource(JdbcDialect.class)
  void everyDialect_shipsItsIdempotencyScript(JdbcDialect dialect) {
    String script = dialect.idempotencySchemaScript("app_");

    assertThat(dialect.idempotencySchemaResource())
        .isEqualTo(
            "dev/hookwire/store/jdbc/idempotency-"
                + dialect.name().toLowerCase(Locale.ROOT)
                + ".sql");
    assertThat(script).contains("CREATE TABLE IF NOT EXISTS app_idempotency").doesNotContain("${");
    assertThat(JdbcDialect.class.getClassLoader().getResource(dialect.idempotencySchemaResource()))
        .isNotNull();
  }
}
