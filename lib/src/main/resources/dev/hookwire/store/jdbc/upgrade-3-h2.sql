-- Hookwire JDBC delivery store: upgrade from schema version 2 to 3, for H2 2.x.
--
-- JdbcDeliveryStore runs this script itself when built with createSchema(true), the default, on
-- tables at version 2: every statement may run again without harm, also while another node runs
-- it. To manage the schema with Flyway or Liquibase instead, copy this file into a migration
-- after the one that took the tables to version 2, define ${prefix} as a placeholder (or replace
-- it with the table prefix, "hookwire_" by default), and build the store with
-- createSchema(false). The last statement records the version; the store checks it when built.
--
-- Version 3 keeps with each message the trace context a DeliveryTracer captured when its event
-- was sent; messages already there have none. Endpoints, deliveries and attempts are unchanged.
-- Statements end with a semicolon at the end of a line; lines starting with -- are comments.

ALTER TABLE ${prefix}messages ADD COLUMN IF NOT EXISTS trace_context VARCHAR(1024);

MERGE INTO ${prefix}schema_version (version) KEY (version) VALUES (3);
