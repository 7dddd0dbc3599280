package dev.hookwire.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.SignatureVerificationException;
import dev.hookwire.signature.Verifier;
import dev.hookwire.signature.WebhookHeaders;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver for scenario tests: the JDK's HTTP server on loopback. It verifies the
 * Standard Webhooks signature of every request; notes each signed request as it begins, by
 * delivery (path and {@code webhook-id}), with the dispatcher node that sent it ({@link
 * DispatcherNode#NODE_HEADER}), when, and its body; and answers 200 after a delay, from a timer, so that
 * requests stay in flight meanwhile without holding a handler thread. A request whose signature
 * does not verify is answered 401 and counted, not noted. Every note pokes the {@link Signal}.
 *
 * <p>Thread-safe.
 */
public final class WebhookSink implements AutoCloseable {

  /**
   * One request as it began.
   *
   * @param delivery its path and webhook id, as {@link #delivery(String, String)} makes them
   * @param node the node that sent it, or "" if it did not say
   * @param beganNanos when its handler began, in {@link System#nanoTime()}
   * @param body the body, as UTF-8 text: the bytes the signature verified over
   */
  public record Request(String delivery, String node, long beganNanos, String body) {}

  private final Verifier verifier;
  private final Duration answerDelay;
  private final Signal signal;
  private final HttpServer server;
  private final ExecutorService handlers;
  private final ScheduledExecutorService timer;
  private final Map<String, List<Request>> requests = new ConcurrentHashMap<>();
  private final AtomicInteger requestCount = new AtomicInteger();
  private final AtomicInteger badSignatures = new AtomicInteger();

  private WebhookSink(String secret, Duration answerDelay, Signal signal) throws IOException {
    this.verifier = SignatureScheme.standardWebhooks().verifier(secret);
    this.answerDelay = answerDelay;
    this.signal = signal;
    this.handlers = Executors.newFixedThreadPool(4, daemon("sink-handler"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("sink-timer"));
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts a receiver on a free loopback port.
   *
   * @param secret the Standard Webhooks secret requests must be signed with
   * @param answerDelay how long after a request begins its 200 is sent
   * @param signal poked on every request noted
   * @return the running receiver
   * @throws IOException if it cannot listen
   */
  public static WebhookSink start(String secret, Duration answerDelay, Signal signal)
      throws IOException {
    return new WebhookSink(secret, answerDelay, signal);
  }

  /**
   * Names a delivery as the receiver notes it.
   *
   * @param path the request path
   * @param webhookId the {@code webhook-id} header
   * @return the name
   */
  public static String delivery(String path, String webhookId) {
    return path + " " + webhookId;
  }

  /**
   * Returns the URL of a path on this receiver.
   *
   * @param path starting with a slash
   * @return the URL
   */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /**
   * Returns how many distinct deliveries were noted.
   *
   * @return the count
   */
  public int distinct() {
    return requests.size();
  }

  /**
   * Returns how many signed requests were noted, repeats included.
   *
   * @return the count
   */
  public int requestCount() {
    return requestCount.get();
  }

  /**
   * Returns how many requests failed verification.
   *
   * @return the count
   */
  public int badSignatures() {
    return badSignatures.get();
  }

  /**
   * Returns a copy of the requests noted so far, per delivery, each delivery's in the order they
   * began.
   *
   * @return delivery to its requests
   */
  public Map<String, List<Request>> requests() {
    Map<String, List<Request>> copy = new LinkedHashMap<>();
    requests.forEach(
        (delivery, list) -> {
          synchronized (list) {
            copy.put(delivery, List.copyOf(list));
          }
        });
    return copy;
  }

  /** Stops listening and drops any answer not yet sent. */
  @Override
  public void close() {
    server.stop(0);
    timer.shutdownNow();
    handlers.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long began = System.nanoTime();
    byte[] body = exchange.getRequestBody().readAllBytes();
    String webhookId;
    try {
      webhookId =
          verifier.verify(WebhookHeaders.ofMulti(exchange.getRequestHeaders()), body)
              .webhookId()
              .orElseThrow();
    } catch (SignatureVerificationException e) {
      badSignatures.incrementAndGet();
      exchange.sendResponseHeaders(401, -1);
      exchange.close();
      signal.poke();
      return;
    }
    String node = exchange.getRequestHeaders().getFirst(DispatcherNode.NODE_HEADER);
    String delivery = delivery(exchange.getRequestURI().getPath(), webhookId);
    List<Request> list =
        requests.computeIfAbsent(delivery, k -> Collections.synchronizedList(new ArrayList<>(2)));
    list.add(new Request(delivery, node == null ? "" : node, began, new String(body, UTF_8)));
    requestCount.incrementAndGet();
    signal.poke();
    if (answerDelay.isZero()) {
      answer(exchange);
    } else {
      timer.schedule(() -> answer(exchange), answerDelay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private static void answer(HttpExchange exchange) {
    try {
      exchange.sendResponseHeaders(200, -1);
    } catch (IOException e) {
      // The sender is gone (killed): nobody to answer.
    } finally {
      exchange.close();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
