package dev.hookwire.testing;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A JDBC store on a database server, shared by a test with {@link DispatcherNode}s in other
 * JVMs: tables of a fresh prefix; a producer, a dispatcher that registers endpoints and sends
 * events but is never started, so that it delivers nothing itself; and what the tables say.
 * Closing it drops the tables.
 *
 * <p>Thread-safe.
 */
public final class SharedStore implements AutoCloseable {
  private final Databases.Kind kind;
  private final TestDataSource database;
  private final String prefix;
  private final JdbcDeliveryStore store;
  private final Dispatcher producer;

  private SharedStore(Databases.Kind kind) {
    this.kind = kind;
    this.database = Databases.open(kind);
    this.prefix = Databases.uniquePrefix();
    this.store = JdbcDeliveryStore.builder(database).tablePrefix(prefix).build();
    this.producer =
        Dispatcher.builder().store(store).networkPolicy(TestTransports.LOOPBACK_ALLOWED).build();
  }

  /**
   * Creates the tables of a fresh prefix on a database server; skips the test (fails it in CI)
   * if the server cannot be reached.
   *
   * @param kind the server
   * @return the shared store
   */
  public static SharedStore create(Databases.Kind kind) {
    return new SharedStore(kind);
  }

  /**
   * Returns the tables' prefix.
   *
   * @return the prefix
   */
  public String prefix() {
    return prefix;
  }

  /**
   * Returns the database's kind.
   *
   * @return the kind
   */
  public Databases.Kind kind() {
    return kind;
  }

  /**
   * Registers an endpoint that takes every event, signed with the Standard Webhooks scheme.
   *
   * @param url where it receives
   * @param secret its signing secret
   */
  public void register(String url, String secret) {
    producer.register(
        Endpoint.builder(url).signing(SignatureScheme.standardWebhooks(), secret).build());
  }

  /**
   * Sends events, each stored (committed) when its {@code send} returns.
   *
   * @param events how many
   * @return their ids, in the order sent
   */
  public List<String> send(int events) {
    List<String> ids = new ArrayList<>(events);
    for (int i = 0; i < events; i++) {
      ids.add(producer.send(TestEvents.experienceStarted().toEvent()).eventId());
    }
    return ids;
  }

  /**
   * Counts the deliveries in a state.
   *
   * @param state the state
   * @return the count
   */
  public long count(DeliveryState state) {
    return store.count(state);
  }

  /**
   * Returns the events of the deliveries in a state.
   *
   * @param state the state
   * @return their event ids
   */
  public Set<String> eventIds(DeliveryState state) {
    return new LinkedHashSet<>(
        Databases.column(
            database,
            "SELECT m.event_id FROM " + prefix + "deliveries d JOIN " + prefix + "messages m"
                + " ON m.id = d.message_id WHERE d.state = '" + state.name() + "'"));
  }

  /**
   * Returns the events of the pending deliveries leased to a node.
   *
   * @param nodeId the node
   * @return their event ids
   */
  public Set<String> leasedEventIds(String nodeId) {
    return new LinkedHashSet<>(
        Databases.column(
            database,
            "SELECT m.event_id FROM " + prefix + "deliveries d JOIN " + prefix + "messages m"
                + " ON m.id = d.message_id WHERE d.state = 'PENDING' AND d.lease_owner = '"
                + nodeId + "'"));
  }

  /**
   * Counts the attempts logged.
   *
   * @return the count
   */
  public long attempts() {
    return Long.parseLong(
        Databases.column(database, "SELECT COUNT(*) FROM " + prefix + "attempts").get(0));
  }

  /**
   * Waits until a node has no session left on the server: after a node is killed, the server
   * ends its sessions once it notices, finishing (or rolling back) what they were doing. Only
   * then do the tables show all the node did. PostgreSQL only: nodes name their sessions.
   *
   * @param nodeId the node
   * @param signal re-checked on
   * @param timeout the bound
   */
  public void awaitSessionsGone(String nodeId, Signal signal, Duration timeout) {
    if (kind != Databases.Kind.POSTGRESQL) {
      throw new IllegalStateException("sessions are named on PostgreSQL only");
    }
    String query =
        "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = '" + nodeId + "'";
    signal.await(
        () -> Databases.column(database, query).get(0).equals("0"),
        timeout,
        () -> "sessions of " + nodeId + " still open");
  }

  /** Closes the producer and drops the tables. */
  @Override
  public void close() {
    producer.close(Duration.ZERO);
    Databases.drop(database, kind, prefix);
  }
}
