package dev.hookwire.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Receiver} in a child JVM on this jar's class path, so that its CPU time and heap are
 * its own. Closing it closes the child's stdin, which ends it.
 */
final class ReceiverProcess implements AutoCloseable {
  private final ChildJvm child;
  private final int port;
  private final HttpClient control =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private ReceiverProcess(ChildJvm child, int port) {
    this.child = child;
    this.port = port;
  }

  /** Starts a receiver JVM and waits until it listens. */
  static ReceiverProcess start(Receiver.Mode mode, String secret, String... extra) throws IOException {
    List<String> args = new ArrayList<>();
    args.add("--mode");
    args.add(mode.name().toLowerCase(java.util.Locale.ROOT));
    args.add("--secret");
    args.add(secret);
    args.addAll(List.of(extra));
    ChildJvm child = ChildJvm.start(List.of("-Xms512m", "-Xmx512m"), Receiver.class, args, "PORT ");
    return new ReceiverProcess(child, Integer.parseInt(child.readyLine().substring(5).trim()));
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  long pid() {
    return child.pid();
  }

  /** CPU time the receiver JVM has used so far, in nanoseconds. */
  long cpuNanos() {
    return child.cpuNanos();
  }

  Map<String, Long> stats() throws IOException {
    Map<String, Long> stats = new HashMap<>();
    for (String line : get("/stats").split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        stats.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim()));
      }
    }
    return stats;
  }

  /** Accepted count per webhook id. */
  Map<String, Integer> acceptedById() throws IOException {
    Map<String, Integer> ids = new HashMap<>();
    for (String line : get("/ids").split("\n")) {
      int sp = line.lastIndexOf(' ');
      if (sp > 0) {
        ids.put(line.substring(0, sp), Integer.parseInt(line.substring(sp + 1).trim()));
      }
    }
    return ids;
  }

  /**
   * The deliveries accepted more than once, each with the nodes that sent it, in the order they
   * were accepted (requests that named a node, see {@link Receiver#NODE_HEADER}).
   */
  Map<String, List<String>> duplicates() throws IOException {
    Map<String, List<String>> dups = new HashMap<>();
    for (String line : get("/dups").split("\n")) {
      int sp = line.lastIndexOf(' ');
      if (sp > 0) {
        dups.put(line.substring(0, sp), List.of(line.substring(sp + 1).trim().split(",")));
      }
    }
    return dups;
  }

  /** Accepted deliveries per node, from {@link #stats()}. */
  Map<String, Long> acceptedByNode() throws IOException {
    Map<String, Long> byNode = new java.util.TreeMap<>();
    stats().forEach((name, n) -> {
      if (name.startsWith("node.")) {
        byNode.put(name.substring(5), n);
      }
    });
    return byNode;
  }

  void reset() throws IOException {
    send(HttpRequest.newBuilder(URI.create(url() + "/reset")).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  private String get(String path) throws IOException {
    return send(HttpRequest.newBuilder(URI.create(url() + path)).GET().build());
  }

  private String send(HttpRequest request) throws IOException {
    try {
      return control.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Override
  public void close() {
    child.close();
  }
}
