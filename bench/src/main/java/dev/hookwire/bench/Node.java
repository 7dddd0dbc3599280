package dev.hookwire.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import dev.hookwire.transport.OkHttpTransport;
import dev.hookwire.transport.Transport;
import dev.hookwire.transport.TransportRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dispatcher node in a JVM of its own, for the crash and contention runs: a {@link Dispatcher}
 * on {@link JdbcDeliveryStore} over PostgreSQL (the tables of a given prefix and the endpoints
 * stored there), which names itself in {@link Receiver#NODE_HEADER} on every request, so that the
 * receiver can tell which node sent what. Its sessions carry the node id as application name.
 * Prints {@code READY} once started; closes its dispatcher and exits when its standard input
 * closes, so it also ends when the parent dies.
 *
 * <p>Arguments: {@code --node id --prefix p --concurrency 64 --lease-ms 5000 --poll-ms 100
 * --notify on|off --pg-url jdbc:postgresql://...}.
 */
public final class Node {
  private Node() {}

  /** Starts a node JVM and waits until its dispatcher has started. */
  static ChildJvm start(String nodeId, String url, String prefix, int concurrency, Duration lease,
      boolean notify) throws IOException {
    return ChildJvm.start(List.of("-Xms256m", "-Xmx256m"), Node.class, List.of(
        "--node", nodeId, "--prefix", prefix, "--concurrency", Integer.toString(concurrency),
        "--lease-ms", Long.toString(lease.toMillis()), "--notify", notify ? "on" : "off",
        "--pg-url", url), "READY");
  }

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    String nodeId = a.required("node");
    int concurrency = a.integer("concurrency", 64);
    Duration lease = Duration.ofMillis(a.integer("lease-ms", 5000));
    try (HikariDataSource pool = Pg.pool(a.string("pg-url", Pg.DEFAULT_URL), 4, nodeId, true);
        OkHttpTransport http = OkHttpTransport.builder()
            .networkPolicy(Bench.LOOPBACK)
            .maxIdleConnections(Math.max(concurrency, 5))
            .build()) {
      Transport named = request -> http.send(named(request, nodeId));
      Dispatcher dispatcher = Dispatcher.builder()
          .store(JdbcDeliveryStore.builder(pool).tablePrefix(a.required("prefix"))
              .notifications(a.string("notify", "on").equals("on")).build())
          .transport(named)
          .networkPolicy(Bench.LOOPBACK)
          .nodeId(nodeId)
          .lease(lease)
          // A lease must outlast any request: a request still running when its lease expires
          // could be sent again by another node.
          .timeout(lease.dividedBy(2))
          .pollInterval(Duration.ofMillis(a.integer("poll-ms", 100)))
          .maxInFlight(concurrency)
          .maxInFlightPerEndpoint(concurrency)
          .build()
          .start();
      System.out.println("READY " + nodeId);
      System.out.flush();
      while (System.in.read() != -1) {
        // Runs until the parent closes our input, or dies.
      }
      dispatcher.close(Duration.ofSeconds(10));
    }
    System.exit(0);
  }

  private static TransportRequest named(TransportRequest request, String nodeId) {
    Map<String, String> headers = new LinkedHashMap<>(request.headers());
    headers.put(Receiver.NODE_HEADER, nodeId);
    return new TransportRequest(request.method(), request.url(), headers, request.body(), request.timeout());
  }
}
