/**
 * A {@link dev.hookwire.store.spi.DeliveryStore} in a relational database through JDBC: {@link
 * dev.hookwire.store.jdbc.JdbcDeliveryStore}, for H2, PostgreSQL and MariaDB ({@link
 * dev.hookwire.store.jdbc.JdbcDialect}); and the receiving side's {@link
 * dev.hookwire.receive.IdempotencyStore} there, {@link
 * dev.hookwire.store.jdbc.JdbcIdempotencyStore}. They need only {@code java.sql}: the host
 * supplies a {@link javax.sql.DataSource}, usually its connection pool, and the JDBC driver.
 *
 * <p>The schema of each dialect ships as resources in this package, {@code
 * schema-<dialect>.sql} for the delivery store (schema version 4) and {@code
 * idempotency-<dialect>.sql} for the idempotency store, which the stores run to create their
 * tables and which hosts may copy into their own migrations; {@code
 * upgrade-<version>-<dialect>.sql} upgrades the delivery store's tables in place from the
 * version before ({@code upgrade-2-<dialect>.sql} from version 1, {@code upgrade-3-<dialect>.sql}
 * from 2), which the store runs too.
 *
 * <p>All parameters and return values in this package are non-null unless a member's
 * documentation says otherwise.
 */
package dev.hookwire.store.jdbc;
