package dev.hookwire.testing;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import dev.hookwire.transport.OkHttpTransport;
import dev.hookwire.transport.Transport;
import dev.hookwire.transport.TransportRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A dispatcher in a JVM of its own, for tests of a node that dies and of nodes that share a
 * store. {@link #start} runs {@link #main} in a child JVM on this JVM's class path; the child runs
 * a {@link Dispatcher} on a {@link JdbcDeliveryStore} (the tables of a given prefix, the
 * endpoints stored there), names itself in the {@value #NODE_HEADER} header of every request, and
 * runs until its standard input closes. The child therefore also ends when the test JVM dies.
 *
 * <p>The handle kills the child with SIGKILL ({@link #kill()}), stops it cleanly ({@link
 * #stop()}), and on {@link #close()} makes sure it is gone, whatever happened before: tests close
 * every node they start.
 *
 * <p>Not thread-safe, but {@link #alive()} may be called from any thread.
 */
public final class DispatcherNode implements AutoCloseable {
  /** The request header that names the node that sent a request. */
  public static final String NODE_HEADER = "x-dispatcher-node";

  private static final Duration EXIT_WAIT = Duration.ofSeconds(20);

  private final String nodeId;
  private final Process process;
  private final Signal signal;
  private volatile boolean ready;

  private DispatcherNode(String nodeId, Process process, Signal signal) {
    this.nodeId = nodeId;
    this.process = process;
    this.signal = signal;
  }

  /**
   * Starts a node; does not wait for it to be ready (see {@link #awaitReady}), so that several
   * start side by side.
   *
   * @param nodeId the dispatcher's node id, which owns its leases and names it in requests
   * @param kind the database: a server, as the child must reach it too
   * @param prefix the store's table prefix; the tables and endpoints must exist
   * @param maxInFlight the node's cap on requests in flight, overall and per endpoint
   * @param lease how long the node's claims are leased
   * @param signal poked when the node prints a line or ends
   * @return the handle
   * @throws IOException if the JVM cannot be started
   */
  public static DispatcherNode start(
      String nodeId,
      Databases.Kind kind,
      String prefix,
      int maxInFlight,
      Duration lease,
      Signal signal)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String hosts = System.getProperty("jdk.net.hosts.file");
    if (hosts != null) {
      // The child resolves names as this JVM does: from the test hosts file, never DNS.
      command.add("-Djdk.net.hosts.file=" + hosts);
    }
    command.addAll(
        List.of(
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp",
            System.getProperty("java.class.path"),
            DispatcherNode.class.getName(),
            nodeId,
            kind.name(),
            prefix,
            Integer.toString(maxInFlight),
            Long.toString(lease.toMillis())));
    Process process = new ProcessBuilder(command).start();
    DispatcherNode node = new DispatcherNode(nodeId, process, signal);
    Thread reader = new Thread(node::readOutput, "node-" + nodeId + "-stdout");
    reader.setDaemon(true);
    reader.start();
    Thread errors = new Thread(node::copyErrors, "node-" + nodeId + "-stderr");
    errors.setDaemon(true);
    errors.start();
    process.onExit().thenRun(signal::poke);
    return node;
  }

  /**
   * Returns the node's id.
   *
   * @return the id
   */
  public String nodeId() {
    return nodeId;
  }

  /**
   * Returns whether the child JVM is running.
   *
   * @return whether it runs
   */
  public boolean alive() {
    return process.isAlive();
  }

  /**
   * Fails if the child JVM has ended, for conditions that must not wait on a dead node.
   *
   * @throws AssertionError if it has ended
   */
  public void requireAlive() {
    if (!process.isAlive()) {
      throw new AssertionError(
          "dispatcher node " + nodeId + " ended with exit code " + process.exitValue());
    }
  }

  /**
   * Waits until the node's dispatcher has started.
   *
   * @param timeout the bound
   * @throws AssertionError if it ends or does not start in time
   */
  public void awaitReady(Duration timeout) {
    signal.await(
        () -> {
          requireAlive();
          return ready;
        },
        timeout,
        () -> "dispatcher node " + nodeId + " not ready");
  }

  /**
   * Kills the child with SIGKILL, as a crash would, and waits until it is gone.
   *
   * @throws InterruptedException if interrupted while waiting
   * @throws AssertionError if it does not end, or ended otherwise than killed
   */
  public void kill() throws InterruptedException {
    requireAlive();
    process.destroyForcibly();
    if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("dispatcher node " + nodeId + " still runs after SIGKILL");
    }
    // 128 + 9: ended by SIGKILL, not by anything of its own.
    if (process.exitValue() != 137) {
      throw new AssertionError(
          "dispatcher node " + nodeId + " ended with " + process.exitValue() + ", not by SIGKILL");
    }
  }

  /**
   * Stops the node cleanly: closes its standard input, so that it closes its dispatcher (which
   * waits for requests in flight) and exits.
   *
   * @throws IOException if its input cannot be closed
   * @throws InterruptedException if interrupted while waiting
   * @throws AssertionError if it does not exit in time, or fails
   */
  public void stop() throws IOException, InterruptedException {
    requireAlive();
    process.getOutputStream().close();
    if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("dispatcher node " + nodeId + " did not stop");
    }
    if (process.exitValue() != 0) {
      throw new AssertionError("dispatcher node " + nodeId + " exited with " + process.exitValue());
    }
  }

  /** Kills the child if it still runs, and waits for it to be gone. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "DispatcherNode[" + nodeId + ", " + (process.isAlive() ? "running" : "ended") + "]";
  }

  /**
   * Copies the child's error output, its log included, to this JVM's {@code System.err}, each
   * line headed by the node id: it lands where the test's own output goes (with Surefire, the test
   * class's output file), not on the console of whoever runs the build.
   */
  private void copyErrors() {
    try (BufferedReader err =
        new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = err.readLine()) != null) {
        System.err.println("[node " + nodeId + "] " + line);
      }
    } catch (IOException e) {
      // The child is gone.
    }
  }

  private void readOutput() {
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.equals("READY")) {
          ready = true;
        }
        signal.poke();
      }
    } catch (IOException e) {
      // The child is gone.
    }
  }

  /**
   * The child: {@code <node id> <database kind> <table prefix> <max in flight> <lease ms>}. Prints
   * {@code READY} once its dispatcher has started; when its standard input closes, closes the
   * dispatcher and exits.
   *
   * @param args the arguments above
   * @throws Exception if the node cannot run
   */
  public static void main(String[] args) throws Exception {
    String nodeId = args[0];
    Databases.Kind kind = Databases.Kind.valueOf(args[1]);
    String prefix = args[2];
    int maxInFlight = Integer.parseInt(args[3]);
    Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
    Properties session = new Properties();
    if (kind == Databases.Kind.POSTGRESQL) {
      // Names the node's sessions, so that a test can tell when the server has ended them.
      session.setProperty("ApplicationName", nodeId);
    }
    TestDataSource database = Databases.openPrivate(kind, session);
    JdbcDeliveryStore store =
        JdbcDeliveryStore.builder(database).tablePrefix(prefix).createSchema(false).build();
    Transport http =
        OkHttpTransport.builder().networkPolicy(TestTransports.LOOPBACK_ALLOWED).build();
    Dispatcher dispatcher =
        Dispatcher.builder()
            .store(store)
            .transport(tagging(http, nodeId))
            .networkPolicy(TestTransports.LOOPBACK_ALLOWED)
            .nodeId(nodeId)
            .lease(lease)
            // A lease outlasts any request, or a request could be sent again while in flight.
            .timeout(lease.dividedBy(2))
            .maxInFlight(maxInFlight)
            .maxInFlightPerEndpoint(maxInFlight)
            .pollInterval(Duration.ofMillis(100))
            .build()
            .start();
    System.out.println("READY");
    System.out.flush();
    while (System.in.read() != -1) {
      // Runs until the parent closes our input, or dies.
    }
    dispatcher.close(Duration.ofSeconds(10));
    http.close();
    database.close();
    System.exit(0);
  }

  /**
   * Returns a transport that names a node in the {@value #NODE_HEADER} header of every request
   * and sends through another; closing it does not close the other. For dispatchers in the test's
   * own JVM that work beside {@link DispatcherNode}s.
   *
   * @param transport the transport that sends
   * @param nodeId the node to name
   * @return the tagging transport
   */
  public static Transport tagging(Transport transport, String nodeId) {
    return request -> transport.send(tagged(request, nodeId));
  }

  private static TransportRequest tagged(TransportRequest request, String nodeId) {
    Map<String, String> headers = new LinkedHashMap<>(request.headers());
    headers.put(NODE_HEADER, nodeId);
    return new TransportRequest(
        request.method(), request.url(), headers, request.body(), request.timeout());
  }
}
