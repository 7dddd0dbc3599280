package dev.hookwire.transport;

import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Sends one HTTP request asynchronously: the SPI between the dispatcher and an HTTP client.
 *
 * <p>The dispatcher holds its backlog itself and calls {@link #send} only for requests that may
 * run now, so an implementation should start every request it is given at once rather than queue
 * them. Redirects must not be followed: a 3xx is a response like any other. Nor may a request be
 * retried behind the caller's back: the dispatcher records every attempt, and a silent retry
 * would deliver a webhook twice without a trace.
 *
 * <p><b>Threads.</b> {@link #send} is called from dispatcher threads, concurrently, and must not
 * block (not even for a DNS lookup). The returned future may be completed on any thread; the
 * dispatcher does no heavy work on it. Cancelling the returned future should abandon the
 * exchange.
 *
 * <p><b>Errors.</b> A request that got an HTTP response of any status completes normally. One
 * that got none completes exceptionally with an {@link java.io.IOException}:
 *
 * <ul>
 *   <li>a {@link DestinationRefusedException} when the {@link NetworkPolicy} refused the URL or
 *       the addresses its host resolved to; nothing was sent;
 *   <li>a {@link java.net.SocketTimeoutException} when the request's timeout, or the connect
 *       timeout, ran out ({@link #isTimeout} recognizes these);
 *   <li>another {@code IOException} for everything else: unknown host, connection refused or
 *       reset, TLS failure, a malformed response, or a transport that was closed.
 * </ul>
 *
 * {@link #send} itself throws only for programming errors.
 *
 * <p>Implementations must be thread-safe. {@code
 * dev.hookwire.testing.contract.TransportContract}, in {@code dev.hookwire:hookwire-testing},
 * runs the tests Hookwire's own transports pass against another implementation.
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

  /**
   * Returns whether a failure from {@link #send} means the request timed out: the endpoint did
   * not connect or answer in time. Unwraps {@link CompletionException} and {@link
   * ExecutionException}; then answers true for {@link InterruptedIOException} (which includes
   * {@link java.net.SocketTimeoutException}, what Hookwire's transports use) and {@link
   * HttpTimeoutException} (what a transport built on {@code java.net.http} may pass on).
   *
   * @param failure what the future returned by {@link #send} completed with
   * @return true if it is a timeout
   */
  static boolean isTimeout(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof InterruptedIOException || t instanceof HttpTimeoutException;
  }

  /**
   * Whether a failed send was refused by the {@link NetworkPolicy}, so that nothing was sent: a
   * {@link DestinationRefusedException} anywhere among the causes (a refusal at name lookup
   * travels inside an {@link java.net.UnknownHostException}).
   *
   * @param failure what the future returned by {@link #send} completed with
   * @return true if the destination was refused
   */
  static boolean isRefused(Throwable failure) {
    return Failures.findRefusal(failure) != null;
  }
}
