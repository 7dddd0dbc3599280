package dev.hookwire.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the crash and contention runs share: one PostgreSQL store (the tables of a fresh prefix),
 * dispatcher {@link Node}s in JVMs of their own that deliver from it, a producer in this JVM
 * that registers endpoints and sends events into it but is never started (it delivers nothing),
 * and the receiver, a JVM of its own, counting by path and webhook id and by node.
 */
final class Cluster implements AutoCloseable {
  final String url;
  final String prefix = Pg.freshPrefix();
  final ReceiverProcess receiver;
  private final boolean notify;
  final Dispatcher producer;
  private final HikariDataSource pool;
  private final JdbcDeliveryStore store;
  private final int concurrency;
  private final Duration lease;
  private final Map<String, ChildJvm> nodes = new LinkedHashMap<>();

  /**
   * Creates the tables and one endpoint per path on the receiver; {@code senders} is the number
   * of threads that will send (the producer's pool has a connection for each).
   */
  Cluster(String url, List<String> paths, int concurrency, Duration lease, int senders)
      throws Exception {
    this(url, paths, concurrency, lease, senders, true);
  }

  /** As above; {@code notify}: whether the producer and the nodes notify and listen. */
  Cluster(String url, List<String> paths, int concurrency, Duration lease, int senders,
      boolean notify)
      throws Exception {
    this.url = url;
    this.concurrency = concurrency;
    this.lease = lease;
    String secret = Secrets.newStandardSecret();
    this.receiver = ReceiverProcess.start(Receiver.Mode.OK, secret, "--per-path");
    this.pool = Pg.pool(url, senders + 2, "hwbench-producer", true);
    this.store = JdbcDeliveryStore.builder(pool).tablePrefix(prefix).notifications(notify).build();
    this.notify = notify;
    this.producer = Dispatcher.builder().store(store).networkPolicy(Bench.LOOPBACK).build();
    for (String path : paths) {
      producer.register(Endpoint.builder(receiver.url() + path)
          .signing(SignatureScheme.standardWebhooks(), secret)
          .verifyOnRegistration(false)
          .build());
    }
  }

  /** Starts a node and waits until it is ready. */
  void start(String nodeId) throws Exception {
    nodes.put(nodeId, Node.start(nodeId, url, prefix, concurrency, lease, notify));
  }

  List<String> live() {
    return new ArrayList<>(nodes.keySet());
  }

  /**
   * Kills a node with SIGKILL and waits until the server has ended its sessions (finishing or
   * rolling back what they were doing); returns how many deliveries it then still held leased:
   * its deliveries in flight at the kill.
   */
  long kill(String nodeId) throws Exception {
    int exit = nodes.remove(nodeId).kill();
    if (exit != 137) {
      throw new IllegalStateException(nodeId + " ended with " + exit + ", not by SIGKILL");
    }
    Pg.awaitSessionsGone(pool, nodeId, Duration.ofSeconds(30));
    return Pg.count(pool, "SELECT COUNT(*) FROM " + prefix + "deliveries"
        + " WHERE state = 'PENDING' AND lease_owner = '" + nodeId + "'");
  }

  /** Stops every node cleanly (each finishes what it has in flight). */
  void stopAll() throws InterruptedException {
    for (Map.Entry<String, ChildJvm> node : nodes.entrySet()) {
      int exit = node.getValue().stop(Duration.ofSeconds(30));
      if (exit != 0) {
        throw new IllegalStateException(node.getKey() + " exited with " + exit);
      }
    }
    nodes.clear();
  }

  long cpuNanosOfNodes() {
    return nodes.values().stream().mapToLong(ChildJvm::cpuNanos).sum();
  }

  /** CPU time of the database server's processes working for this cluster (and its own). */
  long serverCpuNanos() throws Exception {
    return Pg.serverCpuNanos(pool, prefix, "hwbench-producer");
  }

  long count(DeliveryState state) {
    return store.count(state);
  }

  long attempts() throws Exception {
    return Pg.count(pool, "SELECT COUNT(*) FROM " + prefix + "attempts");
  }

  /**
   * Waits until {@code deliveries} are recorded as succeeded and the receiver has accepted at
   * least as many; fails after {@code timeout} or if every node has died.
   */
  void awaitDelivered(long deliveries, Duration timeout) throws Exception {
    awaitDelivered(deliveries, deliveries, timeout);
  }

  /**
   * Waits until {@code recorded} deliveries in all are recorded as succeeded and the receiver has
   * accepted at least {@code accepted} since its last reset.
   */
  void awaitDelivered(long recorded, long accepted, Duration timeout) throws Exception {
    long deliveries = recorded;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count(DeliveryState.SUCCEEDED) < recorded
        || receiver.stats().get("accepted") < accepted) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not delivered within " + timeout + ": "
            + count(DeliveryState.SUCCEEDED) + " of " + deliveries + " recorded, receiver " + receiver.stats());
      }
      if (nodes.values().stream().noneMatch(ChildJvm::alive)) {
        throw new IllegalStateException("every node has died");
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() throws java.sql.SQLException {
    nodes.values().forEach(ChildJvm::close);
    producer.close(Duration.ZERO);
    receiver.close();
    try {
      Pg.drop(pool, prefix);
    } finally {
      pool.close();
    }
  }
}
