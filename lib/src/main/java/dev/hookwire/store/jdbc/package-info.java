/**
 * A {@link dev.hookwire.store.DeliveryStore} in a relational database through JDBC: {@link
 * dev.hookwire.store.jdbc.JdbcDeliveryStore}, for H2, PostgreSQL and MariaDB ({@link
 * dev.hookwire.store.jdbc.JdbcDialect}); and the receiving side's {@link
 * dev.hookwire.receive.IdempotencyStore} there, {@link
 * dev.hookwire.store.jdbc.JdbcIdempotencyStore}. They need only {@code java.sql}: the host
 * supplies a {@link javax.sql.DataSource}, usually its connection pool, and the JDBC driver.
 *
 * <p>The schema of each dialect ships as resources in this package, {@code
 * schema-<dialect>.sql} for the delivery store and {@code idempotency-<dialect>.sql} for the
 * idempotency store, which the stores run to create their tables and which hosts may copy into
 * their own migrations.
 *
 * <p>All parameters and return values in this package are non-null unless a member's
 * documentation says otherwise.
 */
package dev.hookwire.store.jdbc;
