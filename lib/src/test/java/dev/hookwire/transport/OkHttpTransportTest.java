package dev.hookwire.transport;

import static dev.hookwire.testing.Futures.WAIT;
import static dev.hookwire.testing.Futures.await;
import static dev.hookwire.testing.Futures.awaitFailure;
import static dev.hookwire.testing.TestTransports.LOOPBACK_ALLOWED;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/** What is particular to {@link OkHttpTransport}; the shared behaviour is in the contract test. */
class OkHttpTransportTest {
  @StartStop private final MockWebServer server = new MockWebServer();

  @Test
  void defaults() {
    try (OkHttpTransport transport = OkHttpTransport.ofDefaults()) {
      assertThat(transport.networkPolicy()).isSameAs(NetworkPolicy.ofDefaults());
      assertThat(transport.userAgent()).isEqualTo(UserAgent.defaultValue()).startsWith("Hookwire/");
      assertThat(transport.toString())
          .contains("connectTimeout=PT5S", "maxIdleConnections=64", "keepAlive=PT5M");
    }
  }

  @Test
  void builderChecksEachSetting() {
    OkHttpTransport.Builder builder = OkHttpTransport.builder();
    assertThatThrownBy(() -> builder.networkPolicy(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.connectTimeout(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> builder.connectTimeout(Duration.ofNanos(999_999)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.connectTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.connectTimeout(Duration.ofDays(30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long");
    assertThatThrownBy(() -> builder.maxIdleConnections(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxIdleConnections");
    assertThatThrownBy(() -> builder.keepAlive(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keepAlive");
    assertThatThrownBy(() -> builder.userAgent(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sendsTheConfiguredUserAgent() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    try (OkHttpTransport transport =
        OkHttpTransport.builder().networkPolicy(LOOPBACK_ALLOWED).userAgent("Acme/3").build()) {
      await(transport.send(post()));
    }
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("User-Agent"))
        .isEqualTo("Acme/3");
  }

  @Test
  void responseHeaders_matchWithoutRegardToCase_andCannotBeChanged() throws Exception {
    server.enqueue(new MockResponse.Builder().code(429)
        .addHeader("Retry-After", "7")
        .addHeader("X-Multi", "a")
        .addHeader("x-multi", "b")
        .build());
    TransportResponse response;
    try (OkHttpTransport transport = OkHttpTransport.builder().networkPolicy(LOOPBACK_ALLOWED).build()) {
      response = await(transport.send(post()));
    }

    assertThat(response.header("retry-after")).contains("7");
    assertThat(response.headers().get("X-MULTI")).containsExactly("a", "b");
    assertThat(response.headers()).containsKey("retry-AFTER").doesNotContainKey("X-Absent");
    assertThat(response.headers().keySet()).contains("Retry-After", "X-Multi");
    assertThatThrownBy(() -> response.headers().put("X", List.of())).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> response.headers().get("x-multi").add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void completesOnItsOwnDaemonThreads() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return new MockResponse.Builder().code(200).build();
          }
        });
    try (OkHttpTransport transport =
        OkHttpTransport.builder().networkPolicy(LOOPBACK_ALLOWED).build()) {
      CompletableFuture<Thread> completedOn =
          transport.send(post()).thenApply(response -> Thread.currentThread());
      release.countDown();
      Thread thread = await(completedOn);
      // Named hookwire-okhttp-N (see DaemonThreadFactoryTest), but OkHttp renames its threads
      // after the URL while a call runs.
      assertThat(thread).isNotSameAs(Thread.currentThread());
      assertThat(thread.isDaemon()).isTrue();
    }
  }

  @Test
  void idleConnectionsAreReusedUntilClosed() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    try (OkHttpTransport transport =
        OkHttpTransport.builder()
            .networkPolicy(LOOPBACK_ALLOWED)
            .maxIdleConnections(1)
            .keepAlive(Duration.ofMinutes(1))
            .build()) {
      await(transport.send(post()));
      await(transport.send(post()));
    }
    int first = server.takeRequest(5, TimeUnit.SECONDS).getConnectionIndex();
    int second = server.takeRequest(5, TimeUnit.SECONDS).getConnectionIndex();
    assertThat(second).isEqualTo(first);
  }

  @Test
  void withoutIdleConnectionsEachRequestConnectsAnew() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    try (OkHttpTransport transport =
        OkHttpTransport.builder().networkPolicy(LOOPBACK_ALLOWED).maxIdleConnections(0).build()) {
      await(transport.send(post()));
      await(transport.send(post()));
    }
    int first = server.takeRequest(5, TimeUnit.SECONDS).getConnectionIndex();
    int second = server.takeRequest(5, TimeUnit.SECONDS).getConnectionIndex();
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void dnsHookRefusesNamesThatResolveToPrivateAddresses() throws Exception {
    OkHttpTransport.PolicyDns dns = new OkHttpTransport.PolicyDns(NetworkPolicy.ofDefaults());
    assertThatThrownBy(() -> dns.lookup("localhost"))
        .isInstanceOf(UnknownHostException.class)
        .hasCauseInstanceOf(DestinationRefusedException.class)
        .hasMessageContaining("localhost");

    List<InetAddress> allowed = new OkHttpTransport.PolicyDns(LOOPBACK_ALLOWED).lookup("localhost");
    assertThat(allowed).isNotEmpty().allMatch(InetAddress::isLoopbackAddress);
  }

  @Test
  void aUrlOkHttpCannotParseFailsTheFutureWithoutConnecting() throws Exception {
    // java.net.URI takes an IPv6 zone id; OkHttp does not.
    URI url = URI.create("http://[fe80::1%25lo]:" + server.getPort() + "/");
    try (OkHttpTransport transport = OkHttpTransport.builder().networkPolicy(LOOPBACK_ALLOWED).build()) {
      CompletableFuture<TransportResponse> future =
          transport.send(new TransportRequest("POST", url, Map.of(), new byte[0], Duration.ofSeconds(5)));
      assertThat(awaitFailure(future)).isInstanceOf(MalformedURLException.class).hasMessageContaining("OkHttp");
    }
    assertThat(server.getRequestCount()).isZero();
  }

  private TransportRequest post() {
    return new TransportRequest(
        "POST", server.url("/").uri(), Map.of(), "{}".getBytes(UTF_8), Duration.ofSeconds(5));
  }
}
