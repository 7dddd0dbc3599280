package dev.hookwire.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.SignatureVerificationException;
import dev.hookwire.signature.Verifier;
import dev.hookwire.signature.WebhookHeaders;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver for many endpoints at once, for scenario tests that check a model: the
 * JDK's HTTP server on loopback, one path per endpoint id ({@link #url(String)}). Each request's
 * Standard Webhooks signature is checked against the keys the test says the endpoint may sign
 * with at the request's signed time ({@link Keys}), on the test's clock; every request is noted,
 * signed well or not, with what was wrong; and every request is answered 200, so that nothing is
 * retried and each request the dispatcher makes is noted once. Every note pokes the {@link
 * Signal}.
 *
 * <p>Thread-safe.
 */
public final class EndpointSink implements AutoCloseable {
  private static final String PREFIX = "/endpoints/";

  // The signed time is checked against the model's keys; the verifier's freshness check is not
  // what these tests are about, and the test's clock moves on while requests are in flight.
  private static final Duration TOLERANCE = Duration.ofDays(1);

  /** Says which keys an endpoint may sign with; called on the receiver's threads. */
  @FunctionalInterface
  public interface Keys {
    /**
     * Returns the secrets a request to an endpoint, signed at a time, may carry a signature of.
     *
     * @param endpointId the endpoint, from the request's path
     * @param signedAt the {@code webhook-timestamp} of the request, to the second
     * @return the secrets; empty if the endpoint may not be sent to at all
     */
    List<String> validAt(String endpointId, Instant signedAt);
  }

  /**
   * One request, as it arrived.
   *
   * @param endpointId the endpoint, from the path
   * @param webhookId the {@code webhook-id} header, the event's id; "" if missing
   * @param signedAt the {@code webhook-timestamp} header; {@link Instant#EPOCH} if missing
   * @param problem what was wrong with its signature, or empty if it verified
   */
  public record Receipt(
      String endpointId, String webhookId, Instant signedAt, Optional<String> problem) {}

  private final Keys keys;
  private final Clock clock;
  private final Signal signal;
  private final HttpServer server;
  private final ExecutorService handlers;
  private final List<Receipt> receipts = new ArrayList<>(); // guarded by itself

  private EndpointSink(Keys keys, Clock clock, Signal signal) throws IOException {
    this.keys = keys;
    this.clock = clock;
    this.signal = signal;
    AtomicInteger n = new AtomicInteger();
    this.handlers =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "endpoint-sink-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    server.setExecutor(handlers);
    server.createContext(PREFIX, this::handle);
    server.start();
  }

  /**
   * Starts a receiver on a free loopback port.
   *
   * @param keys which keys each endpoint may sign with
   * @param clock the clock signed times are compared with: the dispatchers'
   * @param signal poked on every request
   * @return the running receiver
   * @throws IOException if it cannot listen
   */
  public static EndpointSink start(Keys keys, Clock clock, Signal signal) throws IOException {
    return new EndpointSink(
        Objects.requireNonNull(keys, "keys == null"),
        Objects.requireNonNull(clock, "clock == null"),
        Objects.requireNonNull(signal, "signal == null"));
  }

  /**
   * Returns the URL at which an endpoint receives.
   *
   * @param endpointId the endpoint's id, a path segment
   * @return the URL
   */
  public String url(String endpointId) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PREFIX + endpointId;
  }

  /**
   * Returns a copy of the requests noted so far, in the order they arrived.
   *
   * @return the receipts
   */
  public List<Receipt> receipts() {
    synchronized (receipts) {
      return List.copyOf(receipts);
    }
  }

  /** Stops listening. */
  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String endpointId = exchange.getRequestURI().getPath().substring(PREFIX.length());
      WebhookHeaders headers = WebhookHeaders.ofMulti(exchange.getRequestHeaders());
      String webhookId = headers.first("webhook-id").orElse("");
      Instant signedAt = Instant.EPOCH;
      Optional<String> problem;
      try {
        signedAt =
            Instant.ofEpochSecond(Long.parseLong(headers.first("webhook-timestamp").orElse("")));
        problem = verify(endpointId, signedAt, headers, body);
      } catch (NumberFormatException e) {
        problem = Optional.of("no webhook-timestamp");
      }
      synchronized (receipts) {
        receipts.add(new Receipt(endpointId, webhookId, signedAt, problem));
      }
      signal.poke();
      exchange.sendResponseHeaders(200, -1);
    } finally {
      exchange.close();
    }
  }

  private Optional<String> verify(
      String endpointId, Instant signedAt, WebhookHeaders headers, byte[] body) {
    List<String> valid = keys.validAt(endpointId, signedAt);
    if (valid.isEmpty()) {
      return Optional.of("no key of " + endpointId + " is valid at " + signedAt);
    }
    Verifier verifier =
        Verifier.builder(SignatureScheme.standardWebhooks())
            .keys(valid)
            .clock(clock)
            .tolerance(TOLERANCE)
            .build();
    try {
      verifier.verify(headers, body);
      return Optional.empty();
    } catch (SignatureVerificationException e) {
      return Optional.of(e.reason() + ": " + e.getMessage());
    }
  }
}
