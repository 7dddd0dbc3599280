-- Hookwire JDBC idempotency store (JdbcIdempotencyStore), for H2 2.x.
--
-- JdbcIdempotencyStore runs this script itself when built with createSchema(true), the default:
-- every statement may run again without harm. To manage the schema with Flyway or Liquibase
-- instead, copy this file into a migration, define ${prefix} as a placeholder (or replace it
-- with the table prefix, "hookwire_" by default), and build the store with createSchema(false).
--
-- One row per webhook id: claimed while its handler runs (owner set), or processed (owner
-- NULL). expires_at is BIGINT nanoseconds since 1970-01-01T00:00:00Z (UTC): the claim's lease,
-- or the end of the record's time to live. A row expired at the caller's "now" counts as absent.
-- Statements end with a semicolon at the end of a line; lines starting with -- are comments.

CREATE TABLE IF NOT EXISTS ${prefix}idempotency (
  id VARCHAR(255) NOT NULL PRIMARY KEY,
  owner VARCHAR(64),
  expires_at BIGINT NOT NULL
);
-- Pruning: the expired rows.
CREATE INDEX IF NOT EXISTS ${prefix}idempotency_expires_idx
  ON ${prefix}idempotency (expires_at);
