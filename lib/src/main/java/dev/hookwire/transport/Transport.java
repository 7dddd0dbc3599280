package dev.hookwire.transport;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one HTTP request asynchronously: the SPI between the dispatcher and an HTTP client.
 *
 * <p>The dispatcher holds its backlog itself and calls {@link #send} only for requests that may
 * run now, so an implementation should start every request it is given at once rather than queue
 * them. Redirects must not be followed: a 3xx is a response like any other.
 *
 * <p><b>Threads.</b> {@link #send} is called from dispatcher threads, concurrently, and must not
 * block. The returned future may be completed on any thread; the dispatcher does no heavy work on
 * it. <b>Errors.</b> A request that got an HTTP response of any status completes normally; one
 * that got none (connection refused or reset, timeout, TLS failure, a destination refused by the
 * {@link NetworkPolicy}) completes exceptionally with an {@link java.io.IOException}. {@link
 * #send} itself throws only for programming errors.
 *
 * <p>Implementations must be thread-safe.
 */
public interface Transport extends AutoCloseable {

  /**
   * Starts sending a request.
   *
   * @param request the request; its body is shared and must not be modified
   * @return completes with the response, or exceptionally with an {@link java.io.IOException}
   */
  CompletableFuture<TransportResponse> send(TransportRequest request);

  /**
   * Releases the transport's threads and connections. Requests in flight may fail. The default
   * does nothing.
   */
  @Override
  default void close() {}
}
