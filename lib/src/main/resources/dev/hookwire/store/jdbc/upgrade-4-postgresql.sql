-- Hookwire JDBC delivery store: upgrade from schema version 3 to 4, for PostgreSQL 11 or later.
--
-- JdbcDeliveryStore runs this script itself when built with createSchema(true), the default, on
-- tables at version 3: every statement may run again without harm, also while another node runs
-- it (the store's upgrades take turns on a lock besides). To manage the schema with Flyway or
-- Liquibase instead, copy this file into a migration after the one that took the tables to
-- version 3, define ${prefix} as a placeholder (or replace it with the table prefix, "hookwire_"
-- by default), and build the store with createSchema(false). The last statement records the
-- version; the store checks it when built.
--
-- Version 4 is a lean hot path: the indexes that only queries used are dropped or replaced by
-- BRIN indexes (the one by endpoint and creation time stays), claims change no indexed column (they become HOT updates: the lease index goes,
-- and deliveries keep a fifth of each new page free), and the attempt log keeps one B-tree index
-- besides its key and no foreign key. schema-postgresql.sql says what the queries lose. No
-- table is rewritten: the fill factor applies to pages written from now on; the BRIN indexes
-- and the partial ones are built by reading each table once, under a lock that holds writes off meanwhile (seconds
-- for millions of rows). Data and columns are unchanged.
-- Statements end with a semicolon at the end of a line; lines starting with -- are comments.

ALTER TABLE ${prefix}deliveries SET (fillfactor = 80);
DROP INDEX IF EXISTS ${prefix}deliveries_lease_idx;
DROP INDEX IF EXISTS ${prefix}deliveries_state_idx;
CREATE INDEX IF NOT EXISTS ${prefix}deliveries_succeeded_idx
  ON ${prefix}deliveries (updated_at) WHERE state = 'SUCCEEDED';
CREATE INDEX IF NOT EXISTS ${prefix}deliveries_dead_idx
  ON ${prefix}deliveries (endpoint_id, created_at) WHERE state = 'DEAD';
CREATE INDEX IF NOT EXISTS ${prefix}deliveries_created_brin
  ON ${prefix}deliveries USING brin (created_at);

DROP INDEX IF EXISTS ${prefix}messages_created_idx;
CREATE INDEX IF NOT EXISTS ${prefix}messages_created_brin
  ON ${prefix}messages USING brin (created_at);

ALTER TABLE ${prefix}attempts DROP CONSTRAINT IF EXISTS ${prefix}attempts_delivery_fk;
DROP INDEX IF EXISTS ${prefix}attempts_event_idx;
DROP INDEX IF EXISTS ${prefix}attempts_endpoint_idx;
CREATE INDEX IF NOT EXISTS ${prefix}attempts_started_brin
  ON ${prefix}attempts USING brin (started_at);

INSERT INTO ${prefix}schema_version (version) VALUES (4) ON CONFLICT DO NOTHING;
