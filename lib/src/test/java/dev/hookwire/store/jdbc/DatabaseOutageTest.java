package dev.hookwire.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.StoreException;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.Databases.Kind;
import dev.hookwire.testing.ManualScheduler;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.TcpProxy;
import dev.hookwire.testing.TestDataSource;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.testing.TestTransports;
import dev.hookwire.transport.OkHttpTransport;
import dev.hookwire.transport.Transport;
import dev.hookwire.transport.TransportResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database outage under a running dispatcher, made real by cutting a TCP proxy between the
 * driver and the server: {@code send} fails with a clear exception, results of requests that
 * were in flight are kept and written once the database is back, and every accepted event is
 * delivered exactly once.
 */
class DatabaseOutageTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final MutableClock clock = MutableClock.at(TestEvents.T0);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final OkHttpTransport okHttp =
      OkHttpTransport.builder().networkPolicy(TestTransports.LOOPBACK_ALLOWED).build();
  /** Requests whose response has reached the dispatcher (counted after it has seen them). */
  private final AtomicInteger answered = new AtomicInteger();
  private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  private final AtomicInteger arrived = new AtomicInteger();
  private volatile CountDownLatch hold = new CountDownLatch(0);
  private final List<AutoCloseable> cleanUp = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    hold.countDown();
    for (AutoCloseable c : cleanUp) {
      c.close();
    }
    okHttp.close();
  }

  /** Counts each response after the dispatcher's own callback has run. */
  private final Transport transport =
      request -> {
        CompletableFuture<TransportResponse> seen = new CompletableFuture<>();
        okHttp.send(request).whenComplete((response, error) -> {
          if (error != null) {
            seen.completeExceptionally(error);
          } else {
            seen.complete(response);
          }
          answered.incrementAndGet();
        });
        return seen;
      };

  private String receiver() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          received
              .computeIfAbsent(exchange.getRequestHeaders().getFirst("webhook-id"), k -> new AtomicInteger())
              .incrementAndGet();
          arrived.incrementAndGet();
          try {
            hold.await(WAIT.toSeconds(), TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    cleanUp.add(() -> server.stop(0));
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"POSTGRESQL", "MARIADB"})
  void outage_failsSend_keepsInFlightResults_andLosesNothing(Kind kind) throws Exception {
    TcpProxy proxy = Databases.proxy(kind);
    TestDataSource database = Databases.openThrough(kind, proxy);
    String prefix = Databases.uniquePrefix();
    cleanUp.add(() -> Databases.drop(Databases.open(kind), kind, prefix));
    cleanUp.add(database::close);
    cleanUp.add(proxy);
    JdbcDeliveryStore store =
        JdbcDeliveryStore.builder(database).tablePrefix(prefix).build();
    Dispatcher dispatcher =
        Dispatcher.builder()
            .store(store)
            .transport(transport)
            .clock(clock)
            .scheduler(scheduler)
            .networkPolicy(TestTransports.LOOPBACK_ALLOWED)
            .retryPolicy(RetryPolicy.of(Duration.ofSeconds(5)).withJitter(0))
            .build();
    cleanUp.add(0, () -> dispatcher.close(Duration.ZERO));
    dispatcher.register(
        Endpoint.builder(receiver())
            .signing(SignatureScheme.standardWebhooks(), Secrets.newStandardSecret())
            .build());
    dispatcher.start();
    List<String> accepted = new ArrayList<>();

    // Two requests in flight, held by the receiver.
    hold = new CountDownLatch(1);
    accepted.add(dispatcher.send(TestEvents.experienceStarted().toEvent(clock)).eventId());
    accepted.add(dispatcher.send(TestEvents.goalEvent()).eventId());
    scheduler.runUntil(() -> arrived.get() == 2, WAIT);

    proxy.cut();
    assertThatThrownBy(() -> dispatcher.send(TestEvents.experienceStarted().toEvent(clock)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("enqueue");

    // The answers come while the database is away: their results cannot be written yet.
    hold.countDown();
    scheduler.runUntil(() -> answered.get() == 2, WAIT);
    for (int i = 0; i < 3; i++) {
      scheduler.runDue();
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(dispatcher.inFlight()).isEqualTo(2);

    proxy.restore();
    accepted.add(dispatcher.send(TestEvents.experienceEndedBySystem().toEvent(clock)).eventId());
    clock.advance(Duration.ofSeconds(2));
    scheduler.runUntil(
        () -> accepted.stream().allMatch(id -> state(dispatcher, id) == DeliveryState.SUCCEEDED),
        WAIT);

    assertThat(dispatcher.inFlight()).isZero();
    for (String id : accepted) {
      assertThat(received.get(id)).as("requests for " + id).hasValue(1);
      assertThat(dispatcher.attempts(id)).as("attempts of " + id).hasSize(1);
    }
    assertThat(received).hasSize(3);
  }

  private static DeliveryState state(Dispatcher dispatcher, String eventId) {
    return dispatcher.deliveries(eventId).get(0).state();
  }
}
