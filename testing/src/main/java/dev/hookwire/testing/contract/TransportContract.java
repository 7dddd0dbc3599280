package dev.hookwire.testing.contract;

import static dev.hookwire.testing.Futures.await;
import static dev.hookwire.testing.Futures.awaitFailure;
import static dev.hookwire.testing.TestTransports.LOOPBACK_ALLOWED;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hookwire.transport.DestinationRefusedException;
import dev.hookwire.transport.NetworkPolicy;
import dev.hookwire.transport.Transport;
import dev.hookwire.transport.TransportRequest;
import dev.hookwire.transport.TransportResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link Transport} must share, as JUnit Jupiter tests: the suite Hookwire
 * runs on {@code OkHttpTransport} and {@code JdkHttpTransport}, for whoever implements another.
 * A transport's test class extends this one and says how to make a transport with a given
 * network policy.
 *
 * <pre>{@code
 * class MyTransportTest extends TransportContract {
 *   @Override
 *   protected Transport newTransport(NetworkPolicy policy) {
 *     return MyTransport.builder().networkPolicy(policy).build();
 *   }
 * }
 * }</pre>
 *
 * <p>Each test sends real HTTP to a {@code MockWebServer} on loopback, started and stopped
 * around it, so most make their transport with a policy that allows private networks; the tests
 * of the policy pass {@link NetworkPolicy#ofDefaults()} or one that allows https only. The
 * transport must:
 *
 * <ul>
 *   <li>send the method, URL, headers and body byte for byte, with a {@code User-Agent} starting
 *       {@code Hookwire/} and, when there is a body, {@code Content-Type: application/json},
 *       unless the request sets either itself;
 *   <li>complete normally for a response of any status, following no redirect and repeating no
 *       request (not after a 503 with {@code Retry-After: 0}, a 408 or a dropped connection);
 *   <li>read response headers without regard to case, and keep at most 1 KiB of the body as its
 *       snippet, never ending in half a character, without giving up a reusable connection for
 *       a short error page;
 *   <li>fail with a {@link SocketTimeoutException} when the request's timeout runs out before the
 *       headers or the start of the body, and with another {@link IOException} when it cannot
 *       connect or the connection drops;
 *   <li>keep its {@link NetworkPolicy}: refuse private and loopback destinations (also host names
 *       that resolve to them) and plain http under https only, with a {@link
 *       DestinationRefusedException} and without connecting;
 *   <li>complete 200 requests sent at once, stay usable when a future is cancelled, and on
 *       {@link Transport#close()} fail the requests in flight and later ones (close may be called
 *       twice).
 * </ul>
 *
 * <p>One test sends to {@code no-such-host.invalid}, which needs a name lookup that fails; give
 * the test JVM a hosts file ({@code -Djdk.net.hosts.file}) so that the lookup never leaves the
 * machine. One needs a name other than {@code localhost} that resolves to loopback: {@code
 * loopback-alias.test} if the hosts file maps it, else this machine's own name; it is skipped if
 * neither does.
 *
 * <p>Not thread-safe: JUnit makes one instance per test method (the default lifecycle, which the
 * suite needs). The tests close every transport they make.
 */
public abstract class TransportContract {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final MockWebServer server = new MockWebServer();

  /** For subclasses. */
  protected TransportContract() {}

  /**
   * Makes a new transport that keeps the given network policy. Called once or more by each test,
   * which closes every transport it made.
   *
   * @param policy the network policy the transport must keep
   * @return the transport
   */
  protected abstract Transport newTransport(NetworkPolicy policy);

  /** A transport that may reach the test server. */
  private Transport newTransport() {
    return newTransport(LOOPBACK_ALLOWED);
  }

  @BeforeEach
  void startServer() throws IOException {
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  // ---- what goes out

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
  void sendsMethodHeadersAndBodyExactly(String method) throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    // UTF-8 outside ASCII and bytes that are not UTF-8 at all: the body must go out byte for byte.
    byte[] body = concat("{\"name\":\"Livraison gratuite dès 50 €\"}".getBytes(UTF_8), new byte[] {0, -1, -128, 127});
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("webhook-id", "msg_01HWRCQ5N0BMG2X7D5ZQ3TE1KV");
    headers.put("webhook-timestamp", "1714564800");
    headers.put("webhook-signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=");
    headers.put("X-Empty", "");

    try (Transport transport = newTransport()) {
      TransportResponse response = await(transport.send(request(method, url("/hooks?x=1"), headers, body)));
      assertThat(response.status()).isEqualTo(200);
    }

    RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(recorded.getMethod()).isEqualTo(method);
    assertThat(recorded.getTarget()).isEqualTo("/hooks?x=1");
    assertThat(recorded.getBody().toByteArray()).isEqualTo(body);
    assertThat(recorded.getHeaders().get("Content-Length")).isEqualTo(String.valueOf(body.length));
    assertThat(recorded.getHeaders().values("webhook-id")).containsExactly("msg_01HWRCQ5N0BMG2X7D5ZQ3TE1KV");
    assertThat(recorded.getHeaders().values("webhook-timestamp")).containsExactly("1714564800");
    assertThat(recorded.getHeaders().values("webhook-signature"))
        .containsExactly("v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=");
    assertThat(recorded.getHeaders().values("X-Empty")).containsExactly("");
    assertThat(recorded.getHeaders().values("User-Agent")).singleElement().asString().startsWith("Hookwire/");
    assertThat(recorded.getHeaders().values("Content-Type")).containsExactly("application/json");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void headSendsNoBodyAndNoContentType() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("X-Seen", "yes").build());
    try (Transport transport = newTransport()) {
      TransportResponse response =
          await(transport.send(request("HEAD", url("/"), Map.of("webhook-id", "msg_1"), new byte[0])));
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.header("x-seen")).hasValue("yes");
      assertThat(response.bodySnippet()).isEmpty();
    }
    RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(recorded.getMethod()).isEqualTo("HEAD");
    assertThat(recorded.getBodySize()).isZero();
    assertThat(recorded.getHeaders().get("webhook-id")).isEqualTo("msg_1");
    assertThat(recorded.getHeaders().get("User-Agent")).startsWith("Hookwire/");
    assertThat(recorded.getHeaders().get("Content-Type")).isNull();
  }

  @Test
  void postWithEmptyBodyHasNoContentType() throws Exception {
    server.enqueue(new MockResponse.Builder().code(204).build());
    try (Transport transport = newTransport()) {
      assertThat(await(transport.send(request("POST", url("/"), Map.of(), new byte[0]))).status())
          .isEqualTo(204);
    }
    RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(recorded.getBodySize()).isZero();
    assertThat(recorded.getHeaders().get("Content-Type")).isNull();
  }

  @Test
  void userAgentAndContentTypeGivenByTheRequestWin() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("user-agent", "Acme-Webhooks/2.0");
    headers.put("content-type", "application/cloudevents+json; charset=utf-8");
    try (Transport transport = newTransport()) {
      await(transport.send(request("POST", url("/"), headers, "{}".getBytes(UTF_8))));
    }
    RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(recorded.getHeaders().values("User-Agent")).containsExactly("Acme-Webhooks/2.0");
    assertThat(recorded.getHeaders().values("Content-Type"))
        .containsExactly("application/cloudevents+json; charset=utf-8");
  }

  // ---- what comes back

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {200, 202, 204, 400, 410, 429, 500, 503})
  void anyStatusIsAResponse(int status) throws Exception {
    MockResponse.Builder response = new MockResponse.Builder().code(status);
    if (status != 204) {
      response.body("status " + status);
    }
    server.enqueue(response.build());
    try (Transport transport = newTransport()) {
      TransportResponse got = await(transport.send(post(url("/"))));
      assertThat(got.status()).isEqualTo(status);
      assertThat(got.bodySnippet()).isEqualTo(status == 204 ? "" : "status " + status);
    }
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void redirectsAreNotFollowed() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .code(301)
            .addHeader("Location", url("/elsewhere").toString())
            .body("moved")
            .build());
    server.enqueue(new MockResponse.Builder().code(200).body("followed").build());
    try (Transport transport = newTransport()) {
      TransportResponse response = await(transport.send(post(url("/hooks"))));
      assertThat(response.status()).isEqualTo(301);
      assertThat(response.header("location")).hasValue(url("/elsewhere").toString());
      assertThat(response.bodySnippet()).isEqualTo("moved");
    }
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void unavailableWithRetryAfterZeroIsNotRetried() throws Exception {
    // OkHttp on its own repeats such a request at once: a second delivery nobody would record.
    server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "0").body("busy").build());
    server.enqueue(new MockResponse.Builder().code(200).body("retried").build());
    try (Transport transport = newTransport()) {
      TransportResponse response = await(transport.send(post(url("/"))));
      assertThat(response.status()).isEqualTo(503);
      assertThat(response.header("Retry-After")).hasValue("0");
      assertThat(response.bodySnippet()).isEqualTo("busy");
    }
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void requestTimeoutStatusIsNotRetried() throws Exception {
    server.enqueue(new MockResponse.Builder().code(408).body("too slow").build());
    server.enqueue(new MockResponse.Builder().code(200).body("retried").build());
    try (Transport transport = newTransport()) {
      assertThat(await(transport.send(post(url("/")))).status()).isEqualTo(408);
    }
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void responseHeadersAreReadWithoutRegardToCase() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .code(503)
            .addHeader("Retry-After", "120")
            .addHeader("X-Multi", "a")
            .addHeader("x-multi", "b")
            .build());
    try (Transport transport = newTransport()) {
      TransportResponse response = await(transport.send(post(url("/"))));
      assertThat(response.status()).isEqualTo(503);
      assertThat(response.header("retry-after")).hasValue("120");
      assertThat(response.header("RETRY-AFTER")).hasValue("120");
      assertThat(response.headers().get("X-MULTI")).containsExactly("a", "b");
      assertThat(response.header("X-Absent")).isEmpty();
    }
  }

  @Test
  void keepsOnly1KiBOfALargeBody() throws Exception {
    byte[] large = new byte[1 << 20];
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) ('a' + i % 26);
    }
    server.enqueue(new MockResponse.Builder().code(500).body(new Buffer().write(large)).build());
    server.enqueue(new MockResponse.Builder().code(200).body("after").build());
    try (Transport transport = newTransport()) {
      CompletableFuture<TransportResponse> future = transport.send(post(url("/")));
      TransportResponse response = future.get(5, TimeUnit.SECONDS);
      assertThat(response.status()).isEqualTo(500);
      assertThat(response.bodySnippet()).isEqualTo(new String(large, 0, 1024, UTF_8));

      // The transport is still usable, whatever became of the connection.
      TransportResponse next = await(transport.send(post(url("/"))));
      assertThat(next.bodySnippet()).isEqualTo("after");
    }
  }

  @Test
  void snippetDoesNotEndInHalfACharacter() throws Exception {
    String body = "x".repeat(1023) + "é and more";
    server.enqueue(new MockResponse.Builder().code(400).body(body).build());
    try (Transport transport = newTransport()) {
      assertThat(await(transport.send(post(url("/")))).bodySnippet()).isEqualTo("x".repeat(1023));
    }
  }

  @Test
  void aShortErrorPageDoesNotCostTheConnection() throws Exception {
    server.enqueue(new MockResponse.Builder().code(500).body("<html>" + "e".repeat(5_000) + "</html>").build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    try (Transport transport = newTransport()) {
      assertThat(await(transport.send(post(url("/")))).bodySnippet()).hasSize(1024);
      await(transport.send(post(url("/"))));
    }
    int first = server.takeRequest(5, TimeUnit.SECONDS).getConnectionIndex();
    int second = server.takeRequest(5, TimeUnit.SECONDS).getConnectionIndex();
    assertThat(second).isEqualTo(first);
  }

  @Test
  void veryLongTimeoutsWork() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    try (Transport transport = newTransport()) {
      assertThat(await(transport.send(post(url("/"), Duration.ofDays(365 * 1000L)))).status())
          .isEqualTo(200);
    }
  }

  // ---- failures

  @Test
  void slowHeadersTimeOut() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(30, TimeUnit.SECONDS).build());
    try (Transport transport = newTransport()) {
      long start = System.nanoTime();
      Throwable failure = awaitFailure(transport.send(post(url("/"), Duration.ofMillis(200))));
      assertThat(failure).isInstanceOf(SocketTimeoutException.class);
      assertThat(Transport.isTimeout(failure)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void slowBodyTimesOut() throws Exception {
    server.enqueue(
        new MockResponse.Builder().code(200).body("late").bodyDelay(30, TimeUnit.SECONDS).build());
    try (Transport transport = newTransport()) {
      Throwable failure = awaitFailure(transport.send(post(url("/"), Duration.ofMillis(300))));
      assertThat(failure).isInstanceOf(SocketTimeoutException.class);
      assertThat(Transport.isTimeout(failure)).isTrue();
    }
  }

  @Test
  void connectionRefusedFails() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (Transport transport = newTransport()) {
      Throwable failure =
          awaitFailure(transport.send(post(URI.create("http://127.0.0.1:" + closedPort + "/"))));
      assertThat(failure).isInstanceOf(IOException.class).isNotInstanceOf(DestinationRefusedException.class);
      assertThat(Transport.isTimeout(failure)).isFalse();
    }
  }

  @Test
  void disconnectBeforeTheResponseFailsWithoutRetrying() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    server.enqueue(new MockResponse.Builder().code(200).body("retried").build());
    try (Transport transport = newTransport()) {
      Throwable failure = awaitFailure(transport.send(post(url("/"))));
      assertThat(failure).isInstanceOf(IOException.class);
      assertThat(Transport.isTimeout(failure)).isFalse();
    }
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void disconnectDuringTheBodyFails() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .body("y".repeat(600))
            .onResponseBody(new SocketEffect.CloseSocket())
            .build());
    try (Transport transport = newTransport()) {
      Throwable failure = awaitFailure(transport.send(post(url("/"))));
      assertThat(failure).isInstanceOf(IOException.class);
      assertThat(Transport.isTimeout(failure)).isFalse();
    }
  }

  @Test
  void unknownHostFails() throws Exception {
    try (Transport transport = newTransport(NetworkPolicy.ofDefaults())) {
      Throwable failure = awaitFailure(transport.send(post(URI.create("http://no-such-host.invalid/"))));
      assertThat(failure).isInstanceOf(IOException.class).isNotInstanceOf(DestinationRefusedException.class);
      assertThat(Transport.isTimeout(failure)).isFalse();
    }
  }

  // ---- network policy

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "http://127.0.0.1:{port}/hooks",
        "http://localhost:{port}/hooks",
        "http://[::1]:{port}/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://192.168.1.1:8080/",
        "http://[fd12::1]/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://0.0.0.0:{port}/"
      })
  void defaultPolicyRefusesPrivateDestinationsWithoutConnecting(String url) throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    URI target = URI.create(url.replace("{port}", String.valueOf(server.getPort())));
    try (Transport transport = newTransport(NetworkPolicy.ofDefaults())) {
      assertThat(awaitFailure(transport.send(post(target))))
          .isInstanceOf(DestinationRefusedException.class);
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void defaultPolicyRefusesAHostNameThatResolvesToAPrivateAddress() throws Exception {
    // A name other than "localhost" that resolves to loopback: Hookwire's test JVMs map
    // loopback-alias.test in their hosts file; elsewhere the machine's own name may do.
    String hostName = resolves(ALIAS) ? ALIAS : InetAddress.getLocalHost().getHostName();
    assumeTrue(!hostName.equalsIgnoreCase("localhost") && !isIpLiteral(hostName));
    assumeTrue(
        Arrays.stream(InetAddress.getAllByName(hostName)).noneMatch(NetworkPolicy::isPublic),
        "this machine's name resolves to a public address");
    server.enqueue(new MockResponse.Builder().code(200).build());
    URI target = URI.create("http://" + hostName + ":" + server.getPort() + "/");
    try (Transport transport = newTransport(NetworkPolicy.ofDefaults())) {
      Throwable failure = awaitFailure(transport.send(post(target)));
      assertThat(failure).isInstanceOf(DestinationRefusedException.class).hasMessageContaining(hostName);
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void allowingPrivateNetworksReachesLoopback() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    URI target = URI.create("http://127.0.0.1:" + server.getPort() + "/");
    try (Transport transport = newTransport(NetworkPolicy.builder().allowPrivateNetworks(true).build())) {
      assertThat(await(transport.send(post(target))).bodySnippet()).isEqualTo("ok");
    }
  }

  @Test
  void httpsOnlyRefusesHttp() throws Exception {
    NetworkPolicy policy = NetworkPolicy.builder().allowPrivateNetworks(true).httpsOnly(true).build();
    try (Transport transport = newTransport(policy)) {
      assertThat(awaitFailure(transport.send(post(url("/")))))
          .isInstanceOf(DestinationRefusedException.class)
          .hasMessageContaining("https only");
    }
    assertThat(server.getRequestCount()).isZero();
  }

  // ---- concurrency and life cycle

  @Test
  void twoHundredConcurrentRequestsAllComplete() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse.Builder().code(200).body(request.getTarget()).build();
          }
        });
    try (Transport transport = newTransport()) {
      List<CompletableFuture<TransportResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        futures.add(transport.send(post(url("/" + i))));
      }
      await(CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])));
      for (int i = 0; i < 200; i++) {
        TransportResponse response = futures.get(i).join();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodySnippet()).isEqualTo("/" + i);
      }
    }
    assertThat(server.getRequestCount()).isEqualTo(200);
  }

  @Test
  void cancellingTheFutureLeavesTheTransportUsable() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(30, TimeUnit.SECONDS).build());
    server.enqueue(new MockResponse.Builder().code(200).body("second").build());
    try (Transport transport = newTransport()) {
      CompletableFuture<TransportResponse> first = transport.send(post(url("/")));
      assertThat(server.takeRequest(5, TimeUnit.SECONDS)).isNotNull();
      assertThat(first.cancel(true)).isTrue();
      assertThat(await(transport.send(post(url("/")))).bodySnippet()).isEqualTo("second");
    }
  }

  @Test
  void closeFailsRequestsInFlightAndLaterOnes() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(30, TimeUnit.SECONDS).build());
    Transport transport = newTransport();
    CompletableFuture<TransportResponse> inFlight = transport.send(post(url("/")));
    assertThat(server.takeRequest(5, TimeUnit.SECONDS)).isNotNull();
    transport.close();

    Throwable failure = awaitFailure(inFlight);
    assertThat(failure).isInstanceOf(IOException.class);
    assertThat(Transport.isTimeout(failure)).isFalse();
    Throwable later = awaitFailure(transport.send(post(url("/"))));
    assertThat(later).isInstanceOf(IOException.class).hasMessageContaining("closed");
    transport.close(); // idempotent
  }

  // ---- helpers

  private URI url(String path) {
    return server.url(path).uri();
  }

  private static TransportRequest post(URI url) {
    return post(url, TIMEOUT);
  }

  private static TransportRequest post(URI url, Duration timeout) {
    return new TransportRequest("POST", url, Map.of(), "{\"type\":\"test\"}".getBytes(UTF_8), timeout);
  }

  private static TransportRequest request(
      String method, URI url, Map<String, String> headers, byte[] body) {
    return new TransportRequest(method, url, headers, body, TIMEOUT);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  /** Whether a host is an IP literal (IPv6, or digits and dots), which needs no lookup. */
  private static final String ALIAS = "loopback-alias.test";

  private static boolean resolves(String name) {
    try {
      InetAddress.getAllByName(name);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0
        || (!host.isEmpty() && host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.'));
  }
}
