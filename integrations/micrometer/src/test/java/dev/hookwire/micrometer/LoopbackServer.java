package dev.hookwire.micrometer;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A receiver on loopback that answers {@code /status/N} with status N and holds {@code /stall}
 * unanswered until closed. Thread-safe.
 */
final class LoopbackServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final CountDownLatch released = new CountDownLatch(1);
  private final Semaphore answered = new Semaphore(0);

  LoopbackServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/status/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      int status = Integer.parseInt(path.substring("/status/".length()));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      answered.release();
    });
    server.createContext("/stall", exchange -> {
      try {
        released.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    server.start();
  }

  /** Waits up to 10 seconds for the next request answered with a status. */
  void awaitAnswer() throws InterruptedException {
    if (!answered.tryAcquire(10, TimeUnit.SECONDS)) {
      throw new AssertionError("no request answered within 10 s");
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
