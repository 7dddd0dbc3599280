-- Hookwire JDBC delivery store: upgrade from schema version 1 to 2, for H2 2.x.
--
-- JdbcDeliveryStore runs this script itself when built with createSchema(true), the default, on
-- tables at version 1: every statement may run again without harm, also while another node runs
-- it. To manage the schema with Flyway or Liquibase instead, copy this file into a migration
-- after the one made of schema-h2.sql version 1, define ${prefix} as a placeholder (or replace it
-- with the table prefix, "hookwire_" by default), and build the store with createSchema(false).
-- The last statement records the version; the store checks it when built.
--
-- Version 2 keeps a version and a failing-since time on each endpoint, and a revision of all
-- endpoints that grows with every change of one. Rows already there get version 0 and are not
-- failing; the revision starts at the number of endpoints, so that it is 0 only if there are
-- none, as in a new store. Deliveries, messages and attempts are unchanged.
-- Statements end with a semicolon at the end of a line; lines starting with -- are comments.

ALTER TABLE ${prefix}endpoints ADD COLUMN IF NOT EXISTS version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ${prefix}endpoints ADD COLUMN IF NOT EXISTS failing_since BIGINT;

CREATE TABLE IF NOT EXISTS ${prefix}endpoint_revision (
  id INTEGER NOT NULL PRIMARY KEY,
  revision BIGINT NOT NULL
);
-- Inserted unless present; never overwritten (MERGE ... KEY would reset the revision).
MERGE INTO ${prefix}endpoint_revision r
  USING (SELECT 1 AS id, COUNT(*) AS revision FROM ${prefix}endpoints) AS s ON r.id = s.id
  WHEN NOT MATCHED THEN INSERT (id, revision) VALUES (s.id, s.revision);

MERGE INTO ${prefix}schema_version (version) KEY (version) VALUES (2);
