package dev.hookwire.spring.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver on loopback (the JDK's HTTP server): answers 200 to every POST and keeps
 * each request's {@code webhook-id} in arrival order. Thread-safe.
 */
public final class LoopbackReceiver implements AutoCloseable {
  private final HttpServer server;
  private final BlockingQueue<String> ids = new LinkedBlockingQueue<>();

  private LoopbackReceiver(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts a receiver on a free port.
   *
   * @return the running receiver
   * @throws IOException if it cannot listen
   */
  public static LoopbackReceiver start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    LoopbackReceiver receiver = new LoopbackReceiver(server);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
          }
          receiver.ids.add(String.valueOf(exchange.getRequestHeaders().getFirst("webhook-id")));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    return receiver;
  }

  /**
   * Returns the URL to register as an endpoint.
   *
   * @return the URL
   */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
  }

  /**
   * Waits for the next request and returns its webhook id.
   *
   * @param timeout how long to wait
   * @return the webhook id
   * @throws AssertionError if none came in time
   * @throws InterruptedException if interrupted
   */
  public String next(Duration timeout) throws InterruptedException {
    String id = ids.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (id == null) {
      throw new AssertionError("no webhook arrived within " + timeout);
    }
    return id;
  }

  /**
   * Returns the ids received and not yet taken by {@link #next}.
   *
   * @return the ids, in arrival order
   */
  public java.util.List<String> pending() {
    return java.util.List.copyOf(ids);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
