package dev.hookwire.store.jdbc;

import dev.hookwire.store.AttemptOutcome;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryQuery;
import dev.hookwire.store.DeliveryRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.StoreException;
import dev.hookwire.store.spi.ClaimRequest;
import dev.hookwire.store.spi.ClaimedDelivery;
import dev.hookwire.store.spi.Completion;
import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.store.spi.NewDelivery;
import dev.hookwire.store.spi.NewMessage;
import dev.hookwire.store.spi.StoredEndpoint;
import dev.hookwire.store.spi.TransactionalDeliveryStore;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A {@link DeliveryStore} in a relational database, through JDBC: deliveries survive restarts,
 * and several nodes may share one database, each claiming its own deliveries.
 *
 * <pre>{@code
 * DataSource dataSource = ...; // the host's connection pool
 * JdbcDeliveryStore store = JdbcDeliveryStore.builder(dataSource).build();
 * Dispatcher dispatcher = Dispatcher.builder().store(store).build();
 * }</pre>
 *
 * <p><b>Tables.</b> Six tables named with a prefix ({@code hookwire_} by default): {@code
 * endpoints} (each with its version and failing-since time), {@code endpoint_revision} (one
 * row: the revision of all endpoints), {@code messages} (one body per event and payload), {@code
 * deliveries} (one per message and endpoint; its {@code seq} is the enqueue order), {@code
 * attempts} (the log) and {@code schema_version}; PostgreSQL and H2 add a sequence of claim
 * tokens, MariaDB a counter table. This code reads and writes schema version 4. {@link
 * JdbcDialect#schemaScript(String)} is the exact DDL, which {@link Builder#build()} runs when the
 * tables are missing, unless told not to; tables of version 1 it upgrades in place with {@link
 * JdbcDialect#upgradeScript(String, int)}. Times are kept as nanoseconds since the epoch: exact
 * from 1677 to 2262, clamped beyond. Ids, event types, ordering keys and owners are at most
 * {@value #MAX_ID_LENGTH} characters.
 *
 * <p><b>Endpoints.</b> Every insert, update and delete of an endpoint advances the revision row
 * in its own transaction and holds that row's lock until it commits: endpoint changes take turns,
 * which costs little as they are rare, and the revision and the versions grow in commit order.
 * An update is a compare-and-set on the version; one that does not apply rolls back, revision
 * and all. {@link #endpointRevision()} reads the one row.
 *
 * <p><b>Claims</b> never hand a delivery to two nodes at once. PostgreSQL and MariaDB lock the
 * rows they take with {@code FOR UPDATE SKIP LOCKED}, passing over rows that another claim or a
 * completion holds (on MariaDB, claims also take turns on the counter row their tokens come
 * from: see {@link JdbcDialect#MARIADB}); H2 takes each row with a compare-and-set. A claim costs
 * a constant number of round trips (one statement on PostgreSQL), and reads each message's body
 * once. Tokens come from one database sequence or counter, drawn while the row is locked, so a
 * delivery claimed again always gets a greater token. Ordering keys hold across nodes; two
 * deliveries with one key enqueued concurrently go in the order of their {@code seq}. On
 * PostgreSQL, claims read the pending deliveries from a floor, the earliest pending due time
 * less a second, looked up at most once a second of their clock: otherwise each would walk the
 * dead index entries of every delivery finished since the table's last vacuum. A delivery
 * written through another store object with a due time more than a second before the floor
 * (from a transaction that stayed open that long, say) waits for the next look-up; deliveries
 * written through this store lower the floor themselves.
 *
 * <p><b>Transactions.</b> Each call borrows a connection, runs one short transaction (a few of
 * them for {@link #prune}), and gives the connection back: no lock or connection is held
 * between calls. The store turns auto-commit off for its transactions and back on after. On
 * PostgreSQL, what one statement can do runs as that one statement in auto-commit mode, its own
 * transaction in a single round trip: a claim, a completion that logs an attempt, and an
 * enqueue whose deliveries all name messages of the same call (its ids are then checked by the
 * tables' constraints, and only a refused call runs the checks that say why). There, claims
 * and completions commit without waiting for the disk unless {@link Builder#asyncCommit} is
 * turned off; enqueues always wait (see that setting for what a crash of the database server
 * may then cost: repeats, never a lost event). Claims
 * and prunes run READ COMMITTED: on MariaDB the store asks for it (InnoDB's default, REPEATABLE
 * READ, would lock the gaps between the rows they scan); on PostgreSQL and H2 it is the default,
 * which the store expects the pool to keep. If a commit fails, the outcome is unknown, as always
 * with a database: the call throws, though its work may have been committed. {@link
 * #enqueue(Connection, List, List)} writes through the host's own transaction instead: a
 * transactional outbox.
 *
 * <p><b>Time.</b> The store reads no clock, neither its own nor the database's: every time it
 * writes or compares comes from the caller ({@code now}, due times, cut-offs), which for a
 * dispatcher is its clock.
 *
 * <p><b>Errors.</b> Every {@link SQLException} becomes a {@link StoreException} that names the
 * operation and keeps the cause.
 *
 * <p><b>Wake-up across nodes.</b> On PostgreSQL through pgjdbc, enqueues notify the other nodes
 * in their own transaction ({@code NOTIFY}; at most once every 20 ms per store object, with a
 * trailing notification after the last commit), and each dispatcher listens on one connection
 * of its own, so another node's event is claimed as soon as it commits instead of at the next
 * poll; see {@link Builder#notifications(boolean)}. Elsewhere nodes poll.
 *
 * <p>Thread-safe: each call uses a connection of its own, and the store's only mutable state is
 * a flag that remembers whether the driver reports batch counts, the wake-ups registered for
 * notifications, and on PostgreSQL the claims' floor and when to look at the tables' statistics.
 */
public final class JdbcDeliveryStore implements TransactionalDeliveryStore {

  /** The longest id, event type, ordering key or owner the tables hold. */
  public static final int MAX_ID_LENGTH = 255;

  /** The placeholder for the table prefix in the schema scripts. */
  static final String PLACEHOLDER = "${prefix}";

  /** Ids per {@code IN (...)} list, well under every database's limit on parameters. */
  private static final int IN_CHUNK = 500;
  /** Below this size (pages) a table is analyzed only once past twice this. */
  private static final long MIN_PAGES = 8;
  /** From this size (pages) on, plans stay right as a table grows: autovacuum is enough. */
  static final long GROWN_PAGES = 256;

  /** Rows pruned per transaction. */
  private static final int PRUNE_CHUNK = 500;

  private static final byte[] EMPTY = new byte[0];

  private final DataSource dataSource;
  private final Sql sql;

  /**
   * Whether the driver answers a batch with a count per row. Cleared the first time it does not
   * (MariaDB's driver with {@code useBulkStmts}); from then on, updates whose counts matter run
   * one by one.
   */
  private volatile boolean batchCounts = true;

  /** Wake-up across nodes (PostgreSQL through pgjdbc), or empty. */
  private final Optional<PgNotifications> notifications;
  /** The single-statement enqueue followed by its NOTIFY, when there are notifications. */
  private final String enqueueNotifyPostgres;

  /**
   * PostgreSQL: whether claims still look at whether the tables have outgrown their statistics
   * (see {@link #analyzeIfOutgrown}); cleared once they are grown.
   */
  private volatile boolean tablesYoung = true;

  /** PostgreSQL: where claims start reading the pending deliveries by due time. */
  private final ClaimFloor floor = new ClaimFloor();

  private JdbcDeliveryStore(
      DataSource dataSource, Sql sql, Optional<PgNotifications> notifications) {
    this.dataSource = dataSource;
    this.sql = sql;
    this.notifications = notifications;
    this.enqueueNotifyPostgres =
        notifications.map(n -> sql.enqueuePostgres + "; " + n.notifyOwn()).orElse(sql.enqueuePostgres);
  }

  /**
   * Starts building a store over a data source.
   *
   * @param dataSource where connections come from: the host's pool; the store never closes it
   * @return a new builder
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource == null"));
  }

  /**
   * Returns the dialect the store speaks: the one set, or the one detected.
   *
   * @return the dialect
   */
  public JdbcDialect dialect() {
    return sql.dialect;
  }

  /**
   * Returns the prefix of the store's table names.
   *
   * @return the prefix, possibly empty
   */
  public String tablePrefix() {
    return sql.prefix;
  }

  // ---------------------------------------------------------------- endpoints

  /**
   * {@inheritDoc}
   *
   * <p>One transaction: advances the revision, whose row lock it holds until it commits (endpoint
   * changes take turns), and inserts the endpoint with the new revision as its version. If the
   * id is taken, it rolls back, leaving the revision as it was.
   *
   * @param endpoint the endpoint; its version is ignored and assigned by the store
   * @return whether it was inserted; false if the id was taken
   * @throws IllegalArgumentException if its id is longer than {@value #MAX_ID_LENGTH} characters
   */
  @Override
  public boolean insertEndpoint(StoredEndpoint endpoint) {
    Objects.requireNonNull(endpoint, "endpoint == null");
    checkLength("endpoint id", endpoint.endpointId());
    return changeEndpoint(
        "insert endpoint",
        (c, revision) -> {
          try (PreparedStatement ps = c.prepareStatement(sql.insertEndpoint)) {
            bindEndpoint(ps, endpoint, revision);
            return ps.executeUpdate() == 1;
          } catch (SQLException e) {
            if (isConstraint(e)) {
              return false; // the id is taken
            }
            throw e;
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction, as for {@link #insertEndpoint}: a change that does not apply rolls back,
   * leaving the revision as it was. An updated endpoint keeps its place in {@link #endpoints()}.
   *
   * @param endpoint the new state, with the endpoint's id
   * @param expectedVersion the version the change was computed from
   * @return whether it was applied; false if the endpoint changed meanwhile or is gone
   */
  @Override
  public boolean updateEndpoint(StoredEndpoint endpoint, long expectedVersion) {
    Objects.requireNonNull(endpoint, "endpoint == null");
    return changeEndpoint(
        "update endpoint",
        (c, revision) -> {
          try (PreparedStatement ps = c.prepareStatement(sql.updateEndpoint)) {
            bindEndpoint(ps, endpoint, revision);
            ps.setLong(6, expectedVersion);
            return ps.executeUpdate() == 1;
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction, as for {@link #insertEndpoint}.
   *
   * @param endpointId the endpoint's id
   * @return whether it existed
   */
  @Override
  public boolean deleteEndpoint(String endpointId) {
    Objects.requireNonNull(endpointId, "endpointId == null");
    return changeEndpoint(
        "delete endpoint",
        (c, revision) -> {
          try (PreparedStatement ps = c.prepareStatement(sql.deleteEndpoint)) {
            ps.setString(1, endpointId);
            return ps.executeUpdate() == 1;
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * @param endpointId the endpoint's id
   * @return the endpoint, or empty if there is none with the id
   */
  @Override
  public Optional<StoredEndpoint> endpoint(String endpointId) {
    Objects.requireNonNull(endpointId, "endpointId == null");
    return read(
        "read endpoint",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.endpoint)) {
            ps.setString(1, endpointId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(storedEndpoint(rs)) : Optional.empty();
            }
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>An endpoint deleted and inserted again counts as inserted the second time.
   *
   * @return the endpoints, an immutable list
   */
  @Override
  public List<StoredEndpoint> endpoints() {
    return read(
        "list endpoints",
        c -> {
          List<StoredEndpoint> endpoints = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.endpoints);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              endpoints.add(storedEndpoint(rs));
            }
          }
          return List.copyOf(endpoints);
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>One read of a single row, by its primary key.
   *
   * @return the revision
   */
  @Override
  public long endpointRevision() {
    return read(
        "read endpoint revision",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.endpointRevision);
              ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              throw missingRevisionRow();
            }
            return rs.getLong(1);
          }
        });
  }

  /** A change of one endpoint, given the revision it makes: whether it applied. */
  @FunctionalInterface
  private interface EndpointChange {
    boolean apply(Connection c, long revision) throws SQLException;
  }

  /**
   * Runs a change of an endpoint in a transaction of its own, after advancing the revision; rolls
   * the revision back with it if the change does not apply.
   */
  private boolean changeEndpoint(String operation, EndpointChange change) {
    return transaction(
        operation,
        c -> {
          if (change.apply(c, nextRevision(c))) {
            return true;
          }
          c.rollback(); // the commit that follows then commits nothing
          return false;
        });
  }

  /** Advances the revision by one and returns it; its row stays locked until commit. */
  private long nextRevision(Connection c) throws SQLException {
    if (sql.dialect == JdbcDialect.MARIADB) {
      try (PreparedStatement ps =
          c.prepareStatement(sql.nextRevision, Statement.RETURN_GENERATED_KEYS)) {
        if (ps.executeUpdate() != 1) {
          throw missingRevisionRow();
        }
        try (ResultSet keys = ps.getGeneratedKeys()) {
          if (!keys.next()) {
            throw new SQLException("no LAST_INSERT_ID from the endpoint revision row");
          }
          return keys.getLong(1);
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(sql.nextRevision);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw missingRevisionRow();
      }
      return rs.getLong(1);
    }
  }

  private SQLException missingRevisionRow() {
    return new SQLException(
        "the endpoint revision row is missing from " + sql.prefix + "endpoint_revision");
  }

  /**
   * Binds the five parameters the endpoint insert and update share: configuration,
   * failing-since, version, update time, id.
   */
  private static void bindEndpoint(PreparedStatement ps, StoredEndpoint endpoint, long version)
      throws SQLException {
    ps.setString(1, endpoint.config());
    if (endpoint.failingSince().isPresent()) {
      ps.setLong(2, Nanos.of(endpoint.failingSince().get()));
    } else {
      ps.setNull(2, Types.BIGINT);
    }
    ps.setLong(3, version);
    ps.setLong(4, Nanos.of(endpoint.updatedAt()));
    ps.setString(5, endpoint.endpointId());
  }

  /** Reads an endpoint from the columns of {@code Sql.endpoint}. */
  private static StoredEndpoint storedEndpoint(ResultSet rs) throws SQLException {
    String id = rs.getString(1);
    String config = rs.getString(2);
    long failingSince = rs.getLong(3);
    Optional<Instant> failing =
        rs.wasNull() ? Optional.empty() : Optional.of(Nanos.instant(failingSince));
    return new StoredEndpoint(id, config, failing, rs.getLong(4), Nanos.instant(rs.getLong(5)));
  }

  // ---------------------------------------------------------------- enqueue

  /**
   * {@inheritDoc}
   *
   * <p>Committed when it returns. Every argument is checked before anything is written.
   *
   * @param messages the messages
   * @param deliveries the deliveries, each naming a message of this call or a stored one
   * @throws IllegalArgumentException as the interface says, naming the id; also if an id, event
   *     type or ordering key is longer than {@value #MAX_ID_LENGTH} characters, or if a
   *     concurrent call stored the same id first
   */
  @Override
  public void enqueue(List<NewMessage> messages, List<NewDelivery> deliveries) {
    Map<String, NewMessage> fresh = checkEnqueue(messages, deliveries);
    if (messages.isEmpty() && deliveries.isEmpty()) {
      return;
    }
    boolean notify = notifications.isPresent() && notifications.get().notifyInline();
    if (sql.dialect == JdbcDialect.POSTGRESQL
        && deliveries.stream().allMatch(d -> fresh.containsKey(d.messageId()))
        && enqueuePostgres(messages, deliveries, fresh, notify)) {
      notifications.ifPresent(n -> n.committed(notify));
      return;
    }
    // The checks, then the inserts: what refuses a call says why.
    long due =
        transaction(
            "enqueue",
            c -> {
              long earliest = insert(c, messages, deliveries, fresh);
              if (notify) {
                notifications.get().own(c);
              }
              return earliest;
            });
    floor.lower(due); // once committed: see ClaimFloor.lookUp
    notifications.ifPresent(n -> n.committed(notify));
  }

  /**
   * Stores messages and their deliveries through the host's own connection, inside the host's
   * transaction: a transactional outbox. They exist iff the host's transaction commits, together
   * with whatever business change it makes. This method neither commits, rolls back nor closes
   * the connection.
   *
   * <pre>{@code
   * try (Connection c = dataSource.getConnection()) {
   *   c.setAutoCommit(false);
   *   // ... the host's own writes ...
   *   store.enqueue(c, messages, deliveries);
   *   c.commit();
   * }
   * }</pre>
   *
   * <p>The connection must reach the store's tables (same database, same prefix). The rules are
   * those of {@link #enqueue(List, List)}: arguments are checked, and stored ids refused, before
   * anything is written. If this method throws after writing (a constraint tripped by a
   * concurrent call, a lost connection), the host must roll back. Deliveries stored this way
   * wake the dispatchers when the host commits if {@link Builder#notifications(boolean)
   * notifications} are on (PostgreSQL through pgjdbc); elsewhere nodes find them when they next
   * poll.
   *
   * @param connection the host's connection, with auto-commit off
   * @param messages the messages
   * @param deliveries the deliveries, each naming a message of this call or a stored one
   * @throws IllegalArgumentException if the connection is in auto-commit mode, or as {@link
   *     #enqueue(List, List)} says
   * @throws StoreException if the statements fail
   */
  @Override
  public void enqueue(
      Connection connection, List<NewMessage> messages, List<NewDelivery> deliveries) {
    Objects.requireNonNull(connection, "connection == null");
    Map<String, NewMessage> fresh = checkEnqueue(messages, deliveries);
    try {
      if (connection.getAutoCommit()) {
        throw new IllegalArgumentException(
            "connection is in auto-commit mode: the outbox writes in the host's transaction");
      }
      if (!messages.isEmpty() || !deliveries.isEmpty()) {
        // Lowered before the host commits, which this store does not see.
        floor.lower(insert(connection, messages, deliveries, fresh));
        if (notifications.isPresent()) {
          notifications.get().host(connection);
        }
      }
    } catch (SQLException e) {
      throw failure("enqueue", e);
    }
  }

  /** Checks what the arguments alone can show; returns the messages by id. */
  private static Map<String, NewMessage> checkEnqueue(
      List<NewMessage> messages, List<NewDelivery> deliveries) {
    Objects.requireNonNull(messages, "messages == null");
    Objects.requireNonNull(deliveries, "deliveries == null");
    Map<String, NewMessage> fresh = new LinkedHashMap<>();
    for (NewMessage m : messages) {
      Objects.requireNonNull(m, "messages contains null");
      checkLength("message id", m.messageId());
      checkLength("event id", m.eventId());
      checkLength("event type", m.eventType());
      if (m.orderingKey().isPresent()) {
        checkLength("ordering key", m.orderingKey().get());
      }
      if (fresh.putIfAbsent(m.messageId(), m) != null) {
        throw new IllegalArgumentException("message id used twice: " + m.messageId());
      }
    }
    Set<String> deliveryIds = new HashSet<>();
    for (NewDelivery d : deliveries) {
      Objects.requireNonNull(d, "deliveries contains null");
      checkLength("delivery id", d.deliveryId());
      checkLength("endpoint id", d.endpointId());
      if (!deliveryIds.add(d.deliveryId())) {
        throw new IllegalArgumentException("delivery id used twice: " + d.deliveryId());
      }
    }
    return fresh;
  }

  /**
   * Checks and inserts messages and deliveries on {@code c}.
   *
   * @return the earliest due time of the deliveries (nanoseconds), {@link Long#MAX_VALUE} if none
   */
  private long insert(
      Connection c,
      List<NewMessage> messages,
      List<NewDelivery> deliveries,
      Map<String, NewMessage> fresh)
      throws SQLException {
    Set<String> named = new LinkedHashSet<>(fresh.keySet());
    for (NewDelivery d : deliveries) {
      named.add(d.messageId());
    }
    Map<String, NewMessage> stored = storedMessages(c, named);
    for (NewMessage m : messages) {
      if (stored.containsKey(m.messageId())) {
        throw new IllegalArgumentException("message id already stored: " + m.messageId());
      }
    }
    Set<String> storedDeliveries = storedDeliveries(c, deliveries);
    for (NewDelivery d : deliveries) {
      if (storedDeliveries.contains(d.deliveryId())) {
        throw new IllegalArgumentException("delivery id already stored: " + d.deliveryId());
      }
      if (!fresh.containsKey(d.messageId()) && !stored.containsKey(d.messageId())) {
        throw unknownMessage(d);
      }
    }
    // Checked: from here on only the database can refuse, if another call raced this one.
    long earliest = Long.MAX_VALUE;
    try {
      if (!messages.isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement(sql.insertMessage)) {
          for (NewMessage m : messages) {
            ps.setString(1, m.messageId());
            ps.setString(2, m.eventId());
            ps.setString(3, m.eventType());
            ps.setString(4, m.orderingKey().orElse(null));
            ps.setLong(5, Nanos.of(m.createdAt()));
            ps.setBytes(6, m.body());
            ps.setString(7, m.traceContext().orElse(null));
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      if (!deliveries.isEmpty()) {
        // One batch, in order: the order of seq is the order of the list.
        try (PreparedStatement ps = c.prepareStatement(sql.insertDelivery)) {
          for (NewDelivery d : deliveries) {
            NewMessage m = fresh.containsKey(d.messageId()) ? fresh.get(d.messageId())
                : stored.get(d.messageId());
            long createdAt = Nanos.of(m.createdAt());
            earliest = Math.min(earliest, createdAt);
            ps.setString(1, d.deliveryId());
            ps.setString(2, d.messageId());
            ps.setString(3, d.endpointId());
            ps.setString(4, m.orderingKey().orElse(null));
            ps.setLong(5, createdAt);
            ps.setLong(6, createdAt);
            ps.setLong(7, createdAt);
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
    } catch (SQLException e) {
      if (isConstraint(e)) {
        throw new IllegalArgumentException(
            "enqueue refused by the database: an id was stored, or a message pruned, by a"
                + " concurrent call: "
                + e.getMessage(),
            e);
      }
      throw e;
    }
    return earliest;
  }

  /**
   * PostgreSQL, when every delivery names a message of the call: everything in one statement
   * (one round trip, its own transaction), checked by the database's constraints instead of
   * queries beforehand. Returns false, having written nothing, if a constraint refused it: the
   * caller then runs the checks, which say why.
   */
  private boolean enqueuePostgres(
      List<NewMessage> messages, List<NewDelivery> deliveries, Map<String, NewMessage> fresh,
      boolean notify) {
    int m = messages.size();
    String[] messageIds = new String[m];
    String[] eventIds = new String[m];
    String[] eventTypes = new String[m];
    String[] messageKeys = new String[m];
    Long[] messageTimes = new Long[m];
    byte[][] bodies = new byte[m][];
    String[] traceContexts = new String[m];
    for (int i = 0; i < m; i++) {
      NewMessage x = messages.get(i);
      messageIds[i] = x.messageId();
      eventIds[i] = x.eventId();
      eventTypes[i] = x.eventType();
      messageKeys[i] = x.orderingKey().orElse(null);
      messageTimes[i] = Nanos.of(x.createdAt());
      bodies[i] = x.body();
      traceContexts[i] = x.traceContext().orElse(null);
    }
    int n = deliveries.size();
    String[] deliveryIds = new String[n];
    String[] deliveryMessages = new String[n];
    String[] endpointIds = new String[n];
    String[] deliveryKeys = new String[n];
    Long[] deliveryTimes = new Long[n];
    long earliest = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      NewDelivery d = deliveries.get(i);
      NewMessage x = fresh.get(d.messageId());
      deliveryIds[i] = d.deliveryId();
      deliveryMessages[i] = d.messageId();
      endpointIds[i] = d.endpointId();
      deliveryKeys[i] = x.orderingKey().orElse(null);
      deliveryTimes[i] = Nanos.of(x.createdAt());
      earliest = Math.min(earliest, deliveryTimes[i]);
    }
    try {
      inStatement(
          c -> {
            ArrayParameters arrays = new ArrayParameters(c);
            try (PreparedStatement ps =
                c.prepareStatement(notify ? enqueueNotifyPostgres : sql.enqueuePostgres)) {
              int p = 1;
              ps.setArray(p++, arrays.of("varchar", messageIds));
              ps.setArray(p++, arrays.of("varchar", eventIds));
              ps.setArray(p++, arrays.of("varchar", eventTypes));
              ps.setArray(p++, arrays.of("varchar", messageKeys));
              ps.setArray(p++, arrays.of("int8", messageTimes));
              ps.setArray(p++, arrays.of("bytea", bodies));
              ps.setArray(p++, arrays.of("varchar", traceContexts));
              ps.setArray(p++, arrays.of("varchar", deliveryIds));
              ps.setArray(p++, arrays.of("varchar", deliveryMessages));
              ps.setArray(p++, arrays.of("varchar", endpointIds));
              ps.setArray(p++, arrays.of("varchar", deliveryKeys));
              ps.setArray(p, arrays.of("int8", deliveryTimes));
              ps.executeUpdate();
            } finally {
              arrays.free();
            }
            return null;
          });
      floor.lower(earliest);
      return true;
    } catch (SQLException e) {
      if (isConstraint(e)) {
        return false;
      }
      throw failure("enqueue", e);
    }
  }

  /** Whether a statement failed on a constraint: an id already stored, an unknown message. */
  private static boolean isConstraint(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("23");
  }

  private static IllegalArgumentException unknownMessage(NewDelivery d) {
    return new IllegalArgumentException(
        "delivery " + d.deliveryId() + " names an unknown message: " + d.messageId());
  }

  /**
   * Returns the stored messages among some ids, with what a delivery copies of them: ordering
   * key and creation time (the body is left empty).
   */
  private Map<String, NewMessage> storedMessages(Connection c, Collection<String> ids)
      throws SQLException {
    Map<String, NewMessage> stored = new HashMap<>();
    List<String> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += IN_CHUNK) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
      try (PreparedStatement ps = c.prepareStatement(sql.storedMessages(chunk.size()))) {
        bindAll(ps, chunk);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String id = rs.getString(1);
            stored.put(
                id,
                new NewMessage(
                    id,
                    id,
                    "",
                    Nanos.instant(rs.getLong(3)),
                    EMPTY,
                    Optional.ofNullable(rs.getString(2)),
                    Optional.empty()));
          }
        }
      }
    }
    return stored;
  }

  /** Returns which of the deliveries' ids are stored. */
  private Set<String> storedDeliveries(Connection c, List<NewDelivery> deliveries)
      throws SQLException {
    Set<String> stored = new HashSet<>();
    for (int from = 0; from < deliveries.size(); from += IN_CHUNK) {
      List<NewDelivery> chunk =
          deliveries.subList(from, Math.min(deliveries.size(), from + IN_CHUNK));
      try (PreparedStatement ps = c.prepareStatement(sql.storedDeliveries(chunk.size()))) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i).deliveryId());
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            stored.add(rs.getString(1));
          }
        }
      }
    }
    return stored;
  }

  // ---------------------------------------------------------------- claim

  /**
   * {@inheritDoc}
   *
   * <p>A lease that expired at or before {@code request.now()} no longer holds. Deliveries a
   * concurrent claim holds are skipped, so a claim may return fewer than are claimable.
   *
   * @param request who claims, when, for how long, how many, and which endpoints to skip
   * @return the claimed deliveries, oldest due first, their tokens growing; an immutable list
   * @throws IllegalArgumentException if the owner is longer than {@value #MAX_ID_LENGTH}
   *     characters
   * @throws java.time.DateTimeException if {@code now} plus the lease is beyond {@link
   *     Instant#MAX}
   */
  @Override
  public List<ClaimedDelivery> claim(ClaimRequest request) {
    Objects.requireNonNull(request, "request == null");
    checkLength("owner", request.owner());
    Instant until = request.now().plus(request.lease());
    if (request.limit() == 0) {
      return List.of();
    }
    if (sql.dialect == JdbcDialect.POSTGRESQL) {
      // Once a second of the claims' clock: the floor looked up, and young tables' statistics.
      boolean look = floor.lookDue(request.now());
      List<ClaimedDelivery> claimed =
          statement("claim", c -> claimPostgres(c, request, until, look));
      if (look && tablesYoung) {
        analyzeIfOutgrown();
      }
      return claimed;
    }
    return transaction(
        "claim",
        true,
        c -> sql.dialect == JdbcDialect.MARIADB
            ? claimMariaDb(c, request, until)
            : claimH2(c, request, until));
  }

  /**
   * PostgreSQL: analyzes the deliveries and messages tables while they are young, each time one
   * has grown to more than twice the size its statistics record; claims look when they look up
   * the {@link ClaimFloor} (at most once per {@link ClaimFloor#SPACING} of their clock), and
   * stop looking once both tables are past {@link #GROWN_PAGES}.
   *
   * <p>Why: PostgreSQL keeps the plan of a prepared statement, made for the tables' sizes as
   * its statistics had them, until the statistics change; autovacuum first analyzes a new table
   * within {@code autovacuum_naptime} (a minute by default) after enough rows changed. A
   * completion planned on empty tables reads the whole deliveries table to find the few it
   * updates, and keeps doing so as the table grows; a claim planned without statistics reads
   * every due delivery. Analyzed as it doubles, a young table is planned for at most twice its
   * recorded size, and from a few hundred pages on the plans are index lookups that stay right
   * as it grows further. An {@code ANALYZE} of a young table takes milliseconds and blocks no
   * reads or writes. A store whose user may not analyze the tables (not their owner) leaves them
   * to autovacuum, as it does on any failure here: claims and completions work either way.
   */
  private void analyzeIfOutgrown() {
    try (Connection c = dataSource.getConnection()) {
      List<String> outgrown = new ArrayList<>();
      boolean young = false;
      boolean owner = false;
      try (PreparedStatement ps = c.prepareStatement(sql.tableSizes);
          ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          owner = rs.getBoolean(2 * sql.analyzeTables.length + 1);
          for (int t = 0; t < sql.analyzeTables.length; t++) {
            long recorded = Math.max(rs.getLong(2 * t + 1), 0);
            long now = rs.getLong(2 * t + 2);
            if (now > 2 * Math.max(recorded, MIN_PAGES)) {
              outgrown.add(sql.analyzeTables[t]);
            }
            young |= Math.max(recorded, now) < GROWN_PAGES;
          }
        }
      }
      if (owner) {
        try (Statement s = c.createStatement()) {
          for (String analyze : outgrown) {
            s.execute(analyze);
          }
        }
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
      // Not the tables' owner: PostgreSQL would skip them each time, with a warning in its log.
      if (!owner || (!young && outgrown.isEmpty())) {
        tablesYoung = false;
      }
    } catch (SQLException e) {
      // Autovacuum analyzes the tables in time; claims and completions work meanwhile.
    }
  }

  private List<ClaimedDelivery> claimPostgres(
      Connection c, ClaimRequest r, Instant until, boolean lookUpFloor) throws SQLException {
    long now = Nanos.of(r.now());
    List<Candidate> rows = new ArrayList<>();
    Map<String, byte[]> bodies = new HashMap<>();
    long from = lookUpFloor ? floor.lookUp(c, sql.claimFloor, r.now()) : floor.current();
    Array excluded = c.createArrayOf("varchar", r.excludedEndpoints().toArray());
    try (PreparedStatement ps = c.prepareStatement(sql.claimPostgres)) {
      ps.setLong(1, now);
      ps.setLong(2, now);
      ps.setLong(3, from);
      ps.setArray(4, excluded);
      ps.setLong(5, now);
      ps.setInt(6, r.limit());
      ps.setString(7, r.owner());
      ps.setLong(8, Nanos.of(until));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Candidate row = new Candidate();
          row.id = rs.getString(1);
          row.endpointId = rs.getString(2);
          row.messageId = rs.getString(3);
          row.orderingKey = rs.getString(4);
          row.attempts = rs.getInt(5);
          row.createdAt = rs.getLong(6);
          row.token = rs.getLong(7);
          row.dueAt = rs.getLong(11);
          row.eventId = rs.getString(8);
          row.eventType = rs.getString(9);
          row.traceContext = rs.getString(12);
          byte[] body = rs.getBytes(10);
          if (body != null) {
            bodies.put(row.messageId, body);
          }
          rows.add(row);
        }
      }
    } finally {
      excluded.free();
    }
    List<ClaimedDelivery> claimed = new ArrayList<>(rows.size());
    for (Candidate row : rows) {
      row.body = bodies.get(row.messageId);
      claimed.add(row.claimed(r.owner(), until, row.token));
    }
    return List.copyOf(claimed);
  }

  /**
   * MariaDB: first a block of tokens, as many as the limit, from the counter row, whose lock is
   * then held until commit, so claims take turns; then the due rows, locked, skipping those a
   * completion holds; then the lease. Taking the counter first orders every claim's locks the
   * same way: with the counter taken last, two claims deadlocked in testing, each holding index
   * records the other's update needed (InnoDB locks index records, not just rows). Tokens left
   * over are never used; 2^63 of them last.
   */
  private List<ClaimedDelivery> claimMariaDb(Connection c, ClaimRequest r, Instant until)
      throws SQLException {
    long last;
    try (PreparedStatement ps =
        c.prepareStatement(sql.nextTokensMariaDb, Statement.RETURN_GENERATED_KEYS)) {
      ps.setInt(1, r.limit());
      if (ps.executeUpdate() != 1) {
        throw new SQLException(
            "the claim token counter row is missing from " + sql.prefix + "claim_tokens");
      }
      try (ResultSet keys = ps.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new SQLException("no LAST_INSERT_ID from the claim token counter");
        }
        last = keys.getLong(1);
      }
    }
    long first = last - r.limit() + 1;
    List<Candidate> rows = candidates(c, r);
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<String, Candidate> messages = new LinkedHashMap<>();
    for (Candidate row : rows) {
      messages.putIfAbsent(row.messageId, row);
    }
    readMessages(c, rows, messages.keySet());
    try (PreparedStatement ps = c.prepareStatement(sql.leaseMariaDb(rows.size()))) {
      int p = 1;
      ps.setString(p++, r.owner());
      ps.setLong(p++, Nanos.of(until));
      for (int i = 0; i < rows.size(); i++) {
        ps.setLong(p++, rows.get(i).seq);
        ps.setLong(p++, first + i);
      }
      for (Candidate row : rows) {
        ps.setLong(p++, row.seq);
      }
      ps.executeUpdate();
    }
    List<ClaimedDelivery> claimed = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      claimed.add(rows.get(i).claimed(r.owner(), until, first + i));
    }
    return List.copyOf(claimed);
  }

  /** Reads the messages of claimed rows, each once, and shares each body among its rows. */
  private void readMessages(Connection c, List<Candidate> rows, Set<String> messageIds)
      throws SQLException {
    Map<String, Candidate> byMessage = new HashMap<>();
    List<String> ids = new ArrayList<>(messageIds);
    for (int from = 0; from < ids.size(); from += IN_CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
      try (PreparedStatement ps = c.prepareStatement(sql.messagesById(chunk.size()))) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Candidate m = new Candidate();
            m.eventId = rs.getString(2);
            m.eventType = rs.getString(3);
            m.body = rs.getBytes(4);
            m.traceContext = rs.getString(5);
            byMessage.put(rs.getString(1), m);
          }
        }
      }
    }
    for (Candidate row : rows) {
      Candidate m = byMessage.get(row.messageId);
      if (m == null) {
        throw new SQLException("message " + row.messageId + " of a pending delivery is missing");
      }
      row.eventId = m.eventId;
      row.eventType = m.eventType;
      row.body = m.body;
      row.traceContext = m.traceContext;
    }
  }

  private List<ClaimedDelivery> claimH2(Connection c, ClaimRequest r, Instant until)
      throws SQLException {
    List<Candidate> rows = candidates(c, r);
    if (rows.isEmpty()) {
      return List.of();
    }
    long[] tokens = new long[rows.size()];
    try (PreparedStatement ps = c.prepareStatement(sql.claimTokensH2)) {
      ps.setInt(1, rows.size());
      try (ResultSet rs = ps.executeQuery()) {
        for (int i = 0; i < tokens.length && rs.next(); i++) {
          tokens[i] = rs.getLong(1);
        }
      }
    }
    Arrays.sort(tokens);
    long now = Nanos.of(r.now());
    long leaseUntil = Nanos.of(until);
    int[] counts =
        counted(
            c,
            sql.claimCasH2,
            rows.size(),
            (ps, i) -> {
              Candidate row = rows.get(i);
              ps.setString(1, r.owner());
              ps.setLong(2, leaseUntil);
              ps.setLong(3, tokens[i]);
              ps.setLong(4, row.seq);
              ps.setLong(5, row.token);
              ps.setLong(6, now);
              ps.setLong(7, now);
            });
    Map<String, byte[]> bodies = new HashMap<>();
    List<ClaimedDelivery> claimed = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      if (counts[i] > 0) {
        Candidate row = rows.get(i);
        row.body = bodies.computeIfAbsent(row.messageId, k -> row.body);
        claimed.add(row.claimed(r.owner(), until, tokens[i]));
      }
    }
    return List.copyOf(claimed);
  }

  /** H2 and MariaDB: the claimable deliveries, oldest due first (locked, on MariaDB). */
  private List<Candidate> candidates(Connection c, ClaimRequest r) throws SQLException {
    List<String> excluded = new ArrayList<>(r.excludedEndpoints());
    long now = Nanos.of(r.now());
    List<Candidate> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql.claimCandidates(excluded.size()))) {
      int p = 1;
      ps.setLong(p++, now);
      ps.setLong(p++, now);
      for (String endpointId : excluded) {
        ps.setString(p++, endpointId);
      }
      ps.setLong(p++, now);
      ps.setInt(p, r.limit());
      try (ResultSet rs = ps.executeQuery()) {
        boolean h2 = sql.dialect == JdbcDialect.H2;
        while (rs.next()) {
          Candidate row = new Candidate();
          row.seq = rs.getLong(1);
          row.id = rs.getString(2);
          row.endpointId = rs.getString(3);
          row.messageId = rs.getString(4);
          row.orderingKey = rs.getString(5);
          row.attempts = rs.getInt(6);
          row.createdAt = rs.getLong(7);
          row.token = rs.getLong(8);
          row.dueAt = rs.getLong(9);
          if (h2) {
            row.eventId = rs.getString(10);
            row.eventType = rs.getString(11);
            row.body = rs.getBytes(12);
            row.traceContext = rs.getString(13);
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  // ---------------------------------------------------------------- complete and release

  /**
   * {@inheritDoc}
   *
   * <p>A claim is current while its delivery is pending with the claim's owner and token: until
   * it is completed or released, or claimed again after its lease expired. A completion with an
   * attempt adds one to the attempt count. The delivery's {@code updatedAt} becomes {@code
   * now}. All completions of one call commit together, in one transaction of two batched
   * statements; on PostgreSQL, when each logs an attempt, in one statement in auto-commit mode
   * (of one statement per completion, in one transaction, if two name the same delivery).
   *
   * @param completions the results, in any order
   * @param now the time of the completions
   * @return for each completion, in order, whether it was applied; an immutable list
   * @throws IllegalArgumentException if an attempt names another delivery than its claim; then
   *     none is applied
   */
  @Override
  public List<Boolean> complete(List<Completion> completions, Instant now) {
    Objects.requireNonNull(completions, "completions == null");
    Objects.requireNonNull(now, "now == null");
    for (Completion x : completions) {
      Objects.requireNonNull(x, "completions contains null");
    }
    if (completions.isEmpty()) {
      return List.of();
    }
    long at = Nanos.of(now);
    for (Completion x : completions) {
      if (x.state() == DeliveryState.PENDING) {
        floor.lower(Nanos.of(x.nextAttemptAt()));
      }
    }
    int[] order = byDeliveryId(completions.size(), i -> completions.get(i).claim().deliveryId());
    if (sql.dialect == JdbcDialect.POSTGRESQL
        && completions.stream().allMatch(x -> x.attempt().isPresent())) {
      return completePostgres(completions, order, at);
    }
    return transaction(
        "complete",
        c -> {
          int[] counts = completeEach(c, false, completions, order, at);
          List<Boolean> applied = inGivenOrder(counts, order);
          List<AttemptRecord> log = new ArrayList<>();
          for (int k = 0; k < order.length; k++) {
            Completion x = completions.get(order[k]);
            if (counts[k] > 0 && x.attempt().isPresent()) {
              log.add(x.attempt().get());
            }
          }
          if (!log.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(sql.insertAttempt)) {
              for (AttemptRecord a : log) {
                bindAttempt(ps, 1, a);
                ps.addBatch();
              }
              ps.executeBatch();
            }
          }
          return applied;
        });
  }

  /**
   * PostgreSQL, completions that each log an attempt: one statement per completion updates the
   * delivery and logs its attempt if its claim is current, and its count says whether. A single
   * completion runs in auto-commit mode (one round trip); several run as one batch in one
   * transaction, in the order of their ids.
   */
  private List<Boolean> completePostgres(List<Completion> completions, int[] order, long at) {
    if (order.length > 1 && distinctDeliveries(completions)) {
      return statement("complete", c -> completeAllPostgres(c, completions, order, at));
    }
    Work<List<Boolean>> work =
        c -> inGivenOrder(completeEach(c, true, completions, order, at), order);
    return order.length == 1 ? statement("complete", work) : transaction("complete", work);
  }

  private static boolean distinctDeliveries(List<Completion> completions) {
    Set<String> ids = new HashSet<>();
    for (Completion x : completions) {
      if (!ids.add(x.claim().deliveryId())) {
        return false;
      }
    }
    return true;
  }

  /**
   * PostgreSQL, completions of distinct deliveries that each log an attempt: all in one
   * statement, its own transaction in auto-commit mode, one round trip. Which were applied is
   * read from the ids it returns; their attempts are logged in the order of the ids.
   */
  /** The SQL types of {@link Sql#completeAllPostgres}'s array parameters, in order. */
  private static final String[] COMPLETE_ALL_TYPES = {
    "varchar", "varchar", "int8", "varchar", "int8", "varchar", "varchar", "int4", "int8",
    "int8", "varchar", "int4", "text", "text"
  };

  private List<Boolean> completeAllPostgres(
      Connection c, List<Completion> completions, int[] order, long at) throws SQLException {
    int n = order.length;
    Object[][] columns = new Object[COMPLETE_ALL_TYPES.length][n];
    for (int k = 0; k < n; k++) {
      Completion x = completions.get(order[k]);
      AttemptRecord a = x.attempt().orElseThrow();
      columns[0][k] = x.claim().deliveryId();
      columns[1][k] = x.claim().leaseOwner();
      columns[2][k] = x.claim().claimToken();
      columns[3][k] = x.state().name();
      columns[4][k] = Nanos.of(x.nextAttemptAt());
      columns[5][k] = a.endpointId();
      columns[6][k] = a.eventId();
      columns[7][k] = a.attemptNumber();
      columns[8][k] = Nanos.of(a.startedAt());
      columns[9][k] = Nanos.of(a.latency());
      columns[10][k] = a.outcome().name();
      columns[11][k] = a.status();
      columns[12][k] = a.error().map(JdbcDeliveryStore::text).orElse(null);
      columns[13][k] = text(a.responseSnippet());
    }
    Set<String> applied = new HashSet<>();
    ArrayParameters arrays = new ArrayParameters(c);
    try (PreparedStatement ps = c.prepareStatement(sql.completeAllPostgres)) {
      for (int i = 0; i < columns.length; i++) {
        ps.setArray(i + 1, arrays.of(COMPLETE_ALL_TYPES[i], columns[i]));
      }
      ps.setLong(columns.length + 1, at);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          applied.add(rs.getString(1));
        }
      }
    } finally {
      arrays.free();
    }
    Boolean[] result = new Boolean[completions.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = applied.contains(completions.get(i).claim().deliveryId());
    }
    return List.of(result);
  }

  /**
   * Runs one completion statement per completion, in {@code order}, and returns their counts:
   * {@code logged}, PostgreSQL's statement that also logs the attempt; otherwise the update
   * alone, told whether to count an attempt.
   */
  private int[] completeEach(
      Connection c, boolean logged, List<Completion> completions, int[] order, long at)
      throws SQLException {
    return counted(
        c,
        logged ? sql.completeLoggedPostgres : sql.complete,
        order.length,
        (ps, k) -> {
          Completion x = completions.get(order[k]);
          ps.setString(1, x.state().name());
          ps.setLong(2, Nanos.of(x.nextAttemptAt()));
          ps.setLong(3, at);
          if (logged) {
            bindClaim(ps, 4, x.claim());
            bindAttempt(ps, 7, x.attempt().orElseThrow());
          } else {
            ps.setInt(4, x.attempt().isPresent() ? 1 : 0);
            bindClaim(ps, 5, x.claim());
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>A claim is current as for {@link #complete}. The attempt count is unchanged; {@code
   * updatedAt} becomes {@code now}.
   *
   * @param claims the claims to give back
   * @param dueAt when they are due again
   * @param now the time of the release
   * @return for each claim, in order, whether it was released; an immutable list
   */
  @Override
  public List<Boolean> release(List<ClaimedDelivery> claims, Instant dueAt, Instant now) {
    Objects.requireNonNull(claims, "claims == null");
    Objects.requireNonNull(dueAt, "dueAt == null");
    Objects.requireNonNull(now, "now == null");
    for (ClaimedDelivery claim : claims) {
      Objects.requireNonNull(claim, "claims contains null");
    }
    if (claims.isEmpty()) {
      return List.of();
    }
    long at = Nanos.of(now);
    long due = Nanos.of(dueAt);
    floor.lower(due);
    int[] order = byDeliveryId(claims.size(), i -> claims.get(i).deliveryId());
    return transaction(
        "release",
        c -> {
          int[] counts =
              counted(
                  c,
                  sql.release,
                  order.length,
                  (ps, k) -> {
                    ps.setLong(1, due);
                    ps.setLong(2, at);
                    bindClaim(ps, 3, claims.get(order[k]));
                  });
          return inGivenOrder(counts, order);
        });
  }

  /** Whether each row counted, by position in the caller's list, from counts in {@code order}. */
  private static List<Boolean> inGivenOrder(int[] counts, int[] order) {
    Boolean[] result = new Boolean[order.length];
    for (int k = 0; k < order.length; k++) {
      result[order[k]] = counts[k] > 0;
    }
    return List.of(result);
  }

  /** Binds the ten columns of an attempt, from parameter {@code from} on. */
  private static void bindAttempt(PreparedStatement ps, int from, AttemptRecord a)
      throws SQLException {
    ps.setString(from, a.deliveryId());
    ps.setString(from + 1, a.endpointId());
    ps.setString(from + 2, a.eventId());
    ps.setInt(from + 3, a.attemptNumber());
    ps.setLong(from + 4, Nanos.of(a.startedAt()));
    ps.setLong(from + 5, Nanos.of(a.latency()));
    ps.setString(from + 6, a.outcome().name());
    ps.setInt(from + 7, a.status());
    if (a.error().isPresent()) {
      ps.setString(from + 8, text(a.error().get()));
    } else {
      ps.setNull(from + 8, Types.VARCHAR);
    }
    ps.setString(from + 9, text(a.responseSnippet()));
  }

  private static void bindClaim(PreparedStatement ps, int from, ClaimedDelivery claim)
      throws SQLException {
    ps.setString(from, claim.deliveryId());
    ps.setString(from + 1, claim.leaseOwner());
    ps.setLong(from + 2, claim.claimToken());
  }

  /**
   * Returns the positions {@code 0..n-1} ordered by delivery id, keeping the given order among
   * equal ids. Rows are locked in that order, so that two calls never wait on each other in a
   * circle; and the outcome is that of the given order, as only rows of one delivery interact.
   */
  private static int[] byDeliveryId(int n, java.util.function.IntFunction<String> id) {
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparing(id::apply)); // stable
    int[] result = new int[n];
    for (int i = 0; i < n; i++) {
      result[i] = order[i];
    }
    return result;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here that is the earlier of the earliest expiry of a lease that has not expired at {@code
   * now}, and the earliest due time of a delivery a claim could take (the first of its ordering
   * group, none of which is leased at {@code now}); two index lookups.
   *
   * @param now the time against which leases are expired
   * @return the earliest due time, or empty if nothing is pending
   */
  @Override
  public Optional<Instant> nextDueAt(Instant now) {
    long at = Nanos.of(Objects.requireNonNull(now, "now == null"));
    return read(
        "find the next due time",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.nextDue)) {
            long from = floor.current();
            for (int p = 1; p <= sql.nextDueParameters; p++) {
              ps.setLong(p, sql.nextDueFloors.contains(p) ? from : at);
            }
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              long lease = rs.getLong(1);
              boolean noLease = rs.wasNull();
              long due = rs.getLong(2);
              boolean noDue = rs.wasNull();
              if (noLease && noDue) {
                return Optional.empty();
              }
              long earliest = noLease ? due : noDue ? lease : Math.min(lease, due);
              return Optional.of(Nanos.instant(earliest));
            }
          }
        });
  }

  // ---------------------------------------------------------------- queries

  /**
   * {@inheritDoc}
   *
   * @param deliveryId the delivery's id
   * @return the delivery, or empty if unknown
   */
  @Override
  public Optional<DeliveryRecord> delivery(String deliveryId) {
    Objects.requireNonNull(deliveryId, "deliveryId == null");
    return read(
        "read delivery",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.delivery)) {
            ps.setString(1, deliveryId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(record(rs)) : Optional.empty();
            }
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Newest by {@code createdAt}; among deliveries created at the same time, by {@code
   * deliveryId} descending, by code point (PostgreSQL compares them {@code COLLATE "C"}, MariaDB
   * by the tables' {@code utf8mb4_bin}, H2 as {@link String#compareTo} does). Every filter is a
   * bound parameter. See {@link DeliveryQuery} for which filters the indexes serve.
   *
   * @param query the selection
   * @return the deliveries, an immutable list
   */
  @Override
  public List<DeliveryRecord> deliveries(DeliveryQuery query) {
    Objects.requireNonNull(query, "query == null");
    String statement = sql.deliveries(query);
    return read(
        "query deliveries",
        c -> {
          List<DeliveryRecord> records = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(statement)) {
            int p = 1;
            ps.setLong(p++, Nanos.of(query.createdSince()));
            if (query.createdBefore().isPresent()) {
              ps.setLong(p++, Nanos.of(query.createdBefore().get()));
            }
            if (query.after().isPresent()) {
              DeliveryQuery.Cursor after = query.after().get();
              ps.setLong(p++, Nanos.of(after.createdAt()));
              ps.setLong(p++, Nanos.of(after.createdAt()));
              ps.setString(p++, after.deliveryId());
            }
            if (query.endpointId().isPresent()) {
              ps.setString(p++, query.endpointId().get());
            }
            if (query.eventId().isPresent()) {
              ps.setString(p++, query.eventId().get());
            }
            if (query.eventType().isPresent()) {
              ps.setString(p++, query.eventType().get());
            }
            ps.setInt(p, query.limit());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                records.add(record(rs));
              }
            }
          }
          return List.copyOf(records);
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Attempts that started at the same time are listed by delivery, in enqueue order.
   *
   * @param eventId the event's id
   * @return the attempts, an immutable list
   */
  @Override
  public List<AttemptRecord> attemptsForEvent(String eventId) {
    Objects.requireNonNull(eventId, "eventId == null");
    return read(
        "read attempts",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.attemptsForEvent)) {
            ps.setString(1, eventId);
            return attempts(ps);
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Attempts that started at the same time are listed by delivery, in enqueue order.
   *
   * @param endpointId the endpoint
   * @param since the earliest start time
   * @param limit the most to return
   * @return the attempts, an immutable list
   * @throws IllegalArgumentException if {@code limit} is negative
   */
  @Override
  public List<AttemptRecord> attemptsForEndpoint(String endpointId, Instant since, int limit) {
    Objects.requireNonNull(endpointId, "endpointId == null");
    Objects.requireNonNull(since, "since == null");
    if (limit < 0) {
      throw new IllegalArgumentException("limit < 0: " + limit);
    }
    if (limit == 0) {
      return List.of();
    }
    return read(
        "read attempts",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.attemptsForEndpoint)) {
            ps.setString(1, endpointId);
            ps.setLong(2, Nanos.of(since));
            ps.setInt(3, limit);
            return attempts(ps);
          }
        });
  }

  private static List<AttemptRecord> attempts(PreparedStatement ps) throws SQLException {
    List<AttemptRecord> attempts = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        attempts.add(attempt(rs, 1));
      }
    }
    return List.copyOf(attempts);
  }

  /** Reads a delivery record from the columns of {@code Sql.RECORD_COLUMNS}. */
  private static DeliveryRecord record(ResultSet rs) throws SQLException {
    String id = rs.getString(1);
    String endpointId = rs.getString(2);
    String eventId = rs.getString(3);
    String eventType = rs.getString(4);
    DeliveryState state = DeliveryState.valueOf(rs.getString(5));
    int attempts = rs.getInt(6);
    Instant createdAt = Nanos.instant(rs.getLong(7));
    Instant dueAt = Nanos.instant(rs.getLong(8));
    Instant updatedAt = Nanos.instant(rs.getLong(9));
    rs.getLong(10);
    Optional<AttemptRecord> last = rs.wasNull() ? Optional.empty() : Optional.of(attempt(rs, 11));
    return new DeliveryRecord(
        id, endpointId, eventId, eventType, state, attempts, createdAt, dueAt, updatedAt, last);
  }

  /** Reads an attempt from ten columns, starting at {@code from}. */
  private static AttemptRecord attempt(ResultSet rs, int from) throws SQLException {
    return new AttemptRecord(
        rs.getString(from),
        rs.getString(from + 1),
        rs.getString(from + 2),
        rs.getInt(from + 3),
        Nanos.instant(rs.getLong(from + 4)),
        Duration.ofNanos(rs.getLong(from + 5)),
        AttemptOutcome.valueOf(rs.getString(from + 6)),
        rs.getInt(from + 7),
        Optional.ofNullable(rs.getString(from + 8)),
        rs.getString(from + 9));
  }

  // ---------------------------------------------------------------- replay, count, prune

  /**
   * {@inheritDoc}
   *
   * <p>The revived deliveries keep their last attempt in {@link DeliveryRecord#lastAttempt()},
   * and their place (their {@code seq}) among the deliveries with their ordering key; their
   * {@code updatedAt} becomes {@code now}.
   *
   * @param deliveryIds the deliveries; those not dead (or unknown) are left alone
   * @param now when they are due
   * @return how many were revived
   */
  @Override
  public int replay(List<String> deliveryIds, Instant now) {
    Objects.requireNonNull(deliveryIds, "deliveryIds == null");
    Objects.requireNonNull(now, "now == null");
    for (String id : deliveryIds) {
      Objects.requireNonNull(id, "deliveryIds contains null");
    }
    if (deliveryIds.isEmpty()) {
      return 0;
    }
    long at = Nanos.of(now);
    floor.lower(at);
    int[] order = byDeliveryId(deliveryIds.size(), deliveryIds::get);
    return transaction(
        "replay",
        c -> {
          int[] counts =
              counted(
                  c,
                  sql.replay,
                  order.length,
                  (ps, k) -> {
                    ps.setLong(1, at);
                    ps.setLong(2, at);
                    ps.setString(3, deliveryIds.get(order[k]));
                  });
          int revived = 0;
          for (int count : counts) {
            revived += count > 0 ? 1 : 0;
          }
          return revived;
        });
  }

  /**
   * {@inheritDoc}
   *
   * @param state the state
   * @return the count
   */
  @Override
  public long count(DeliveryState state) {
    Objects.requireNonNull(state, "state == null");
    return read(
        "count deliveries",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.count(state))) {
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>"Last updated" is the {@code now} of the completion. Messages are deleted once no
   * delivery names them and their {@code createdAt} is before the cut-off. The work is done
   * in transactions of 500 deliveries, oldest first, so that it never holds
   * many locks for long; if one fails, those before it stay done.
   *
   * @param updatedBefore the cut-off
   * @return how many deliveries were deleted
   */
  @Override
  public int prune(Instant updatedBefore, int limit) {
    Objects.requireNonNull(updatedBefore, "updatedBefore == null");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    long cutOff = Nanos.of(updatedBefore);
    int pruned = 0;
    int[] round = new int[2];
    do {
      int chunk = Math.min(PRUNE_CHUNK, limit - pruned);
      transaction(
          "prune",
          true,
          c -> {
            List<String> ids = ids(c, sql.succeededBefore, cutOff, chunk);
            round[0] = ids.size() == chunk ? 1 : 0;
            round[1] = ids.isEmpty() ? 0 : deleteDeliveries(c, ids);
            return null;
          });
      pruned += round[1];
    } while (round[0] == 1 && pruned < limit);
    do {
      transaction(
          "prune",
          true,
          c -> {
            List<String> ids = ids(c, sql.orphanMessages, cutOff, PRUNE_CHUNK);
            round[0] = ids.size();
            if (!ids.isEmpty()) {
              try (PreparedStatement ps = c.prepareStatement(sql.deleteOrphanMessages(ids.size()))) {
                bindAll(ps, ids);
                ps.executeUpdate();
              }
            }
            return null;
          });
    } while (round[0] == PRUNE_CHUNK);
    return pruned;
  }

  private int deleteDeliveries(Connection c, List<String> ids) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.deleteAttempts(ids.size()))) {
      bindAll(ps, ids);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(sql.deleteSucceeded(ids.size()))) {
      bindAll(ps, ids);
      return ps.executeUpdate();
    }
  }

  /** Runs a query for ids with two parameters: a time and how many rows at most. */
  private static List<String> ids(Connection c, String query, long time, int max)
      throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(query)) {
      ps.setLong(1, time);
      ps.setInt(2, max);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  private static void bindAll(PreparedStatement ps, List<String> values) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      ps.setString(i + 1, values.get(i));
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>On PostgreSQL with {@link Builder#notifications(boolean) notifications} (the default where
   * the driver is pgjdbc), every enqueue notifies in its own transaction, and this listens: while
   * at least one wake-up is registered, a daemon thread holds one connection of the data source
   * and calls the wake-ups when another store object (another node) or a host's transaction
   * enqueues. Elsewhere it registers nothing.
   *
   * @param wake what to call when work may have arrived
   * @return a handle that unregisters {@code wake}; closing the last one stops the thread and
   *     gives its connection back before it returns
   */
  @Override
  public AutoCloseable onRemoteWork(Runnable wake) {
    Objects.requireNonNull(wake, "wake == null");
    return notifications.isPresent() ? notifications.get().register(wake) : () -> {};
  }

  /**
   * Does nothing: the data source belongs to the host, and a thread listening for other nodes'
   * work ends when the last dispatcher using it closes.
   */
  @Override
  public void close() {}

  /**
   * Describes the store by its dialect and table prefix.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    return "JdbcDeliveryStore[" + sql.dialect + ", prefix=" + sql.prefix + "]";
  }

  // ---------------------------------------------------------------- connections

  /** Work on a connection. */
  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Binds the parameters of one row of a batch. */
  @FunctionalInterface
  private interface RowBinder {
    void bind(PreparedStatement ps, int row) throws SQLException;
  }

  /**
   * Runs work in a transaction of its own: commits if it returns, rolls back if it throws. The
   * connection's auto-commit mode is restored before it goes back to the pool.
   */
  private <T> T transaction(String operation, Work<T> work) {
    return transaction(operation, false, work);
  }

  /**
   * Runs work in a transaction of its own, READ COMMITTED on MariaDB if asked (InnoDB's default,
   * REPEATABLE READ, would lock the gaps between the rows a locking read scans).
   */
  private <T> T transaction(String operation, boolean readCommitted, Work<T> work) {
    try {
      try {
        return inTransaction(readCommitted, work);
      } catch (BatchWithoutCounts e) {
        // Rolled back; batchCounts is now false, so the rows run one by one.
        return inTransaction(readCommitted, work);
      }
    } catch (SQLException e) {
      throw failure(operation, e);
    }
  }

  private <T> T inTransaction(boolean readCommitted, Work<T> work) throws SQLException {
    Connection c = dataSource.getConnection();
    boolean committed = false;
    try {
      boolean autoCommit = c.getAutoCommit();
      if (autoCommit) {
        c.setAutoCommit(false);
      }
      try {
        T result =
            commitOrRollBack(
                c,
                connection -> {
                  if (readCommitted && sql.dialect == JdbcDialect.MARIADB) {
                    // For the next transaction only: nothing to restore afterwards.
                    try (Statement s = connection.createStatement()) {
                      s.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
                    }
                  }
                  return work.run(connection);
                });
        committed = true;
        return result;
      } finally {
        if (autoCommit) {
          restoreAutoCommit(c, committed);
        }
      }
    } finally {
      close(c, committed);
    }
  }

  /** Runs work and commits; if either fails, rolls back and throws. */
  private static <T> T commitOrRollBack(Connection c, Work<T> work) throws SQLException {
    try {
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      try {
        c.rollback();
      } catch (SQLException r) {
        e.addSuppressed(r);
      }
      throw e;
    }
  }

  /**
   * Turns auto-commit back on. After a commit, a failure here must not report the committed work
   * as failed: the connection is left to the pool, which discards broken ones.
   */
  private static void restoreAutoCommit(Connection c, boolean committed) throws SQLException {
    try {
      c.setAutoCommit(true);
    } catch (SQLException e) {
      if (!committed) {
        throw e;
      }
    }
  }

  private static void close(Connection c, boolean committed) throws SQLException {
    try {
      c.close();
    } catch (SQLException e) {
      if (!committed) {
        throw e;
      }
    }
  }

  /**
   * Runs work that is a single statement in auto-commit mode, where the statement is its own
   * transaction: one round trip instead of three (the begin goes with the statement, but the
   * commit is another). Used on PostgreSQL, where one statement claims, enqueues or completes.
   * If the pool lends connections with auto-commit off, the work is committed as usual.
   */
  private <T> T statement(String operation, Work<T> work) {
    try {
      return inStatement(work);
    } catch (SQLException e) {
      throw failure(operation, e);
    }
  }

  private <T> T inStatement(Work<T> work) throws SQLException {
    Connection c = dataSource.getConnection();
    boolean done = false;
    try {
      T result = c.getAutoCommit() ? work.run(c) : commitOrRollBack(c, work);
      done = true;
      return result;
    } finally {
      close(c, done);
    }
  }

  /** The array parameters of one statement, freed together. */
  private static final class ArrayParameters {
    private final Connection connection;
    private final List<Array> made = new ArrayList<>();

    ArrayParameters(Connection connection) {
      this.connection = connection;
    }

    Array of(String type, Object[] elements) throws SQLException {
      Array array = connection.createArrayOf(type, elements);
      made.add(array);
      return array;
    }

    void free() throws SQLException {
      for (Array array : made) {
        array.free();
      }
    }
  }

  /** Runs reads on a connection; ends any transaction the pool's settings began. */
  private <T> T read(String operation, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      T result = work.run(c);
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      return result;
    } catch (SQLException e) {
      throw failure(operation, e);
    }
  }

  /**
   * Runs an update for many rows, as one batch where the driver tells each row's count, and
   * returns the counts.
   */
  private int[] counted(Connection c, String statement, int rows, RowBinder binder)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      if (rows == 1 || !batchCounts) {
        int[] counts = new int[rows];
        for (int i = 0; i < rows; i++) {
          binder.bind(ps, i);
          counts[i] = ps.executeUpdate();
        }
        return counts;
      }
      for (int i = 0; i < rows; i++) {
        binder.bind(ps, i);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int count : counts) {
        if (count == Statement.SUCCESS_NO_INFO) {
          batchCounts = false;
          throw new BatchWithoutCounts();
        }
      }
      return counts;
    }
  }

  /** The driver ran a batch without telling which rows it changed; the work runs again. */
  private static final class BatchWithoutCounts extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BatchWithoutCounts() {
      super(null, null, false, false);
    }
  }

  private StoreException failure(String operation, SQLException e) {
    return new StoreException(
        operation + " failed (" + sql.dialect + ", " + sql.prefix + "* tables): " + e.getMessage(),
        e);
  }

  private static void checkLength(String what, String value) {
    if (value.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(
          what + " longer than " + MAX_ID_LENGTH + " characters: " + value.substring(0, 40) + "...");
    }
  }

  /** Text as every database keeps it: PostgreSQL refuses NUL characters, so they are replaced. */
  private static String text(String s) {
    return s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
  }

  /** A delivery row read for a claim, with its message once known. */
  private static final class Candidate {
    long seq;
    String id;
    String endpointId;
    String messageId;
    String orderingKey;
    int attempts;
    long createdAt;
    long dueAt;
    long token;
    String eventId;
    String eventType;
    byte[] body;
    String traceContext;

    ClaimedDelivery claimed(String owner, Instant until, long claimToken) {
      return new ClaimedDelivery(
          id,
          endpointId,
          eventId,
          eventType,
          body,
          Optional.ofNullable(orderingKey),
          Optional.ofNullable(traceContext),
          attempts,
          Nanos.instant(createdAt),
          Nanos.instant(dueAt),
          owner,
          until,
          claimToken);
    }
  }

  // ---------------------------------------------------------------- builder

  /**
   * Builds a {@link JdbcDeliveryStore}. Mutable and not thread-safe.
   */
  public static final class Builder {
    private final DataSource dataSource;
    private JdbcDialect dialect;
    private String tablePrefix = "hookwire_";
    private boolean createSchema = true;
    private boolean notifications = true;
    private Duration notificationSpacing = PgNotifications.SPACING;
    private boolean asyncCommit = true;

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * Sets the SQL dialect. Default: detected from the database's product name (H2,
     * PostgreSQL, MariaDB; MySQL gets {@link JdbcDialect#MARIADB}).
     *
     * @param dialect the dialect
     * @return this builder
     */
    public Builder dialect(JdbcDialect dialect) {
      this.dialect = Objects.requireNonNull(dialect, "dialect == null");
      return this;
    }

    /**
     * Sets the prefix of the table names, so that several stores (or other applications) can
     * share a schema. Default: {@code hookwire_}.
     *
     * @param tablePrefix lower-case letters, digits and underscores, starting with a letter, at
     *     most 32 characters; or empty
     * @return this builder
     * @throws IllegalArgumentException if the prefix is not of that form
     */
    public Builder tablePrefix(String tablePrefix) {
      this.tablePrefix = Sql.checkPrefix(tablePrefix);
      return this;
    }

    /**
     * Sets whether {@link #build()} creates the tables when they are missing, and upgrades them
     * when they are at an earlier schema version. Default: true. Turn it off where the schema is
     * managed by migrations copied from {@link JdbcDialect#schemaScript(String)} and {@link
     * JdbcDialect#upgradeScript(String, int)}; {@link #build()} then only checks that the tables
     * are there, at the right version.
     *
     * @param createSchema whether to create the tables
     * @return this builder
     */
    public Builder createSchema(boolean createSchema) {
      this.createSchema = createSchema;
      return this;
    }

    /**
     * Sets whether nodes wake each other when they enqueue, instead of waiting for their next
     * poll ({@code Dispatcher.Builder.pollInterval}). Default: true, which takes effect on
     * PostgreSQL when the data source's connections unwrap to the PostgreSQL JDBC driver's
     * {@code org.postgresql.PGConnection} (pgjdbc, directly or through a pool such as HikariCP);
     * on other databases and drivers it does nothing, and nodes poll.
     *
     * <p>When on, an enqueue runs {@code NOTIFY} on a channel named after the deliveries table
     * ({@code hookwire_deliveries} by default) in its own transaction, which PostgreSQL sends
     * when the transaction commits, once however many events it holds. Since PostgreSQL holds
     * one lock per database from the commit of a transaction that notifies until its WAL is
     * flushed (such commits take turns instead of sharing a flush), a store object notifies in
     * its enqueues at most once every 20 ms; an enqueue that did not is followed, once committed,
     * by a notification in a transaction of its own when the 20 ms are up. An enqueue through the
     * host's transaction ({@link #enqueue(Connection, List, List)}) always notifies in that
     * transaction, so it wakes every node, this one too, and only if it commits. A dispatcher on
     * the store listens on one connection of the data source that it holds while it runs, on a
     * daemon thread, and claims at once when notified; it keeps polling, so a notification
     * missed (a connection lost and taken again) costs at most a poll interval, never a
     * delivery. A single node wakes itself, and needs notifications only for the transactional
     * outbox; off, it saves the held connection and the notifications.
     *
     * @param notifications whether to notify and listen
     * @return this builder
     */
    public Builder notifications(boolean notifications) {
      this.notifications = notifications;
      return this;
    }

    /** For tests: the least time between two notifications in the store's own enqueues. */
    Builder notificationSpacing(Duration spacing) {
      this.notificationSpacing = Objects.requireNonNull(spacing, "spacing == null");
      return this;
    }

    /**
     * Sets whether, on PostgreSQL, claims and the completions that log an attempt commit
     * asynchronously: each such statement sets {@code synchronous_commit} off for its own
     * transaction, so its commit returns before its WAL reaches the disk (PostgreSQL writes it
     * within {@code wal_writer_delay}, 200 ms by default, flushed at the latest three times that
     * later). Default: true. Enqueues always commit as the server is configured (durably, by
     * default): an event is never lost once {@code send} or {@link #enqueue} has returned, and a
     * commit that waits for the disk also flushes every asynchronous commit before it. Other
     * databases ignore this setting.
     *
     * <p>What a crash of the database server (or of its machine) may cost, for the claims and
     * completions committed in its last fraction of a second, up to about {@code 3 ×
     * wal_writer_delay}: a claim that is lost leaves its delivery pending and free, so a node may
     * claim and send it again while the node that claimed it first is still sending it; a
     * completion that is lost leaves its delivery pending (under the claim's lease, or free if
     * that claim was lost too) with one attempt fewer logged, so it is sent again once the lease
     * expires. Either way an event is delivered again, never lost: at-least-once delivery, which
     * receivers already de-duplicate by webhook id. Claim tokens drawn in those transactions may
     * be drawn again after the crash. A crash of a dispatcher node costs what it always did (its
     * leases run out and its deliveries are sent again); so does any failure that leaves the
     * database server running.
     *
     * @param asyncCommit whether claims and completions commit without waiting for the disk
     * @return this builder
     */
    public Builder asyncCommit(boolean asyncCommit) {
      this.asyncCommit = asyncCommit;
      return this;
    }

    /**
     * Builds the store. Connects once: to detect the dialect if none was set, and to check the
     * tables, creating them if they are missing, or upgrading them if they are at an earlier
     * version, when {@link #createSchema(boolean)} allows. Several nodes may build stores on one
     * database at once: each creation statement may run again, and one that trips over another
     * node's runs again; upgrades take turns, on a lock that an upgrade holds on a second
     * connection from the data source.
     *
     * @return the store, thread-safe
     * @throws IllegalStateException if the dialect cannot be detected, or the tables are
     *     missing or at another schema version and may not be created or upgraded (the message
     *     names the script to run)
     * @throws StoreException if the database cannot be reached or the tables cannot be created
     *     or upgraded
     */
    public JdbcDeliveryStore build() {
      try {
        return AutoCommit.setUp(
            dataSource,
            dialect,
            (c, d) -> {
              Sql sql = new Sql(d, tablePrefix, asyncCommit);
              Schema.ensure(c, dataSource, sql, createSchema);
              return new JdbcDeliveryStore(dataSource, sql,
                  PgNotifications.of(notifications, d, c, dataSource, tablePrefix,
                      notificationSpacing));
            });
      } catch (SQLException e) {
        throw new StoreException(
            "create schema failed (" + tablePrefix + "* tables): " + e.getMessage(), e);
      }
    }
  }
}
