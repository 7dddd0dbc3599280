package dev.hookwire.spring.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only when PostgreSQL answers at {@link #URL} (127.0.0.1:5432, user {@code
 * postgres}, database {@code test}; or {@code HOOKWIRE_PG_URL}), before any Spring context is
 * made; skips it with a message otherwise, or fails it with {@code CI=true} in the environment.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresPostgres.Reachable.class)
public @interface RequiresPostgres {

  /** The server's URL. */
  String URL =
      System.getenv("HOOKWIRE_PG_URL") != null && !System.getenv("HOOKWIRE_PG_URL").isBlank()
          ? System.getenv("HOOKWIRE_PG_URL")
          : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  /** The condition; checks the server once per JVM. */
  final class Reachable implements ExecutionCondition {
    private static String problem;
    private static boolean checked;

    /** For JUnit. */
    public Reachable() {}

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      String why = problem();
      if (why == null) {
        return ConditionEvaluationResult.enabled("PostgreSQL reachable");
      }
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(why + " (required because CI=true)");
      }
      return ConditionEvaluationResult.disabled(why);
    }

    private static synchronized String problem() {
      if (!checked) {
        checked = true;
        Properties p = new Properties();
        p.setProperty("connectTimeout", "2");
        p.setProperty("loginTimeout", "3");
        try (Connection c = DriverManager.getConnection(URL, p)) {
          problem = c.isValid(2) ? null : "PostgreSQL answers but is not valid";
        } catch (SQLException e) {
          problem = "PostgreSQL not reachable at " + URL + " (" + e.getMessage()
              + "); start it or set HOOKWIRE_PG_URL=jdbc:postgresql://host:port/db?user=..."
              + " to run these tests";
        }
      }
      return problem;
    }
  }
}
