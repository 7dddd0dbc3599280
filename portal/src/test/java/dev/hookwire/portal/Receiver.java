package dev.hookwire.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver on loopback whose answer a test sets (status and body), and which keeps
 * every request it got, in order: for the API tests and the browser tests alike. Thread-safe.
 */
public final class Receiver implements AutoCloseable {
  /** One request as received. */
  public record Request(String method, String path, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private record Answer(int status, String body) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final BlockingQueue<Request> received = new LinkedBlockingQueue<>();
  private volatile Answer answer = new Answer(200, "ok");

  static {
    // The JDK's server writes a response's head and body apart; with Nagle's algorithm on, the
    // body waits for the client's delayed ACK (40 ms on Linux) on every request.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /**
   * Starts a receiver answering 200 with {@code ok}.
   *
   * @return the receiver
   */
  public static Receiver start() {
    try {
      return new Receiver();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      received.add(new Request(
          exchange.getRequestMethod(),
          exchange.getRequestURI().getRawPath(),
          Map.copyOf(exchange.getRequestHeaders()),
          body));
      Answer a = answer;
      byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  /**
   * Sets the answer to every request from now on.
   *
   * @param status the HTTP status
   * @param body the body, sent as {@code text/html}
   */
  public void answer(int status, String body) {
    answer = new Answer(status, body);
  }

  /**
   * Returns the URL of a path on this receiver.
   *
   * @param path the path, starting with {@code /}
   * @return the URL, on {@code 127.0.0.1}
   */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /**
   * Returns the next request received, waiting for it up to 10 s.
   *
   * @return the request
   * @throws AssertionError if none came
   */
  public Request next() throws InterruptedException {
    Request request = received.poll(10, TimeUnit.SECONDS);
    assertThat(request).as("a request to the receiver within 10 s").isNotNull();
    return request;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
