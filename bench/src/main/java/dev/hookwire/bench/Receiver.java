package dev.hookwire.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.SignatureVerificationException;
import dev.hookwire.signature.Verifier;
import dev.hookwire.signature.WebhookHeaders;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The far side of the load runs: an HTTP server that takes webhooks, checks the Standard Webhooks
 * signature of every request and counts accepted deliveries per {@code webhook-id}.
 *
 * <p>Built on the JDK's {@code com.sun.net.httpserver} with a fixed pool of handler threads: no
 * dependency, keep-alive, and at a few thousand requests a second on loopback it costs less CPU
 * per request than the OkHttp client that calls it (the runs print both processes' CPU time per
 * request, so this can be checked). Nothing in a handler blocks except reading the request body:
 * late answers are written from a timer thread, held exchanges are parked in a queue.
 *
 * <p>Modes:
 *
 * <ul>
 *   <li>{@code ok}: 200 to every correctly signed request;
 *   <li>{@code never}: reads the request and never answers (the exchange is held open);
 *   <li>{@code chaos}: per request, 30% answer 500, 10% answer 200 after {@code --late-ms} (longer
 *       than the client's timeout; counted as accepted), 5% close the connection without an
 *       answer (not accepted), the rest answer 200.
 * </ul>
 *
 * A request whose signature does not verify is answered 401 and counted as a bad signature,
 * except under {@code /raw}: the unsigned baseline client posts there, and gets the same
 * verification work done (a well-formed signature that does not match) and the mode's answer.
 *
 * <p>A request may name the dispatcher node that sent it in {@value #NODE_HEADER} (the
 * multi-process runs set it): accepted deliveries are then also counted per node, and the nodes
 * of each delivery accepted more than once are kept in order.
 *
 * <p>Control: {@code GET /stats} answers {@code name=value} lines ({@code node.<id>=n} per node);
 * {@code GET /ids} answers one {@code webhook-id count} line per accepted id; {@code GET /dups}
 * one {@code webhook-id node,node,...} line per id accepted more than once; {@code POST /reset}
 * clears every count.
 *
 * <p>Run as its own JVM ({@code java -cp benchmarks.jar dev.hookwire.bench.Receiver --mode ok
 * --secret whsec_...}); it prints {@code PORT <n>} once listening. The harness mains start one
 * themselves through {@link ReceiverProcess}.
 */
public final class Receiver implements AutoCloseable {

  /** The request header in which a dispatcher node may name itself. */
  public static final String NODE_HEADER = "x-hookwire-node";

  /** What the receiver answers. */
  public enum Mode { OK, NEVER, CHAOS }

  /** Called on a handler thread for each accepted delivery, with {@link System#nanoTime()}. */
  public interface AcceptHook {
    void accepted(String webhookId, long receivedNanos);
  }

  private final Mode mode;
  private final Verifier verifier;
  private final com.standardwebhooks.Webhook reference;
  private final long lateMillis;
  private final HttpServer server;
  private final ExecutorService handlers;
  private final ScheduledExecutorService timer;
  private final AcceptHook hook;
  private final boolean perPath;

  private final ConcurrentHashMap<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> nodesById = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> byNode = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<HttpExchange> held = new ConcurrentLinkedQueue<>();
  private final LongAdder requests = new LongAdder();
  private final LongAdder acceptedTotal = new LongAdder();
  private final LongAdder badSignatures = new LongAdder();
  private final LongAdder referenceRejected = new LongAdder();
  private final LongAdder rawRequests = new LongAdder();
  private final LongAdder answered500 = new LongAdder();
  private final LongAdder answeredLate = new LongAdder();
  private final LongAdder aborted = new LongAdder();

  private Receiver(Builder b) throws IOException {
    this.mode = b.mode;
    this.verifier = SignatureScheme.standardWebhooks().verifier(b.secret);
    this.reference = b.referenceCheck ? referenceVerifier(b.secret) : null;
    this.lateMillis = b.lateMillis;
    this.hook = b.hook;
    this.perPath = b.perPath;
    // Small responses are written in one go; without this the JDK server leaves Nagle on.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    // The JDK server keeps at most 200 idle keep-alive connections by default and closes the
    // rest after their response; with hundreds of client connections that turns into stale
    // pooled connections on the client side. A receiver that keeps them measures the sender.
    if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
      System.setProperty("sun.net.httpserver.maxIdleConnections", Integer.toString(b.maxIdle));
    }
    this.handlers = Executors.newFixedThreadPool(b.threads, daemon("receiver-"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("receiver-late-"));
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 4096);
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts building a receiver. */
  public static Builder builder(Mode mode, String secret) {
    return new Builder(mode, secret);
  }

  /** The port it listens on, on the loopback address. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The base URL, without a trailing slash. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** How many deliveries it accepted, counting duplicates. */
  public long acceptedTotal() {
    return acceptedTotal.sum();
  }

  /** Requests whose signature did not verify (outside {@code /raw}). */
  public long badSignatures() {
    return badSignatures.sum();
  }

  /** Accepted count per webhook id; a live view. */
  public Map<String, AtomicInteger> acceptedById() {
    return accepted;
  }

  /** Clears every count. */
  public void reset() {
    accepted.clear();
    nodesById.clear();
    byNode.clear();
    for (LongAdder a : List.of(requests, acceptedTotal, badSignatures, referenceRejected,
        rawRequests, answered500, answeredLate, aborted)) {
      a.reset();
    }
  }

  /** The counters as {@code name=value} lines. */
  public String stats() {
    return "requests=" + requests.sum() + "\n"
        + "accepted=" + acceptedTotal.sum() + "\n"
        + "distinctAccepted=" + accepted.size() + "\n"
        + "badSignatures=" + badSignatures.sum() + "\n"
        + "referenceRejected=" + referenceRejected.sum() + "\n"
        + "rawRequests=" + rawRequests.sum() + "\n"
        + "answered500=" + answered500.sum() + "\n"
        + "answeredLate=" + answeredLate.sum() + "\n"
        + "aborted=" + aborted.sum() + "\n"
        + "held=" + held.size() + "\n"
        + nodeCounts();
  }

  private String nodeCounts() {
    StringBuilder out = new StringBuilder();
    byNode.forEach((node, n) -> out.append("node.").append(node).append('=').append(n.sum()).append('\n'));
    return out.toString();
  }

  @Override
  public void close() {
    server.stop(0);
    timer.shutdownNow();
    handlers.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if ("GET".equals(method) && "/stats".equals(path)) {
      answer(exchange, stats());
      return;
    }
    if ("GET".equals(method) && "/ids".equals(path)) {
      StringBuilder out = new StringBuilder(accepted.size() * 40);
      accepted.forEach((id, n) -> out.append(id).append(' ').append(n.get()).append('\n'));
      answer(exchange, out.toString());
      return;
    }
    if ("GET".equals(method) && "/dups".equals(path)) {
      StringBuilder out = new StringBuilder();
      accepted.forEach((id, n) -> {
        if (n.get() > 1) {
          out.append(id).append(' ').append(nodesById.getOrDefault(id, "")).append('\n');
        }
      });
      answer(exchange, out.toString());
      return;
    }
    if ("POST".equals(method) && "/reset".equals(path)) {
      reset();
      answer(exchange, "reset\n");
      return;
    }
    byte[] body = exchange.getRequestBody().readAllBytes();
    requests.increment();
    boolean raw = path.startsWith("/raw");
    String id;
    try {
      id = verifier.verify(WebhookHeaders.ofMulti(exchange.getRequestHeaders()), body).webhookId()
          .orElse(null);
      if (reference != null) {
        checkWithReference(exchange, body);
      }
    } catch (SignatureVerificationException e) {
      if (raw) {
        rawRequests.increment();
        id = exchange.getRequestHeaders().getFirst("webhook-id");
      } else {
        badSignatures.increment();
        exchange.sendResponseHeaders(401, -1);
        exchange.close();
        return;
      }
    }
    if (perPath && id != null) {
      id = path + " " + id;
    }
    String node = exchange.getRequestHeaders().getFirst(NODE_HEADER);
    switch (mode) {
      case OK:
        accept(id, node);
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
        break;
      case NEVER:
        held.add(exchange);
        break;
      case CHAOS:
        double roll = ThreadLocalRandom.current().nextDouble();
        if (roll < 0.30) {
          answered500.increment();
          exchange.sendResponseHeaders(500, -1);
          exchange.close();
        } else if (roll < 0.35) {
          // Closing an exchange before its response headers closes the connection: the client
          // sees the stream end with no response.
          aborted.increment();
          exchange.close();
        } else if (roll < 0.45) {
          accept(id, node);
          answeredLate.increment();
          timer.schedule(() -> answerQuietly(exchange, 200), lateMillis, TimeUnit.MILLISECONDS);
        } else {
          accept(id, node);
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        }
        break;
      default:
        throw new AssertionError(mode);
    }
  }

  private void accept(String id, String node) {
    long now = System.nanoTime();
    acceptedTotal.increment();
    if (id != null) {
      accepted.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      if (node != null) {
        byNode.computeIfAbsent(node, k -> new LongAdder()).increment();
        nodesById.merge(id, node, (a, b) -> a + "," + b);
      }
      if (hook != null) {
        hook.accepted(id, now);
      }
    }
  }

  private void checkWithReference(HttpExchange exchange, byte[] body) {
    try {
      reference.verify(new String(body, StandardCharsets.UTF_8), lowerCased(exchange));
    } catch (com.standardwebhooks.exceptions.WebhookVerificationException e) {
      referenceRejected.increment();
      throw new SignatureVerificationException(
          SignatureVerificationException.Reason.NO_MATCHING_SIGNATURE, "reference: " + e.getMessage());
    }
  }

  private static Map<String, List<String>> lowerCased(HttpExchange exchange) {
    Map<String, List<String>> headers = new java.util.HashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
    return headers;
  }

  private static com.standardwebhooks.Webhook referenceVerifier(String secret) {
    try {
      return new com.standardwebhooks.Webhook(secret);
    } catch (com.standardwebhooks.exceptions.EmptyWebhookSecretException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static void answer(HttpExchange exchange, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void answerQuietly(HttpExchange exchange, int status) {
    try {
      exchange.sendResponseHeaders(status, -1);
    } catch (IOException e) {
      // The client gave up and closed the connection: expected for late answers.
    } finally {
      exchange.close();
    }
  }

  static java.util.concurrent.ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Builds a {@link Receiver}. Not thread-safe. */
  public static final class Builder {
    private final Mode mode;
    private final String secret;
    private int port;
    private int threads = 4;
    private long lateMillis = 700;
    private boolean referenceCheck;
    private int maxIdle = 4096;
    private AcceptHook hook;
    private boolean perPath;

    private Builder(Mode mode, String secret) {
      this.mode = Objects.requireNonNull(mode, "mode == null");
      this.secret = Objects.requireNonNull(secret, "secret == null");
    }

    /** Port to listen on; default 0, any free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Handler threads; default 4. */
    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /** How late a late chaos answer comes; default 700 ms. */
    public Builder lateMillis(long lateMillis) {
      this.lateMillis = lateMillis;
      return this;
    }

    /**
     * Idle keep-alive connections the JDK server keeps (its own default is 200); effective for the
     * first receiver of a JVM only, as the JDK reads it once.
     */
    public Builder maxIdleConnections(int maxIdle) {
      this.maxIdle = maxIdle;
      return this;
    }

    /** Also verify every request with the reference Standard Webhooks library. */
    public Builder referenceCheck(boolean on) {
      this.referenceCheck = on;
      return this;
    }

    /**
     * Counts deliveries by path and webhook id ({@code "/path msg_..."}) instead of by webhook
     * id alone: for several endpoints on one receiver, which share each event's id.
     */
    public Builder perPath(boolean on) {
      this.perPath = on;
      return this;
    }

    /** Called for each accepted delivery. */
    public Builder hook(AcceptHook hook) {
      this.hook = hook;
      return this;
    }

    public Receiver start() throws IOException {
      return new Receiver(this);
    }
  }

  /**
   * Runs a receiver until the process is killed or stdin closes.
   *
   * <p>Arguments: {@code --mode ok|never|chaos}, {@code --secret whsec_...} (required), {@code
   * --port N}, {@code --threads N}, {@code --late-ms N}, {@code --reference-check}, {@code
   * --max-idle N} (idle keep-alive connections kept; 4096, the JDK's default is 200), {@code
   * --per-path} (count by path and webhook id).
   */
  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    Receiver receiver =
        builder(Mode.valueOf(a.string("mode", "ok").toUpperCase(java.util.Locale.ROOT)),
                a.required("secret"))
            .port(a.integer("port", 0))
            .threads(a.integer("threads", 4))
            .lateMillis(a.integer("late-ms", 700))
            .referenceCheck(a.flag("reference-check"))
            .maxIdleConnections(a.integer("max-idle", 4096))
            .perPath(a.flag("per-path"))
            .start();
    System.out.println("PORT " + receiver.port());
    System.out.flush();
    // The parent holds our stdin; when it goes away, so do we.
    while (System.in.read() != -1) {
      // keep waiting
    }
    System.out.print(receiver.stats());
    receiver.close();
  }
}
