package dev.hookwire.transport;

import dev.hookwire.internal.CheckedHeaders;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Dns;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * The default {@link Transport}, over OkHttp.
 *
 * <pre>{@code
 * Transport transport = OkHttpTransport.builder()
 *     .connectTimeout(Duration.ofSeconds(3))
 *     .build();
 * }</pre>
 *
 * <p>Each transport owns its OkHttp client, connection pool and threads; {@link #close()} releases
 * them. The client is set up for webhooks:
 *
 * <ul>
 *   <li>no limit on concurrent requests, overall or per host: the dispatcher caps what is in
 *       flight and hands over only what may run now (OkHttp's own queue rescans itself on every
 *       call and slows down badly when it holds thousands);
 *   <li>redirects are not followed, and a request is never retried, neither on a connection
 *       failure nor on a {@code 408} or a {@code 503} with {@code Retry-After: 0}, which OkHttp
 *       would otherwise repeat at once: the dispatcher retries, and records each attempt;
 *   <li>the {@link NetworkPolicy} checks each URL before the request starts, and the addresses of
 *       each host name whenever OkHttp looks them up to connect, so a name whose DNS answer
 *       changes to a private address is refused at connect time; an IP literal in the URL is
 *       checked up front, since OkHttp never looks it up;
 *   <li>no proxy, whatever the JVM's proxy settings: the policy must judge the real destination;
 *   <li>the request's {@linkplain TransportRequest#timeout() timeout} covers the whole call, from
 *       DNS to reading the body snippet; the connect timeout bounds each connection attempt
 *       within it; there are no separate read or write timeouts;
 *   <li>{@code User-Agent} defaults to {@code Hookwire/<version>} and, when there is a body,
 *       {@code Content-Type} to {@code application/json}; headers the request sets win;
 *   <li>at most {@link TransportResponse#MAX_SNIPPET_BYTES} of the response body are read; the
 *       rest is not buffered (OkHttp skips it briefly to reuse the connection, else drops the
 *       connection). Content encoding such as gzip is undone transparently.
 * </ul>
 *
 * <p>Threads: requests run on the transport's own daemon threads, named {@code
 * hookwire-okhttp-N} (OkHttp renames a thread after the request's redacted URL while it runs a
 * call), one per request in flight; the returned futures complete on them, except that futures
 * failed by {@link #close()} may complete on the caller's thread.
 *
 * <p>Thread-safe.
 */
public final class OkHttpTransport implements Transport {
  /** Where a 503's {@code Retry-After} travels through OkHttp; see hideRetryAfterFromOkHttp. */
  private static final String HIDDEN_RETRY_AFTER = "Hookwire-Hidden-Retry-After";

  private final NetworkPolicy networkPolicy;
  private final String userAgent;
  private final Duration connectTimeout;
  private final int maxIdleConnections;
  private final Duration keepAlive;
  private final ExecutorService executor;
  private final ConnectionPool connectionPool;
  private final OkHttpClient client;
  /**
   * URLs that passed the policy's static checks, parsed for OkHttp. The checks depend only on the
   * URL and the immutable policy, and endpoints send to the same few URLs again and again, so
   * each is checked and parsed once. DNS answers are still checked at every connection.
   */
  private final java.util.concurrent.ConcurrentHashMap<java.net.URI, HttpUrl> vetted =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final int MAX_VETTED = 4096;
  private volatile boolean closed;

  private OkHttpTransport(Builder builder) {
    this.networkPolicy = builder.networkPolicy;
    this.userAgent = builder.userAgent;
    this.connectTimeout = builder.connectTimeout;
    this.maxIdleConnections = builder.maxIdleConnections;
    this.keepAlive = builder.keepAlive;
    this.executor =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            new DaemonThreadFactory("hookwire-okhttp-"));
    Dispatcher dispatcher = new Dispatcher(executor);
    dispatcher.setMaxRequests(Integer.MAX_VALUE);
    dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
    this.connectionPool =
        new ConnectionPool(maxIdleConnections, keepAlive.toMillis(), TimeUnit.MILLISECONDS);
    this.client =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(connectionPool)
            .dns(new PolicyDns(networkPolicy))
            .proxy(Proxy.NO_PROXY)
            .followRedirects(false)
            .followSslRedirects(false)
            .retryOnConnectionFailure(false)
            .addNetworkInterceptor(OkHttpTransport::hideRetryAfterFromOkHttp)
            .connectTimeout(connectTimeout)
            .readTimeout(Duration.ZERO)
            .writeTimeout(Duration.ZERO)
            .callTimeout(Duration.ZERO)
            .build();
  }

  /**
   * Returns a transport with the defaults; see {@link Builder}. The caller owns it and should
   * {@link #close()} it.
   *
   * @return a new transport
   */
  public static OkHttpTransport ofDefaults() {
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
   * Starts sending a request. Never blocks: the URL check is pure, and DNS runs on the
   * transport's threads.
   *
   * @param request the request; its body is sent as is, without a copy
   * @return completes with the response, or exceptionally as {@link Transport} describes;
   *     cancelling it cancels the call
   */
  @Override
  public CompletableFuture<TransportResponse> send(TransportRequest request) {
    Objects.requireNonNull(request, "request == null");
    CompletableFuture<TransportResponse> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(new IOException("OkHttpTransport is closed"));
      return result;
    }
    HttpUrl url = vetted.get(request.url());
    try {
      if (url == null) {
        networkPolicy.checkUrl(request.url());
        url = HttpUrl.get(request.url().toString());
        // OkHttp parses hosts its own way; an IP literal it sees never reaches the Dns hook.
        InetAddress literal = NetworkChecks.literal(url.host());
        if (literal != null) {
          networkPolicy.checkAddresses(url.host(), List.of(literal));
        }
        if (vetted.size() >= MAX_VETTED) {
          vetted.clear();
        }
        vetted.put(request.url(), url);
      }
    } catch (DestinationRefusedException e) {
      result.completeExceptionally(e);
      return result;
    } catch (IllegalArgumentException e) {
      MalformedURLException malformed =
          new MalformedURLException("OkHttp cannot parse " + request.url() + ": " + e.getMessage());
      malformed.initCause(e);
      result.completeExceptionally(malformed);
      return result;
    }

    Call call = client.newCall(toOkHttp(request, url));
    call.timeout().timeout(Timeouts.nanos(request.timeout()), TimeUnit.NANOSECONDS);
    result.whenComplete(
        (response, failure) -> {
          if (result.isCancelled()) {
            call.cancel();
          }
        });
    call.enqueue(new ResponseCallback(request, result));
    return result;
  }

  /**
   * Cancels every call in flight (their futures fail with an {@link IOException}), stops the
   * threads once idle and closes idle connections. Later requests fail at once. Does not wait.
   */
  @Override
  public void close() {
    closed = true;
    client.dispatcher().cancelAll();
    executor.shutdown();
    connectionPool.evictAll();
  }

  @Override
  public String toString() {
    return "OkHttpTransport[networkPolicy="
        + networkPolicy
        + ", connectTimeout="
        + connectTimeout
        + ", maxIdleConnections="
        + maxIdleConnections
        + ", keepAlive="
        + keepAlive
        + ", userAgent="
        + userAgent
        + "]";
  }

  private Request toOkHttp(TransportRequest request, HttpUrl url) {
    Request.Builder builder = new Request.Builder().url(url);
    // A request's headers are always checked ones (see TransportRequest): read by index.
    CheckedHeaders headers = (CheckedHeaders) request.headers();
    for (int i = 0; i < headers.size(); i++) {
      builder.addHeader(headers.name(i), headers.value(i));
    }
    if (headers.indexOf("User-Agent") < 0) {
      builder.header("User-Agent", userAgent);
    }
    byte[] body = request.body();
    if (body.length > 0 && headers.indexOf("Content-Type") < 0) {
      builder.header("Content-Type", "application/json");
    }
    // No media type on the body: the Content-Type header above, or the caller's, goes out as is.
    RequestBody requestBody;
    switch (request.method()) {
      case "GET":
      case "HEAD":
        requestBody = null;
        break;
      case "DELETE":
        requestBody = body.length == 0 ? null : RequestBody.create(body, null, 0, body.length);
        break;
      default:
        requestBody = RequestBody.create(body, null, 0, body.length);
        break;
    }
    return builder.method(request.method(), requestBody).build();
  }

  /**
   * OkHttp repeats a request at once, silently, when a 503 says {@code Retry-After: 0}; no
   * setting turns that off. Below its retry logic, rename the header so it does not see it;
   * {@link #headers} restores it.
   */
  private static Response hideRetryAfterFromOkHttp(Interceptor.Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    List<String> retryAfter = response.headers("Retry-After");
    if (response.code() != 503 || retryAfter.isEmpty()) {
      return response;
    }
    Response.Builder hidden = response.newBuilder().removeHeader("Retry-After");
    for (String value : retryAfter) {
      hidden.addHeader(HIDDEN_RETRY_AFTER, value);
    }
    return hidden.build();
  }

  private static Map<String, List<String>> headers(Headers headers) {
    if (headers.get(HIDDEN_RETRY_AFTER) == null) {
      return new OkHttpResponseHeaders(headers);
    }
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      if (name.equalsIgnoreCase(HIDDEN_RETRY_AFTER)) {
        name = "Retry-After";
      }
      map.computeIfAbsent(name, key -> new ArrayList<>()).add(headers.value(i));
    }
    return map;
  }

  private static byte[] readSnippet(ResponseBody body) throws IOException {
    BufferedSource source = body.source();
    Buffer snippet = new Buffer();
    while (snippet.size() < TransportResponse.MAX_SNIPPET_BYTES) {
      long read = source.read(snippet, TransportResponse.MAX_SNIPPET_BYTES - snippet.size());
      if (read == -1) {
        break;
      }
    }
    return snippet.readByteArray();
  }

  /** Completes one request's future from OkHttp's callbacks. */
  private final class ResponseCallback implements Callback {
    private final TransportRequest request;
    private final CompletableFuture<TransportResponse> result;

    ResponseCallback(TransportRequest request, CompletableFuture<TransportResponse> result) {
      this.request = request;
      this.result = result;
    }

    @Override
    public void onResponse(Call call, Response response) {
      try (response) {
        byte[] snippet = readSnippet(response.body());
        result.complete(
            new TransportResponse(
                response.code(),
                headers(response.headers()),
                Snippets.decode(snippet, snippet.length)));
      } catch (IOException e) {
        fail(call, e);
      } catch (RuntimeException e) {
        // An out-of-range status, for one; the future must complete whatever happens.
        result.completeExceptionally(
            new IOException("unusable response to " + request + ": " + e.getMessage(), e));
      }
    }

    @Override
    public void onFailure(Call call, IOException e) {
      fail(call, e);
    }

    private void fail(Call call, IOException e) {
      if (result.isDone()) {
        return; // cancelled by the caller
      }
      result.completeExceptionally(classify(call, e));
    }

    private IOException classify(Call call, IOException e) {
      DestinationRefusedException refusal = Failures.findRefusal(e);
      if (refusal != null) {
        return refusal;
      }
      if (closed) {
        // Cancelled by close(), or rejected by the stopped executor: not a timeout.
        return e instanceof InterruptedIOException
            ? new IOException("OkHttpTransport was closed", e)
            : e;
      }
      // Nothing else interrupts or cancels these calls: the call timeout fired (OkHttp reports
      // InterruptedIOException("timeout"), or the I/O error its cancel caused), or the connect
      // timeout did (SocketTimeoutException).
      if (e instanceof InterruptedIOException || call.isCanceled()) {
        return e instanceof SocketTimeoutException
            ? e
            : Failures.timeout(request.timeout(), e);
      }
      return e;
    }
  }

  /** Resolves with the system resolver, then lets the network policy judge the answer. */
  static final class PolicyDns implements Dns {
    private final NetworkPolicy policy;

    PolicyDns(NetworkPolicy policy) {
      this.policy = policy;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
      List<InetAddress> addresses = Dns.SYSTEM.lookup(hostname);
      try {
        policy.checkAddresses(hostname, addresses);
      } catch (DestinationRefusedException e) {
        throw new RefusedHostException(hostname, e);
      }
      return addresses;
    }
  }

  /** Carries a refusal out of {@link Dns#lookup}, which may throw only this type. */
  static final class RefusedHostException extends UnknownHostException {
    private static final long serialVersionUID = 1L;

    RefusedHostException(String hostname, DestinationRefusedException cause) {
      super(cause.getMessage());
      initCause(cause);
    }
  }

  /** Builds an {@link OkHttpTransport}. Not thread-safe. */
  public static final class Builder {
    private NetworkPolicy networkPolicy = NetworkPolicy.ofDefaults();
    private Duration connectTimeout = Duration.ofSeconds(5);
    private int maxIdleConnections = 64;
    private Duration keepAlive = Duration.ofMinutes(5);
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
     * Sets how long one attempt to connect (TCP and TLS) may take. Default 5 seconds. The
     * request's own timeout still bounds the whole call.
     *
     * @param connectTimeout the limit, at least 1 ms
     * @return this builder
     * @throws IllegalArgumentException if it is shorter than 1 ms or longer than about 24 days
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = checkMillis(connectTimeout, "connectTimeout");
      return this;
    }

    /**
     * Sets how many idle connections the pool keeps. Default 64: webhooks go to many hosts, and
     * a connection kept per busy endpoint saves a TLS handshake per request.
     *
     * @param maxIdleConnections the limit; 0 closes every connection after use
     * @return this builder
     * @throws IllegalArgumentException if it is negative
     */
    public Builder maxIdleConnections(int maxIdleConnections) {
      if (maxIdleConnections < 0) {
        throw new IllegalArgumentException("maxIdleConnections < 0: " + maxIdleConnections);
      }
      this.maxIdleConnections = maxIdleConnections;
      return this;
    }

    /**
     * Sets how long an idle connection is kept. Default 5 minutes.
     *
     * @param keepAlive the time, at least 1 ms
     * @return this builder
     * @throws IllegalArgumentException if it is shorter than 1 ms
     */
    public Builder keepAlive(Duration keepAlive) {
      Objects.requireNonNull(keepAlive, "keepAlive == null");
      if (keepAlive.toMillis() < 1) {
        throw new IllegalArgumentException("keepAlive must be at least 1 ms: " + keepAlive);
      }
      this.keepAlive = keepAlive;
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
     * Builds the transport, with its own client, pool and threads.
     *
     * @return a new transport; close it when done
     */
    public OkHttpTransport build() {
      return new OkHttpTransport(this);
    }

    private static Duration checkMillis(Duration duration, String name) {
      Objects.requireNonNull(duration, name + " == null");
      if (duration.isNegative() || duration.toMillis() < 1) {
        throw new IllegalArgumentException(name + " must be at least 1 ms: " + duration);
      }
      if (duration.compareTo(Timeouts.MAX) > 0) {
        throw new IllegalArgumentException(name + " is too long: " + duration);
      }
      return duration;
    }
  }
}
