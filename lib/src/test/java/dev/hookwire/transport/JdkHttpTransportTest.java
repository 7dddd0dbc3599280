package dev.hookwire.transport;

import static dev.hookwire.testing.Futures.WAIT;
import static dev.hookwire.testing.Futures.await;
import static dev.hookwire.testing.TestTransports.LOOPBACK_ALLOWED;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/** What is particular to {@link JdkHttpTransport}; the shared behaviour is in the contract test. */
class JdkHttpTransportTest {
  @StartStop private final MockWebServer server = new MockWebServer();

  @Test
  void defaults() {
    try (JdkHttpTransport transport = JdkHttpTransport.ofDefaults()) {
      assertThat(transport.networkPolicy()).isSameAs(NetworkPolicy.ofDefaults());
      assertThat(transport.userAgent()).isEqualTo(UserAgent.defaultValue()).startsWith("Hookwire/");
      assertThat(transport.toString()).contains("connectTimeout=PT5S", "executor=own");
    }
  }

  @Test
  void builderChecksEachSetting() {
    JdkHttpTransport.Builder builder = JdkHttpTransport.builder();
    assertThatThrownBy(() -> builder.networkPolicy(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.executor(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.connectTimeout(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> builder.connectTimeout(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.userAgent("Acmé")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sendsTheConfiguredUserAgent() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    try (JdkHttpTransport transport =
        JdkHttpTransport.builder().networkPolicy(LOOPBACK_ALLOWED).userAgent("Acme/3").build()) {
      await(transport.send(post()));
    }
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("User-Agent"))
        .isEqualTo("Acme/3");
  }

  @Test
  void plainHttpGoesOutAsHttp11WithoutAnUpgradeAttempt() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    try (JdkHttpTransport transport = JdkHttpTransport.builder().networkPolicy(LOOPBACK_ALLOWED).build()) {
      await(transport.send(post()));
    }
    RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(recorded.getVersion()).isEqualTo("HTTP/1.1");
    assertThat(recorded.getHeaders().get("Upgrade")).isNull();
    assertThat(recorded.getHeaders().get("HTTP2-Settings")).isNull();
  }

  @Test
  void completesOnItsOwnDaemonThreads() throws Exception {
    CountDownLatch release = blockResponsesUntilReleased();
    try (JdkHttpTransport transport = JdkHttpTransport.builder().networkPolicy(LOOPBACK_ALLOWED).build()) {
      CompletableFuture<Thread> completedOn =
          transport.send(post()).thenApply(response -> Thread.currentThread());
      release.countDown();
      Thread thread = await(completedOn);
      assertThat(thread.getName()).startsWith("hookwire-jdkhttp-");
      assertThat(thread.isDaemon()).isTrue();
    }
  }

  @Test
  void usesAGivenExecutorAndLeavesItRunning() throws Exception {
    ExecutorService given =
        Executors.newCachedThreadPool(runnable -> new Thread(runnable, "given-executor"));
    try {
      CountDownLatch release = blockResponsesUntilReleased();
      JdkHttpTransport transport =
          JdkHttpTransport.builder().networkPolicy(LOOPBACK_ALLOWED).executor(given).build();
      assertThat(transport.toString()).contains("executor=given");
      CompletableFuture<Thread> completedOn =
          transport.send(post()).thenApply(response -> Thread.currentThread());
      release.countDown();
      assertThat(await(completedOn).getName()).isEqualTo("given-executor");
      transport.close();
      assertThat(given.isShutdown()).isFalse();
    } finally {
      given.shutdownNow();
    }
  }

  private CountDownLatch blockResponsesUntilReleased() {
    CountDownLatch release = new CountDownLatch(1);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return new MockResponse.Builder().code(200).build();
          }
        });
    return release;
  }

  private TransportRequest post() {
    return new TransportRequest(
        "POST", server.url("/").uri(), Map.of(), "{}".getBytes(UTF_8), Duration.ofSeconds(5));
  }
}
