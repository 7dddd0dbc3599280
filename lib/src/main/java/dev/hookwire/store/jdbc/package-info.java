/**
 * A {@link dev.hookwire.store.DeliveryStore} in a relational database through JDBC: {@link
 * dev.hookwire.store.jdbc.JdbcDeliveryStore}, for H2, PostgreSQL and MariaDB ({@link
 * dev.hookwire.store.jdbc.JdbcDialect}). It needs only {@code java.sql}: the host supplies a
 * {@link javax.sql.DataSource}, usually its connection pool, and the JDBC driver.
 *
 * <p>The schema of each dialect ships as a resource, {@code schema-<dialect>.sql} in this
 * package, which the store runs to create its tables and which hosts may copy into their own
 * migrations.
 *
 * <p>All parameters and return values in this package are non-null unless a member's
 * documentation says otherwise.
 */
package dev.hookwire.store.jdbc;
