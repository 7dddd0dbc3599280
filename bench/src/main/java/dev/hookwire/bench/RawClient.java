package dev.hookwire.bench;

import java.io.IOException;
import java.net.Proxy;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The baseline: plain OkHttp, asynchronous, with its own client, at most {@code concurrency}
 * requests in flight (a semaphore), the same body and the same header names and value lengths
 * as the dispatcher's requests, but no signing, no store, no ids beyond a counter.
 *
 * <p>The client is set up as {@code OkHttpTransport} sets up its own: no OkHttp request caps
 * (the semaphore is the cap), a pool that keeps {@code concurrency} idle connections, no retry on
 * connection failure, no redirects, no proxy.
 */
final class RawClient implements AutoCloseable {
  static final String USER_AGENT = "Hookwire/bench";

  private final OkHttpClient client;
  private final String url;
  private final int concurrency;
  private final RequestBody body;
  private final String signature;
  private long nextId;

  RawClient(String url, int concurrency, byte[] body) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(Integer.MAX_VALUE);
    dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
    this.client =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(new ConnectionPool(Math.max(concurrency, 5), 5, TimeUnit.MINUTES))
            .proxy(Proxy.NO_PROXY)
            .retryOnConnectionFailure(false)
            .followRedirects(false)
            .followSslRedirects(false)
            .callTimeout(Duration.ofSeconds(10))
            .build();
    this.url = url;
    this.concurrency = concurrency;
    this.body = RequestBody.create(body, null, 0, body.length);
    byte[] fake = new byte[32];
    new SecureRandom().nextBytes(fake);
    this.signature = "v1," + Base64.getEncoder().encodeToString(fake);
  }

  /** Result of one run. */
  record Run(int requests, int failures, long startNanos, long endNanos) {
    double perSecond() {
      return requests / ((endNanos - startNanos) / 1e9);
    }
  }

  /** Sends {@code n} requests and returns once every one has been answered. */
  Run run(int n) throws InterruptedException {
    Semaphore permits = new Semaphore(concurrency);
    AtomicInteger done = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    CountDownLatch finished = new CountDownLatch(1);
    long[] end = new long[1];
    Callback callback =
        new Callback() {
          @Override
          public void onResponse(Call call, Response response) {
            try (response) {
              if (response.code() != 200) {
                failures.incrementAndGet();
              }
            }
            complete();
          }

          @Override
          public void onFailure(Call call, IOException e) {
            failures.incrementAndGet();
            complete();
          }

          private void complete() {
            permits.release();
            if (done.incrementAndGet() == n) {
              end[0] = System.nanoTime();
              finished.countDown();
            }
          }
        };
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      permits.acquire();
      client.newCall(request()).enqueue(callback);
    }
    Bench.await(finished, 300, "raw responses");
    return new Run(n, failures.get(), start, end[0]);
  }

  private Request request() {
    // Same header names, same value lengths as a signed Standard Webhooks request.
    String id = "msg_raw0000000000" + (1_000_000_000_000L + nextId++); // msg_ + 26
    return new Request.Builder()
        .url(url)
        .addHeader("webhook-id", id)
        .addHeader("webhook-timestamp", Long.toString(Instant.now().getEpochSecond()))
        .addHeader("webhook-signature", signature)
        .addHeader("Content-Type", "application/json")
        .header("User-Agent", USER_AGENT)
        .post(body)
        .build();
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
