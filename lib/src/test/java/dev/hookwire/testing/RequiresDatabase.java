package dev.hookwire.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs a database server: each of its tests is skipped, visibly and
 * with a message saying how to run it, when the server cannot be reached; with {@code CI=true}
 * each fails instead. See {@link Databases}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
@ExtendWith(Databases.Reachable.class)
public @interface RequiresDatabase {
  /**
   * The server the tests need.
   *
   * @return its kind
   */
  Databases.Kind value();
}
