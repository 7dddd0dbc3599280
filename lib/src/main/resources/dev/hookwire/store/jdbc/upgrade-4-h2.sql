-- Hookwire JDBC delivery store: upgrade from schema version 3 to 4, for H2 2.x.
--
-- JdbcDeliveryStore runs this script itself when built with createSchema(true), the default, on
-- tables at version 3: every statement may run again without harm (the store's upgrades take
-- turns on a lock besides). To manage the schema with Flyway or Liquibase instead, copy this
-- file into a migration after the one that took the tables to version 3, replace ${prefix} with
-- the table prefix ("hookwire_" by default), and build the store with createSchema(false). The
-- last statement records the version; the store checks it when built.
--
-- Version 4 makes the attempt log cheaper to write: no foreign key to its delivery (an attempt
-- is only logged by the statement that completes its delivery, and pruning deletes attempts
-- before their deliveries), and no index by event (attempts by event are found through
-- messages and deliveries). Deliveries keep their indexes here; PostgreSQL's version 4 changes
-- more. Data and columns are unchanged.
-- Statements end with a semicolon at the end of a line; lines starting with -- are comments.

ALTER TABLE ${prefix}attempts DROP CONSTRAINT IF EXISTS ${prefix}attempts_delivery_fk;
DROP INDEX IF EXISTS ${prefix}attempts_event_idx;

MERGE INTO ${prefix}schema_version (version) KEY (version) VALUES (4);
