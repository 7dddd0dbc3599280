-- Hookwire JDBC delivery store: schema version 4, for MariaDB 10.6 or later (InnoDB).
-- Written to suit MySQL 8.0.16 or later as well, which runs it unchanged; the store is tested
-- on MariaDB only.
--
-- JdbcDeliveryStore runs this script itself when built with createSchema(true), the default:
-- every statement may run again without harm. To manage the schema with Flyway or Liquibase
-- instead, copy this file into a migration, define ${prefix} as a placeholder (or replace it
-- with the table prefix, "hookwire_" by default), and build the store with createSchema(false).
-- The last statement records the version; the store checks it when built.
-- Tables of an earlier version are upgraded in place, one version at a time, by
-- upgrade-<version>-mariadb.sql (upgrade-2-mariadb.sql takes version 1 to 2), which the store
-- runs too: hosts that ran an earlier version of this file add those as migrations instead.
--
-- Times are BIGINT nanoseconds since 1970-01-01T00:00:00Z (UTC), the same on every database:
-- no time zone conversion anywhere, an exact round trip of java.time.Instant.
-- States are PENDING, SUCCEEDED and DEAD. A delivery's seq is its enqueue order.
-- Text compares by code point (utf8mb4_bin), as ids do in Java; note that this collation
-- ignores trailing spaces, so ids that differ only in those collide.
-- Indexes are declared inside CREATE TABLE, as MySQL has no CREATE INDEX IF NOT EXISTS.
-- Statements end with a semicolon at the end of a line; lines starting with -- are comments.

CREATE TABLE IF NOT EXISTS ${prefix}schema_version (
  version INT NOT NULL PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Claim tokens: one counter row, advanced under its row lock by each claim, so that tokens
-- grow in the order claims commit. (MySQL has no sequences.)
CREATE TABLE IF NOT EXISTS ${prefix}claim_tokens (
  id INT NOT NULL PRIMARY KEY,
  last_token BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT IGNORE INTO ${prefix}claim_tokens (id, last_token) VALUES (1, 0);

-- Endpoints, listed in insert order (created_seq).
CREATE TABLE IF NOT EXISTS ${prefix}endpoints (
  id VARCHAR(255) NOT NULL PRIMARY KEY,
  created_seq BIGINT NOT NULL AUTO_INCREMENT,
  config MEDIUMTEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  -- The revision of the endpoint's last change; 0 for rows from before schema version 2.
  version BIGINT NOT NULL DEFAULT 0,
  -- When its current run of failed attempts began; NULL while it succeeds.
  failing_since BIGINT,
  UNIQUE KEY ${prefix}endpoints_order_key (created_seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The endpoints' revision: one row, whose value grows with every insert, update and delete of
-- an endpoint, in the same transaction, holding the row's lock until it commits (so endpoint
-- changes take turns). An endpoint's version is the revision its last change produced.
CREATE TABLE IF NOT EXISTS ${prefix}endpoint_revision (
  id INT NOT NULL PRIMARY KEY,
  revision BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT IGNORE INTO ${prefix}endpoint_revision (id, revision) VALUES (1, 0);

-- trace_context: what the dispatcher's DeliveryTracer captured when the event was sent (the W3C
-- trace context, say), handed back with each claim; NULL without one.
CREATE TABLE IF NOT EXISTS ${prefix}messages (
  id VARCHAR(255) NOT NULL PRIMARY KEY,
  event_id VARCHAR(255) NOT NULL,
  event_type VARCHAR(255) NOT NULL,
  ordering_key VARCHAR(255),
  created_at BIGINT NOT NULL,
  body LONGBLOB NOT NULL,
  trace_context VARCHAR(1024),
  KEY ${prefix}messages_event_idx (event_id),
  KEY ${prefix}messages_created_idx (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- ordering_key is the message's, kept here too so that ordering groups are found by index.
-- lease_owner and lease_until are set while a claim is current; claim_token is the last
-- claim's token and stays after it ends.
CREATE TABLE IF NOT EXISTS ${prefix}deliveries (
  seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  id VARCHAR(255) NOT NULL,
  message_id VARCHAR(255) NOT NULL,
  endpoint_id VARCHAR(255) NOT NULL,
  ordering_key VARCHAR(255),
  state VARCHAR(16) NOT NULL,
  attempts INT NOT NULL,
  due_at BIGINT NOT NULL,
  lease_owner VARCHAR(255),
  lease_until BIGINT,
  claim_token BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE KEY ${prefix}deliveries_id_key (id),
  -- Claims: pending deliveries by due time, then enqueue order.
  KEY ${prefix}deliveries_due_idx (state, due_at, seq),
  -- The next lease to expire.
  KEY ${prefix}deliveries_lease_idx (state, lease_until),
  -- Ordering groups: the pending deliveries with one key to one endpoint.
  KEY ${prefix}deliveries_group_idx (endpoint_id, ordering_key, state, seq),
  -- Counts by state, and pruning by last update.
  KEY ${prefix}deliveries_state_idx (state, updated_at),
  -- Queries by endpoint and by message (hence event).
  KEY ${prefix}deliveries_endpoint_idx (endpoint_id, created_at),
  KEY ${prefix}deliveries_message_idx (message_id),
  CONSTRAINT ${prefix}deliveries_message_fk
    FOREIGN KEY (message_id) REFERENCES ${prefix}messages (id),
  CONSTRAINT ${prefix}deliveries_state_check CHECK (state IN ('PENDING', 'SUCCEEDED', 'DEAD'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The attempt log (version 4: without a foreign key to its delivery, which only the statement
-- completing it logs to, and found by event through messages and deliveries, not an index of its own); seq is append order.
CREATE TABLE IF NOT EXISTS ${prefix}attempts (
  seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  delivery_id VARCHAR(255) NOT NULL,
  endpoint_id VARCHAR(255) NOT NULL,
  event_id VARCHAR(255) NOT NULL,
  attempt_number INT NOT NULL,
  started_at BIGINT NOT NULL,
  latency_ns BIGINT NOT NULL,
  outcome VARCHAR(16) NOT NULL,
  status INT NOT NULL,
  error MEDIUMTEXT,
  response_snippet MEDIUMTEXT NOT NULL,
  KEY ${prefix}attempts_delivery_idx (delivery_id, seq),
  KEY ${prefix}attempts_endpoint_idx (endpoint_id, started_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT IGNORE INTO ${prefix}schema_version (version) VALUES (4);
