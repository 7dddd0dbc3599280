package dev.hookwire.examples;

import com.sun.net.httpserver.HttpServer;
import dev.hookwire.signature.SignatureVerificationException;
import dev.hookwire.signature.WebhookHeaders;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A receiver on loopback for the preset examples, on the JDK's own HTTP server: it checks every
 * request it gets (its signature, or its credentials where the system signs nothing), answers 200
 * or 401, and prints what arrived. {@code HEAD} requests, as a sender checking the URL before it
 * registers it makes them, get 200 unchecked.
 */
final class LocalReceiver implements AutoCloseable {
  /** Headers that say nothing about the webhook. */
  private static final Set<String> PLAIN =
      Set.of("host", "connection", "accept-encoding", "content-length", "user-agent");

  /** Headers whose values are credentials: printed shortened. */
  private static final Set<String> CREDENTIALS = Set.of("authorization", "x-api-key", "x-api-token");

  /** How a request is checked. */
  @FunctionalInterface
  interface Check {
    /**
     * Checks one request.
     *
     * @return how it was found authentic, for the printout
     * @throws SignatureVerificationException if it is not
     * @throws IllegalStateException if its credentials are wrong
     */
    String check(String path, WebhookHeaders headers, byte[] body);
  }

  private final HttpServer server;
  private volatile Check check = (path, headers, body) -> {
    throw new IllegalStateException("no check set up yet");
  };
  private final List<String> report = new ArrayList<>();
  private int checked;
  private int rejected;

  private LocalReceiver(HttpServer server) {
    this.server = server;
  }

  /** Starts a receiver on a free loopback port; give it its {@link #check} before sending. */
  static LocalReceiver start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    LocalReceiver receiver = new LocalReceiver(server);
    server.createContext(
        "/",
        exchange -> {
          String method = exchange.getRequestMethod();
          String path = exchange.getRequestURI().getRawPath();
          // The raw bytes, exactly as received: a parsed and re-serialised body would not verify.
          byte[] body = exchange.getRequestBody().readAllBytes();
          StringBuilder lines = new StringBuilder("<- " + method + " " + exchange.getRequestURI() + "\n");
          int status = 200;
          if (!method.equals("HEAD")) {
            Map<String, String> shown = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (!PLAIN.contains(lower)) {
                String value = String.join(", ", values);
                shown.put(name, CREDENTIALS.contains(lower) ? shorten(value) : value);
              }
            });
            shown.forEach((name, value) -> lines.append("   ").append(name).append(": ").append(value).append('\n'));
            lines.append("   body: ").append(body.length == 0 ? "(empty)" : new String(body, StandardCharsets.UTF_8)).append('\n');
            try {
              String how = receiver.check.check(path, WebhookHeaders.ofMulti(exchange.getRequestHeaders()), body);
              lines.append("   accepted: ").append(how);
            } catch (SignatureVerificationException | IllegalStateException e) {
              status = 401;
              lines.append("   REJECTED: ").append(e.getMessage());
            }
          } else {
            lines.append("   (the sender checking the URL before registering it)");
          }
          lines.append("\n-> ").append(status);
          receiver.record(method, status, lines.toString());
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    return receiver;
  }

  /** Sets how every request but HEAD is checked. */
  void check(Check check) {
    this.check = check;
  }

  /** The URL of {@code path} on this receiver. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private synchronized void record(String method, int status, String lines) {
    report.add(lines);
    if (!method.equals("HEAD")) {
      checked++;
      if (status != 200) {
        rejected++;
      }
    }
    notifyAll();
  }

  /**
   * Waits until {@code count} requests other than HEAD have arrived, prints every request, and
   * fails if any was rejected or they did not all come within {@code timeout}.
   */
  synchronized void awaitAndPrint(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (checked < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    report.forEach(System.out::println);
    if (checked < count) {
      throw new IllegalStateException("only " + checked + " of " + count + " requests arrived within " + timeout);
    }
    if (rejected > 0) {
      throw new IllegalStateException(rejected + " request(s) were rejected");
    }
    System.out.println(checked + " request(s) arrived, every one accepted.");
  }

  private static String shorten(String credential) {
    return credential.length() <= 10 ? "****" : credential.substring(0, 10) + "****";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
