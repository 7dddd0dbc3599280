-- Hookwire JDBC idempotency store (JdbcIdempotencyStore), for MariaDB 10.6 or later (InnoDB).
-- Written to suit MySQL 8.0.16 or later as well; the store is tested on MariaDB only.
--
-- JdbcIdempotencyStore runs this script itself when built with createSchema(true), the default:
-- every statement may run again without harm. To manage the schema with Flyway or Liquibase
-- instead, copy this file into a migration, define ${prefix} as a placeholder (or replace it
-- with the table prefix, "hookwire_" by default), and build the store with createSchema(false).
--
-- One row per webhook id: claimed while its handler runs (owner set), or processed (owner
-- NULL). expires_at is BIGINT nanoseconds since 1970-01-01T00:00:00Z (UTC): the claim's lease,
-- or the end of the record's time to live. A row expired at the caller's "now" counts as absent.
-- Ids compare by code point (utf8mb4_bin), as in Java. The index is declared inside CREATE
-- TABLE, as MySQL has no CREATE INDEX IF NOT EXISTS.
-- Statements end with a semicolon at the end of a line; lines starting with -- are comments.

CREATE TABLE IF NOT EXISTS ${prefix}idempotency (
  id VARCHAR(255) NOT NULL PRIMARY KEY,
  owner VARCHAR(64),
  expires_at BIGINT NOT NULL,
  KEY ${prefix}idempotency_expires_idx (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
