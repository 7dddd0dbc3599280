package dev.hookwire.store.jdbc;

import dev.hookwire.store.DeliveryQuery;
import dev.hookwire.store.DeliveryState;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The statements of one store: its dialect's SQL with its table prefix filled in, built once.
 * Statements whose shape depends on an argument (lists of ids) are built per call from the
 * pieces here.
 *
 * <p>Immutable and thread-safe.
 */
final class Sql {
  private static final String STATE_MARK = "${state}";

  private static final Pattern PREFIX = Pattern.compile("([a-z][a-z0-9_]{0,31})?");

  /**
   * A pending delivery {@code d} that is the earliest pending one of its ordering group (same
   * endpoint and key), with no other of the group leased at {@code ?} (now). True for
   * deliveries without a key.
   */
  private static final String HEAD_OF_GROUP =
      "(d.ordering_key IS NULL OR NOT EXISTS (SELECT 1 FROM ${prefix}deliveries g"
          + " WHERE g.endpoint_id = d.endpoint_id AND g.ordering_key = d.ordering_key"
          + " AND g.state = 'PENDING' AND g.seq <> d.seq"
          + " AND (g.seq < d.seq OR g.lease_until > ?)))";

  /** Due at or before {@code ?}, not leased at {@code ?}; both are now. */
  private static final String DUE_AND_FREE =
      "d.state = 'PENDING' AND d.due_at <= ? AND (d.lease_until IS NULL OR d.lease_until <= ?)";

  /** The columns a {@link dev.hookwire.store.DeliveryRecord} is read from, 19 of them. */
  private static final String RECORD_COLUMNS =
      "SELECT d.id, d.endpoint_id, m.event_id, m.event_type, d.state, d.attempts, d.created_at,"
          + " d.due_at, d.updated_at, a.seq, a.delivery_id, a.endpoint_id, a.event_id,"
          + " a.attempt_number, a.started_at, a.latency_ns, a.outcome, a.status, a.error,"
          + " a.response_snippet"
          + " FROM ${prefix}deliveries d JOIN ${prefix}messages m ON m.id = d.message_id"
          + " LEFT JOIN ${prefix}attempts a ON a.delivery_id = d.id AND a.seq ="
          + " (SELECT MAX(x.seq) FROM ${prefix}attempts x WHERE x.delivery_id = d.id)";

  private static final String ATTEMPT_COLUMNS =
      "SELECT a.delivery_id, a.endpoint_id, a.event_id, a.attempt_number, a.started_at,"
          + " a.latency_ns, a.outcome, a.status, a.error, a.response_snippet"
          + " FROM ${prefix}attempts a JOIN ${prefix}deliveries d ON d.id = a.delivery_id";

  final JdbcDialect dialect;
  final String prefix;

  final String schemaVersion;
  final String lockSchemaVersion;
  final String firstSchemaVersion;
  final String nextRevision;
  final String endpointRevision;
  final String insertEndpoint;
  final String updateEndpoint;
  final String deleteEndpoint;
  final String endpoint;
  final String endpoints;
  final String insertMessage;
  final String insertDelivery;
  final String complete;
  final String insertAttempt;
  final String release;
  final String replay;
  final String nextDue;
  /** How many parameters {@link #nextDue} takes, each of them now except {@link #nextDueFloors}. */
  final int nextDueParameters;
  /** Which parameters of {@link #nextDue} are the {@link ClaimFloor} instead of now. */
  final Set<Integer> nextDueFloors;
  final String delivery;
  /** Counts the deliveries in a state: {@link #count(DeliveryState)}. */
  private final String count;
  final String attemptsForEvent;
  final String attemptsForEndpoint;
  final String succeededBefore;
  final String orphanMessages;

  // PostgreSQL: enqueue and complete in one statement each.
  final String enqueuePostgres;
  final String completeLoggedPostgres;
  final String completeAllPostgres;
  final String tableSizes;
  /** What analyzes each table of {@link #tableSizes}, in its order. */
  final String[] analyzeTables;

  // Claims, by dialect.
  final String claimPostgres;
  /** PostgreSQL: the earliest due time of a pending delivery, for {@link ClaimFloor}. */
  final String claimFloor;
  final String claimTokensH2;
  final String claimCasH2;
  final String nextTokensMariaDb;

  Sql(JdbcDialect dialect, String prefix) {
    this(dialect, prefix, false);
  }

  /**
   * @param asyncCommit whether PostgreSQL's claims and completions that log an attempt commit
   *     without waiting for their WAL to reach the disk (see {@code
   *     JdbcDeliveryStore.Builder#asyncCommit})
   */
  Sql(JdbcDialect dialect, String prefix, boolean asyncCommit) {
    this.dialect = Objects.requireNonNull(dialect, "dialect == null");
    // PostgreSQL: a condition that is always true and, on the way, sets synchronous_commit off
    // for the statement's transaction only (set_config's third argument), which its commit
    // then obeys, also in auto-commit mode where the statement is the transaction. It is
    // evaluated on each row the statement writes, so every transaction that writes has it.
    String async =
        asyncCommit && dialect == JdbcDialect.POSTGRESQL
            ? " AND set_config('synchronous_commit', 'off', true) IS NOT NULL"
            : "";
    this.prefix = checkPrefix(prefix);
    schemaVersion = fill("SELECT MAX(version) FROM ${prefix}schema_version");
    firstSchemaVersion = fill("SELECT MIN(version) FROM ${prefix}schema_version");
    lockSchemaVersion =
        fill("SELECT version FROM ${prefix}schema_version WHERE version = ? FOR UPDATE");
    // The revision row's lock, taken here, is held until commit: endpoint changes take turns.
    switch (dialect) {
      case POSTGRESQL:
        nextRevision =
            fill(
                "UPDATE ${prefix}endpoint_revision SET revision = revision + 1 WHERE id = 1"
                    + " RETURNING revision");
        break;
      case MARIADB:
        // LAST_INSERT_ID(expr) hands the new value back with the update's result.
        nextRevision =
            fill(
                "UPDATE ${prefix}endpoint_revision SET revision = LAST_INSERT_ID(revision + 1)"
                    + " WHERE id = 1");
        break;
      default:
        nextRevision =
            fill(
                "SELECT revision FROM FINAL TABLE (UPDATE ${prefix}endpoint_revision"
                    + " SET revision = revision + 1 WHERE id = 1)");
        break;
    }
    endpointRevision = fill("SELECT revision FROM ${prefix}endpoint_revision WHERE id = 1");
    // The insert and the update take their first five parameters in one order.
    insertEndpoint =
        fill(
            "INSERT INTO ${prefix}endpoints (config, failing_since, version, updated_at, id)"
                + " VALUES (?, ?, ?, ?, ?)");
    updateEndpoint =
        fill(
            "UPDATE ${prefix}endpoints SET config = ?, failing_since = ?, version = ?,"
                + " updated_at = ? WHERE id = ? AND version = ?");
    deleteEndpoint = fill("DELETE FROM ${prefix}endpoints WHERE id = ?");
    String endpointColumns =
        "SELECT id, config, failing_since, version, updated_at FROM ${prefix}endpoints";
    endpoint = fill(endpointColumns + " WHERE id = ?");
    endpoints = fill(endpointColumns + " ORDER BY created_seq");
    insertMessage =
        fill(
            "INSERT INTO ${prefix}messages (id, event_id, event_type, ordering_key, created_at,"
                + " body, trace_context) VALUES (?, ?, ?, ?, ?, ?, ?)");
    // Due and last updated when created. The ordering key is the message's, copied.
    insertDelivery =
        fill(
            "INSERT INTO ${prefix}deliveries (id, message_id, endpoint_id, ordering_key, state,"
                + " attempts, due_at, claim_token, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, 'PENDING', 0, ?, 0, ?, ?)");
    // A claim is current while its owner and token are on the row, which is then pending: only
    // claims set an owner, on pending rows, and every change of state clears it. PostgreSQL is
    // not told the state: with the state in the condition, its planner may walk one of the
    // partial indexes of pending rows (when its statistics have too few of them) instead of
    // looking the id up.
    String current =
        " WHERE id = ? AND lease_owner = ? AND claim_token = ?"
            + (dialect == JdbcDialect.POSTGRESQL ? "" : " AND state = 'PENDING'");
    complete =
        fill(
            "UPDATE ${prefix}deliveries SET state = ?, due_at = ?, updated_at = ?,"
                + " attempts = attempts + ?, lease_owner = NULL, lease_until = NULL"
                + current);
    insertAttempt =
        fill(
            "INSERT INTO ${prefix}attempts (delivery_id, endpoint_id, event_id, attempt_number,"
                + " started_at, latency_ns, outcome, status, error, response_snippet)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    release =
        fill(
            "UPDATE ${prefix}deliveries SET due_at = ?, updated_at = ?,"
                + " lease_owner = NULL, lease_until = NULL"
                + current);
    replay =
        fill(
            "UPDATE ${prefix}deliveries SET state = 'PENDING', attempts = 0, due_at = ?,"
                + " updated_at = ?, lease_owner = NULL, lease_until = NULL"
                + " WHERE id = ? AND state = 'DEAD'");
    // The earliest lease to expire after now, and the earliest due time of a delivery that a
    // claim would take were it due: two index probes, not a scan of everything pending.
    if (dialect == JdbcDialect.POSTGRESQL) {
      // Version 4 has no index of leases (claims are HOT updates). A lease is only taken on a
      // delivery due at the claim's time, so the leases are among the pending deliveries due by
      // now, which the claim index finds; and they are only looked at when nothing is due now
      // (a CASE evaluates its subquery lazily), when the deliveries due by now are the ones in
      // flight. A lease taken by a node whose clock runs ahead of this one's may be missed
      // here; the next poll finds its delivery. Both read the claim index from the ClaimFloor
      // on (parameters 4 and 6).
      nextDue =
          fill(
              "SELECT CASE WHEN n.due IS NULL OR n.due > ? THEN"
                  + " (SELECT MIN(l.lease_until) FROM ${prefix}deliveries l"
                  + " WHERE l.state = 'PENDING' AND l.due_at <= ? AND l.lease_until > ?"
                  + " AND l.due_at >= ?) END,"
                  + " n.due FROM (SELECT (SELECT d.due_at FROM ${prefix}deliveries d"
                  + " WHERE d.state = 'PENDING' AND (d.lease_until IS NULL OR d.lease_until <= ?)"
                  + " AND d.due_at >= ? AND "
                  + HEAD_OF_GROUP
                  + " ORDER BY d.state, d.due_at, d.seq LIMIT 1) AS due) n");
      nextDueParameters = 7;
      nextDueFloors = Set.of(4, 6);
    } else {
      String dueSubquery =
          "(SELECT d.due_at FROM ${prefix}deliveries d"
              + " WHERE d.state = 'PENDING' AND (d.lease_until IS NULL OR d.lease_until <= ?)"
              + " AND "
              + HEAD_OF_GROUP
              + " ORDER BY d.state, d.due_at, d.seq LIMIT 1)";
      nextDue =
          fill(
              "SELECT (SELECT MIN(l.lease_until) FROM ${prefix}deliveries l"
                  + " WHERE l.state = 'PENDING' AND l.lease_until > ?), "
                  + dueSubquery);
      nextDueParameters = 3;
      nextDueFloors = Set.of();
    }
    delivery = fill(RECORD_COLUMNS + " WHERE d.id = ?");
    // The state is written into the statement, not bound: PostgreSQL's partial indexes (of
    // pending and of dead deliveries) serve a statement only if it names their state.
    count =
        fill("SELECT COUNT(*) FROM ${prefix}deliveries WHERE state = '" + STATE_MARK + "'");
    // Ties in start time: by delivery in enqueue order, then in the order attempts were logged.
    // Through the event's messages and their deliveries: version 4 keeps no index of attempts
    // by event.
    attemptsForEvent =
        fill(
            ATTEMPT_COLUMNS
                + " JOIN ${prefix}messages m ON m.id = d.message_id"
                + " WHERE m.event_id = ? ORDER BY a.started_at, d.seq, a.seq");
    attemptsForEndpoint =
        fill(
            ATTEMPT_COLUMNS
                + " WHERE a.endpoint_id = ? AND a.started_at >= ?"
                + " ORDER BY a.started_at, d.seq, a.seq LIMIT ?");
    succeededBefore =
        fill(
            "SELECT id FROM ${prefix}deliveries WHERE state = 'SUCCEEDED' AND updated_at < ?"
                + " ORDER BY updated_at LIMIT ?");
    orphanMessages =
        fill(
            "SELECT m.id FROM ${prefix}messages m WHERE m.created_at < ? AND NOT EXISTS"
                + " (SELECT 1 FROM ${prefix}deliveries d WHERE d.message_id = m.id) LIMIT ?");

    // PostgreSQL: the earliest due time of a pending delivery, leased or not, for ClaimFloor.
    claimFloor = fill("SELECT MIN(due_at) FROM ${prefix}deliveries WHERE state = 'PENDING'");
    // PostgreSQL: lock the claimable rows (due from the ClaimFloor on), skipping those another
    // claim holds; number them in claim order; draw as many tokens and pair them in ascending
    // order, so that tokens follow claim order whatever order nextval() runs in; update; return
    // each row with its message, the body only on the first row of each message so that it
    // crosses the wire once.
    claimPostgres =
        fill(
            "WITH picked AS ("
                + "SELECT d.seq, d.due_at FROM ${prefix}deliveries d WHERE "
                + DUE_AND_FREE
                + " AND d.due_at >= ? AND NOT (d.endpoint_id = ANY (?)) AND "
                + HEAD_OF_GROUP
                + " ORDER BY d.due_at, d.seq LIMIT ? FOR UPDATE SKIP LOCKED),"
                + " ranked AS (SELECT seq, row_number() OVER (ORDER BY due_at, seq) AS rn"
                + " FROM picked),"
                + " tokens AS (SELECT token, row_number() OVER (ORDER BY token) AS rn"
                + " FROM (SELECT nextval('${prefix}claim_tokens') AS token FROM picked) s),"
                + " claimed AS (UPDATE ${prefix}deliveries d"
                + " SET lease_owner = ?, lease_until = ?, claim_token = tokens.token"
                + " FROM ranked JOIN tokens ON tokens.rn = ranked.rn WHERE d.seq = ranked.seq"
                + async
                + " RETURNING d.seq, d.id, d.endpoint_id, d.message_id, d.ordering_key,"
                + " d.attempts, d.created_at, d.claim_token, d.due_at)"
                + " SELECT c.id, c.endpoint_id, c.message_id, c.ordering_key, c.attempts,"
                + " c.created_at, c.claim_token, m.event_id, m.event_type,"
                + " CASE WHEN row_number() OVER (PARTITION BY c.message_id ORDER BY c.seq) = 1"
                + " THEN m.body END AS body, c.due_at, m.trace_context"
                + " FROM claimed c JOIN ${prefix}messages m ON m.id = c.message_id"
                + " ORDER BY c.claim_token");
    // PostgreSQL: fresh messages and their deliveries in one statement, from one array per
    // column. A data-modifying WITH runs to completion, and the foreign key is checked at the end
    // of the statement, when the messages are there. Rows are inserted in the order of the
    // arrays, so seq follows the list.
    enqueuePostgres =
        fill(
            "WITH m AS (INSERT INTO ${prefix}messages"
                + " (id, event_id, event_type, ordering_key, created_at, body, trace_context)"
                + " SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],"
                + " ?::bigint[], ?::bytea[], ?::varchar[]))"
                + " INSERT INTO ${prefix}deliveries (id, message_id, endpoint_id, ordering_key,"
                + " state, attempts, due_at, claim_token, created_at, updated_at)"
                + " SELECT i.id, i.message_id, i.endpoint_id, i.ordering_key, 'PENDING', 0,"
                + " i.created_at, 0, i.created_at, i.created_at"
                + " FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],"
                + " ?::bigint[]) WITH ORDINALITY"
                + " AS i(id, message_id, endpoint_id, ordering_key, created_at, n)"
                + " ORDER BY i.n");
    // PostgreSQL: a completion and its attempt in one statement, whose count (attempts logged,
    // 0 or 1) says whether it was applied.
    completeLoggedPostgres =
        fill(
            "WITH done AS (UPDATE ${prefix}deliveries SET state = ?, due_at = ?, updated_at = ?,"
                + " attempts = attempts + 1, lease_owner = NULL, lease_until = NULL"
                + current
                + " RETURNING id)"
                + " INSERT INTO ${prefix}attempts (delivery_id, endpoint_id, event_id,"
                + " attempt_number, started_at, latency_ns, outcome, status, error,"
                + " response_snippet)"
                + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM done WHERE TRUE"
                + async);
    // PostgreSQL: many completions that each log an attempt, of distinct deliveries, in one
    // statement from one array per column: the deliveries whose claims are current are updated
    // (looked up by id), their attempts logged in the order of the arrays, and their ids
    // returned.
    completeAllPostgres =
        fill(
            "WITH input AS (SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::bigint[],"
                + " ?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[], ?::int[], ?::bigint[],"
                + " ?::bigint[], ?::varchar[], ?::int[], ?::text[], ?::text[]) WITH ORDINALITY"
                + " AS i(id, owner, token, state, due_at, endpoint_id, event_id, attempt_number,"
                + " started_at, latency_ns, outcome, status, error, response_snippet, n)),"
                + " done AS (UPDATE ${prefix}deliveries d SET state = i.state, due_at = i.due_at,"
                + " updated_at = ?, attempts = d.attempts + 1, lease_owner = NULL,"
                + " lease_until = NULL FROM input i"
                + " WHERE d.id = i.id AND d.lease_owner = i.owner AND d.claim_token = i.token"
                + async
                + " RETURNING d.id)"
                + " INSERT INTO ${prefix}attempts (delivery_id, endpoint_id, event_id,"
                + " attempt_number, started_at, latency_ns, outcome, status, error,"
                + " response_snippet)"
                + " SELECT i.id, i.endpoint_id, i.event_id, i.attempt_number, i.started_at,"
                + " i.latency_ns, i.outcome, i.status, i.error, i.response_snippet"
                + " FROM input i JOIN done ON done.id = i.id ORDER BY i.n"
                + " RETURNING delivery_id");
    // PostgreSQL: for each table the hot path joins (deliveries, messages), the size its
    // statistics record (pages; 0 if never) and its size now; then whether this user may
    // analyze them (owner, a member of the owner's role, or a superuser).
    tableSizes =
        fill(
            "SELECT d.relpages, pg_relation_size(d.oid) / current_setting('block_size')::int,"
                + " m.relpages, pg_relation_size(m.oid) / current_setting('block_size')::int,"
                + " pg_has_role(d.relowner, 'USAGE') AND pg_has_role(m.relowner, 'USAGE')"
                + " FROM pg_class d, pg_class m WHERE d.oid = '${prefix}deliveries'::regclass"
                + " AND m.oid = '${prefix}messages'::regclass");
    analyzeTables = new String[] {fill("ANALYZE ${prefix}deliveries"), fill("ANALYZE ${prefix}messages")};
    claimTokensH2 = fill("SELECT NEXT VALUE FOR ${prefix}claim_tokens FROM SYSTEM_RANGE(1, ?)");
    // H2: take a row only if nobody changed it since it was read, and it is still claimable.
    claimCasH2 =
        fill(
            "UPDATE ${prefix}deliveries d SET lease_owner = ?, lease_until = ?, claim_token = ?"
                + " WHERE d.seq = ? AND d.claim_token = ? AND "
                + DUE_AND_FREE);
    // MariaDB: advance the counter by the claim's limit, locking it until commit;
    // LAST_INSERT_ID(expr) hands the new value back with the update's result, saving a round trip.
    nextTokensMariaDb =
        fill(
            "UPDATE ${prefix}claim_tokens SET last_token = LAST_INSERT_ID(last_token + ?)"
                + " WHERE id = 1");
  }

  /**
   * Returns the claim query of H2 or MariaDB: claimable deliveries, oldest due first. Its
   * parameters: now, now, each excluded endpoint, now, the limit.
   */
  String claimCandidates(int excluded) {
    StringBuilder sql = new StringBuilder("SELECT d.seq, d.id, d.endpoint_id, d.message_id,");
    sql.append(" d.ordering_key, d.attempts, d.created_at, d.claim_token, d.due_at");
    if (dialect == JdbcDialect.H2) {
      // H2 runs in process, so a body read per row costs no network.
      sql.append(", m.event_id, m.event_type, m.body, m.trace_context FROM ${prefix}deliveries d");
      sql.append(" JOIN ${prefix}messages m ON m.id = d.message_id");
    } else {
      // Locking a join would lock the messages too; bodies are read apart, once each.
      sql.append(" FROM ${prefix}deliveries d");
    }
    sql.append(" WHERE ").append(DUE_AND_FREE);
    if (excluded > 0) {
      sql.append(" AND d.endpoint_id NOT IN (").append(marks(excluded)).append(')');
    }
    sql.append(" AND ").append(HEAD_OF_GROUP);
    // The constant state leads, so that H2 and MariaDB walk the claim index in order and stop.
    sql.append(" ORDER BY d.state, d.due_at, d.seq LIMIT ?");
    if (dialect == JdbcDialect.MARIADB) {
      sql.append(" FOR UPDATE SKIP LOCKED");
    }
    return fill(sql.toString());
  }

  /** MariaDB: leases the locked rows, each with its token; parameters: owner, until, then
   *  (seq, token) per row, then each seq. */
  String leaseMariaDb(int rows) {
    StringBuilder sql = new StringBuilder("UPDATE ${prefix}deliveries");
    sql.append(" SET lease_owner = ?, lease_until = ?, claim_token = CASE seq");
    for (int i = 0; i < rows; i++) {
      sql.append(" WHEN ? THEN ?");
    }
    sql.append(" END WHERE seq IN (").append(marks(rows)).append(')');
    return fill(sql.toString());
  }

  /** The messages of claimed deliveries; parameters: each message id. */
  String messagesById(int ids) {
    return fill(
        "SELECT id, event_id, event_type, body, trace_context FROM ${prefix}messages WHERE id IN ("
            + marks(ids)
            + ")");
  }

  /** Which of some ids name stored deliveries. */
  String storedDeliveries(int ids) {
    return fill("SELECT id FROM ${prefix}deliveries WHERE id IN (" + marks(ids) + ")");
  }

  /** Which of some ids name stored messages, with their ordering keys and creation times. */
  String storedMessages(int ids) {
    return fill(
        "SELECT id, ordering_key, created_at FROM ${prefix}messages WHERE id IN ("
            + marks(ids)
            + ")");
  }

  /** Deletes the attempts of deliveries; parameters: each delivery id. */
  String deleteAttempts(int ids) {
    return fill("DELETE FROM ${prefix}attempts WHERE delivery_id IN (" + marks(ids) + ")");
  }

  /** Deletes succeeded deliveries; parameters: each delivery id. */
  String deleteSucceeded(int ids) {
    return fill(
        "DELETE FROM ${prefix}deliveries WHERE id IN ("
            + marks(ids)
            + ") AND state = 'SUCCEEDED'");
  }

  /**
   * Deletes messages that no delivery names, checked again: one may have been named since they
   * were read. Parameters: each message id.
   */
  String deleteOrphanMessages(int ids) {
    return fill(
        "DELETE FROM ${prefix}messages WHERE id IN ("
            + marks(ids)
            + ") AND NOT EXISTS (SELECT 1 FROM ${prefix}deliveries d"
            + " WHERE d.message_id = ${prefix}messages.id)");
  }

  /**
   * Deliveries a query selects, newest first, ties by id descending. Parameters, as {@link
   * JdbcDeliveryStore#deliveries} binds them: createdSince; then, where present, createdBefore,
   * the cursor's time, time again and id, the endpoint, the event and the event type; then the
   * limit. The state, an enum constant's name, is written into the statement, so that
   * PostgreSQL's partial index of dead deliveries serves it. PostgreSQL compares ids by code point ({@code COLLATE "C"}) whatever the
   * database's collation, as the other dialects' columns do.
   */
  String deliveries(DeliveryQuery query) {
    String id = dialect == JdbcDialect.POSTGRESQL ? "d.id COLLATE \"C\"" : "d.id";
    StringBuilder sql = new StringBuilder(RECORD_COLUMNS).append(" WHERE d.created_at >= ?");
    if (query.createdBefore().isPresent()) {
      sql.append(" AND d.created_at < ?");
    }
    if (query.after().isPresent()) {
      sql.append(" AND (d.created_at < ? OR (d.created_at = ? AND ").append(id).append(" < ?))");
    }
    if (query.endpointId().isPresent()) {
      sql.append(" AND d.endpoint_id = ?");
    }
    if (query.eventId().isPresent()) {
      sql.append(" AND m.event_id = ?");
    }
    if (query.state().isPresent()) {
      // Written in, not bound, as for count: so that the index of dead deliveries serves.
      sql.append(" AND d.state = '").append(query.state().get().name()).append('\'');
    }
    if (query.eventType().isPresent()) {
      sql.append(" AND m.event_type = ?");
    }
    sql.append(" ORDER BY d.created_at DESC, ").append(id).append(" DESC LIMIT ?");
    return fill(sql.toString());
  }

  /** Counts the deliveries in a state; the state is an enum constant's name, never input. */
  String count(DeliveryState state) {
    return count.replace(STATE_MARK, state.name());
  }

  private String fill(String template) {
    return template.replace(JdbcDeliveryStore.PLACEHOLDER, prefix);
  }

  private static String marks(int n) {
    StringBuilder s = new StringBuilder(n * 3);
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "?" : ", ?");
    }
    return s.toString();
  }

  /**
   * Checks a table prefix: lower-case letters, digits and underscores, starting with a letter
   * (an unquoted identifier everywhere), at most 32 characters (so that index names stay within
   * PostgreSQL's 63), or empty.
   */
  static String checkPrefix(String prefix) {
    Objects.requireNonNull(prefix, "tablePrefix == null");
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "tablePrefix must be empty or match [a-z][a-z0-9_]{0,31}: \"" + prefix + "\"");
    }
    return prefix;
  }
}
