package dev.hookwire.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Transport} over the JDK's {@link HttpClient}, for hosts that want no OkHttp at run
 * time. It behaves as {@link OkHttpTransport} does, with the differences listed here.
 *
 * <pre>{@code
 * Transport transport = JdkHttpTransport.builder()
 *     .connectTimeout(Duration.ofSeconds(3))
 *     .build();
 * }</pre>
 *
 * <ul>
 *   <li>Redirects are not followed; no proxy is used, whatever the JVM's proxy settings. Plain
 *       {@code http} goes out as HTTP/1.1 (no {@code h2c} upgrade); {@code https} negotiates
 *       HTTP/2 or HTTP/1.1. Nothing is retried but what the JDK client repeats on its own: a
 *       connect that failed (nothing was sent yet) and a {@code GET} or {@code HEAD} whose pooled
 *       connection turned out closed; a {@code POST}, {@code PUT}, {@code PATCH} or {@code
 *       DELETE} is sent once.
 *   <li><b>The network policy check has a gap.</b> The JDK client offers no hook into its own
 *       DNS lookup, so when the policy refuses private networks this transport resolves the host
 *       itself, on its executor, checks the answer, and only then hands the request over; the
 *       client then looks the name up again. A DNS server that answers differently the second
 *       time (DNS rebinding with a zero TTL) can steer the connection to an address that was
 *       never checked. The JVM's own address cache (30 seconds by default, {@code
 *       networkaddress.cache.ttl}) normally serves the second lookup from the first, which
 *       narrows the gap without closing it. {@link OkHttpTransport} checks the very addresses it
 *       connects to; prefer it where endpoint URLs come from untrusted users. With {@link
 *       NetworkPolicy.Builder#allowPrivateNetworks(boolean) allowPrivateNetworks} on, no lookup
 *       is made here at all.
 *   <li>The request's timeout covers the whole exchange, from the lookup to reading the body
 *       snippet. At most {@link TransportResponse#MAX_SNIPPET_BYTES} of the body are kept; up to
 *       16 KiB more are read and dropped, so that a connection can be reused after a short error
 *       page, and then the connection is dropped. Content encodings are not undone.
 *   <li>The JDK refuses some headers ({@code Host}, {@code Connection}, {@code Content-Length},
 *       {@code Expect}, {@code Upgrade}); {@link TransportRequest} refuses those, and a few more,
 *       for every transport, so a request that works here works everywhere.
 *   <li>On JDK 17 an {@code HttpClient} cannot be closed: {@link #close()} fails the requests in
 *       flight and stops the transport's own executor, and the client's connections and selector
 *       thread go when it is garbage collected.
 * </ul>
 *
 * <p>Threads: by default the transport runs the client, DNS lookups and the completion of the
 * returned futures on its own cached pool of daemon threads named {@code hookwire-jdkhttp-N};
 * {@link Builder#executor(Executor)} supplies another, which the transport then never shuts
 * down. (On JDK 17 the client hands each finished exchange to the common {@code ForkJoinPool}
 * first, briefly; the transport moves the completion back to its executor.) Futures failed by
 * {@link #close()} complete on the caller's thread.
 *
 * <p>Thread-safe.
 */
public final class JdkHttpTransport implements Transport {
  /** How much of a body beyond the snippet is read and dropped before the connection is. */
  static final int DISCARD_LIMIT = 16 * 1024;

  private final NetworkPolicy networkPolicy;
  private final Duration connectTimeout;
  private final String userAgent;
  private final Executor executor;
  private final ExecutorService ownExecutor;
  private final HttpClient client;
  private final Set<CompletableFuture<TransportResponse>> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private JdkHttpTransport(Builder builder) {
    this.networkPolicy = builder.networkPolicy;
    this.connectTimeout = builder.connectTimeout;
    this.userAgent = builder.userAgent;
    if (builder.executor == null) {
      this.ownExecutor =
          Executors.newCachedThreadPool(
              new DaemonThreadFactory("hookwire-jdkhttp-"));
      this.executor = ownExecutor;
    } else {
      this.ownExecutor = null;
      this.executor = builder.executor;
    }
    this.client =
        HttpClient.newBuilder()
            .executor(executor)
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(connectTimeout)
            .build();
  }

  /**
   * Returns a transport with the defaults; see {@link Builder}. The caller owns it and should
   * {@link #close()} it.
   *
   * @return a new transport
   */
  public static JdkHttpTransport ofDefaults() {
    return builder().build();
  }

  /**
   * Starts building a transport.
   *
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the network policy every request is checked against.
   *
   * @return the policy
   */
  public NetworkPolicy networkPolicy() {
    return networkPolicy;
  }

  /**
   * Returns the {@code User-Agent} sent when a request sets none.
   *
   * @return the user agent
   */
  public String userAgent() {
    return userAgent;
  }

  /**
   * Starts sending a request. Never blocks: a DNS lookup for the policy check runs on the
   * executor.
   *
   * @param request the request; its body is sent as is, without a copy
   * @return completes with the response, or exceptionally as {@link Transport} describes;
   *     cancelling it abandons the exchange
   */
  @Override
  public CompletableFuture<TransportResponse> send(TransportRequest request) {
    Objects.requireNonNull(request, "request == null");
    CompletableFuture<TransportResponse> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(new IOException("JdkHttpTransport is closed"));
      return result;
    }
    URI url = request.url();
    try {
      networkPolicy.checkUrl(url);
    } catch (DestinationRefusedException e) {
      result.completeExceptionally(e);
      return result;
    }
    HttpRequest httpRequest;
    try {
      httpRequest = toJdk(request);
    } catch (IllegalArgumentException e) {
      MalformedURLException malformed =
          new MalformedURLException("the JDK client cannot send to " + url + ": " + e.getMessage());
      malformed.initCause(e);
      result.completeExceptionally(malformed);
      return result;
    }

    inFlight.add(result);
    result.whenComplete((response, failure) -> inFlight.remove(result));
    if (closed) { // close() may have missed it
      result.completeExceptionally(new IOException("JdkHttpTransport is closed"));
      return result;
    }
    armTimeout(request, result);

    boolean needsLookup =
        !networkPolicy.allowsPrivateNetworks() && NetworkChecks.literal(url.getHost()) == null;
    if (!needsLookup) {
      exchange(request, httpRequest, result);
      return result;
    }
    try {
      executor.execute(
          () -> {
            if (result.isDone()) {
              return;
            }
            try {
              String host = url.getHost();
              networkPolicy.checkAddresses(host, List.of(InetAddress.getAllByName(host)));
            } catch (IOException e) { // refused, or unknown host
              result.completeExceptionally(e);
              return;
            } catch (RuntimeException e) {
              result.completeExceptionally(Failures.asIoException(e));
              return;
            }
            exchange(request, httpRequest, result);
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new IOException("the executor refused the request", e));
    }
    return result;
  }

  /**
   * Fails the requests in flight with an {@link IOException} and, if the transport made its own
   * executor, shuts it down. Later requests fail at once. Does not wait.
   */
  @Override
  public void close() {
    closed = true;
    for (CompletableFuture<TransportResponse> request : inFlight) {
      request.completeExceptionally(new IOException("JdkHttpTransport was closed"));
    }
    if (ownExecutor != null) {
      ownExecutor.shutdown();
    }
  }

  @Override
  public String toString() {
    return "JdkHttpTransport[networkPolicy="
        + networkPolicy
        + ", connectTimeout="
        + connectTimeout
        + ", userAgent="
        + userAgent
        + ", executor="
        + (ownExecutor == null ? "given" : "own")
        + "]";
  }

  private HttpRequest toJdk(TransportRequest request) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(request.url()).timeout(request.timeout());
    if ("http".equalsIgnoreCase(request.url().getScheme())) {
      // Otherwise the client asks to upgrade every plain connection to h2c.
      builder.version(HttpClient.Version.HTTP_1_1);
    }
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      builder.header(header.getKey(), header.getValue());
    }
    if (!request.hasHeader("User-Agent")) {
      builder.header("User-Agent", userAgent);
    }
    byte[] body = request.body();
    if (body.length > 0 && !request.hasHeader("Content-Type")) {
      builder.header("Content-Type", "application/json");
    }
    HttpRequest.BodyPublisher publisher =
        body.length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body); // wraps, does not copy
    return builder.method(request.method(), publisher).build();
  }

  /**
   * Fails the result when the request's timeout runs out, whichever stage the exchange is in;
   * the JDK's own request timeout stops at the response headers.
   */
  private void armTimeout(TransportRequest request, CompletableFuture<TransportResponse> result) {
    CompletableFuture<Void> deadline = new CompletableFuture<>();
    deadline
        .orTimeout(Timeouts.nanos(request.timeout()), TimeUnit.NANOSECONDS)
        .whenComplete(
            (ignored, failure) -> {
              if (failure instanceof TimeoutException) {
                // Off the JDK's single, JVM-wide timer thread.
                onExecutor(
                    () -> result.completeExceptionally(Failures.timeout(request.timeout(), failure)));
              }
            });
    // Completing the deadline early cancels its timer task, so finished requests leave none.
    result.whenComplete((response, failure) -> deadline.complete(null));
  }

  private void exchange(
      TransportRequest request,
      HttpRequest httpRequest,
      CompletableFuture<TransportResponse> result) {
    CompletableFuture<HttpResponse<byte[]>> exchange;
    try {
      exchange = client.sendAsync(httpRequest, info -> new SnippetSubscriber());
    } catch (RuntimeException e) {
      result.completeExceptionally(Failures.asIoException(e));
      return;
    }
    // Cancelled, timed out or closed: abandon the exchange (JDK 16 and later abort it).
    result.whenComplete(
        (response, failure) -> {
          if (!exchange.isDone()) {
            exchange.cancel(true);
          }
        });
    // The JDK completes sendAsync's future on the common ForkJoinPool (or a new thread per task
    // when that pool has no parallelism); complete ours on the transport's executor instead.
    exchange.whenComplete(
        (response, failure) -> onExecutor(() -> complete(request, result, response, failure)));
  }

  private static void complete(
      TransportRequest request,
      CompletableFuture<TransportResponse> result,
      HttpResponse<byte[]> response,
      Throwable failure) {
    if (failure != null) {
      result.completeExceptionally(classify(request, failure));
      return;
    }
    try {
      byte[] snippet = response.body();
      result.complete(
          new TransportResponse(
              response.statusCode(), headers(response), Snippets.decode(snippet, snippet.length)));
    } catch (RuntimeException e) {
      result.completeExceptionally(
          new IOException("unusable response to " + request + ": " + e.getMessage(), e));
    }
  }

  /** Runs a completion on the executor, or right here if the executor refuses it (closed). */
  private void onExecutor(Runnable completion) {
    try {
      executor.execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run();
    }
  }

  private static Map<String, List<String>> headers(HttpResponse<?> response) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!name.startsWith(":")) { // HTTP/2 pseudo-headers
                map.put(name, values);
              }
            });
    return map;
  }

  private static IOException classify(TransportRequest request, Throwable failure) {
    Throwable t = Failures.unwrap(failure);
    if (t instanceof HttpTimeoutException) { // also HttpConnectTimeoutException
      return Failures.timeout(request.timeout(), t);
    }
    if (t instanceof CancellationException) {
      // Only when the result was already completed, so this goes nowhere; keep it an I/O error.
      return new IOException("exchange cancelled", t);
    }
    return Failures.asIoException(t);
  }

  /**
   * Keeps the first {@link TransportResponse#MAX_SNIPPET_BYTES} of a body, reads and drops up to
   * {@link #DISCARD_LIMIT} more, then cancels. An error after the snippet is complete is ignored,
   * as the rest of the body is of no interest.
   */
  static final class SnippetSubscriber implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final byte[] snippet = new byte[TransportResponse.MAX_SNIPPET_BYTES];
    private int size;
    private long discarded;
    private Flow.Subscription subscription;

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (body.isDone()) {
        return;
      }
      for (ByteBuffer buffer : buffers) {
        int n = Math.min(buffer.remaining(), snippet.length - size);
        buffer.get(snippet, size, n);
        size += n;
        discarded += buffer.remaining();
        buffer.position(buffer.limit());
      }
      if (discarded > DISCARD_LIMIT) {
        finish();
        subscription.cancel();
      } else {
        subscription.request(1);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      if (size == snippet.length) {
        finish();
      } else {
        body.completeExceptionally(throwable);
      }
    }

    @Override
    public void onComplete() {
      finish();
    }

    private void finish() {
      body.complete(Arrays.copyOf(snippet, size));
    }
  }

  /** Builds a {@link JdkHttpTransport}. Not thread-safe. */
  public static final class Builder {
    private NetworkPolicy networkPolicy = NetworkPolicy.ofDefaults();
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Executor executor;
    private String userAgent = UserAgent.defaultValue();

    private Builder() {}

    /**
     * Sets which destinations may be reached. Default {@link NetworkPolicy#ofDefaults()}: public
     * addresses only.
     *
     * @param networkPolicy the policy
     * @return this builder
     */
    public Builder networkPolicy(NetworkPolicy networkPolicy) {
      this.networkPolicy = Objects.requireNonNull(networkPolicy, "networkPolicy == null");
      return this;
    }

    /**
     * Sets how long connecting (TCP and TLS) may take. Default 5 seconds. The request's own
     * timeout still bounds the whole exchange.
     *
     * @param connectTimeout the limit, at least 1 ms
     * @return this builder
     * @throws IllegalArgumentException if it is shorter than 1 ms
     */
    public Builder connectTimeout(Duration connectTimeout) {
      Objects.requireNonNull(connectTimeout, "connectTimeout == null");
      if (connectTimeout.isNegative() || connectTimeout.toMillis() < 1) {
        throw new IllegalArgumentException("connectTimeout must be at least 1 ms: " + connectTimeout);
      }
      this.connectTimeout = connectTimeout;
      return this;
    }

    /**
     * Sets the executor for the client's work, DNS lookups and completing the returned futures.
     * Default: the transport's own cached pool of daemon threads, shut down by {@link
     * JdkHttpTransport#close()}. An executor given here is not shut down by the transport. It
     * must run tasks without queueing them behind blocked ones: a DNS lookup blocks its thread.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor == null");
      return this;
    }

    /**
     * Sets the {@code User-Agent} sent when a request sets none. Default {@code
     * Hookwire/<version>}.
     *
     * @param userAgent printable ASCII, not blank
     * @return this builder
     * @throws IllegalArgumentException if it is blank or not printable ASCII
     */
    public Builder userAgent(String userAgent) {
      this.userAgent = UserAgent.check(userAgent);
      return this;
    }

    /**
     * Builds the transport, with its own client.
     *
     * @return a new transport; close it when done
     */
    public JdkHttpTransport build() {
      return new JdkHttpTransport(this);
    }
  }
}
