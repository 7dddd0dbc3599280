package dev.hookwire.portal.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.hookwire.dispatch.DeliveryListener;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.portal.EventType;
import dev.hookwire.portal.Portal;
import dev.hookwire.portal.PortalHttpHandler;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.testing.TestTransports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A host as the browser tests need one, all on loopback: a started {@link Dispatcher} on an
 * in-memory store, and a JDK HttpServer serving its {@link Portal} at {@value #MOUNT}. The
 * portal's authorizer takes the tenant from the cookie {@code tenant}, as a host takes it from
 * its own session. Thread-safe.
 */
final class PortalServer implements AutoCloseable {
  static final String MOUNT = "/hookwire";

  /** The host's event catalogue, with examples the portal previews and sends as test events. */
  static final List<EventType> CATALOGUE = List.of(
      EventType.of(
          "experience.started",
          "An experience started serving traffic.",
          "{\"experienceId\":\"exp_8f2c41\",\"name\":\"Free shipping over $50\","
              + "\"variants\":[{\"name\":\"control\",\"weight\":50},{\"name\":\"free_shipping\",\"weight\":50}]}"),
      EventType.of(
          "experience.ended",
          "An experience stopped serving traffic.",
          "{\"experienceId\":\"exp_8f2c41\",\"winner\":\"free_shipping\"}"),
      EventType.of(
          "goal.achieved",
          "A visitor reached one of the experience's goals.",
          "{\"goal\":\"checkout_completed\",\"unit\":\"u_1842\",\"value\":64.5}"));

  private final Dispatcher dispatcher;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final Semaphore attempts = new Semaphore(0);

  static {
    // The JDK's server writes a response's head and body apart; with Nagle's algorithm on, the
    // body waits for the client's delayed ACK (40 ms on Linux) on every request.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private PortalServer(RetryPolicy retryPolicy, Clock clock) throws IOException {
    dispatcher = Dispatcher.builder()
        .networkPolicy(TestTransports.LOOPBACK_ALLOWED)
        .retryPolicy(retryPolicy)
        .clock(clock)
        .timeout(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        // Succeeded deliveries stay for the statistics of a clock that a test moves by hours.
        .retainSucceeded(Duration.ofDays(7))
        .listener(new DeliveryListener() {
          @Override
          public void attemptRecorded(AttemptRecord attempt) {
            attempts.release();
          }
        })
        .build();
    Portal portal = Portal.builder(dispatcher)
        .authorizer(request -> request.cookie("tenant").filter(t -> !t.isBlank()))
        .eventTypes(CATALOGUE)
        .clock(clock)
        .build();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(MOUNT, new PortalHttpHandler(portal));
    server.setExecutor(executor);
    server.start();
    dispatcher.start();
  }

  /**
   * Starts a host whose dispatcher retries on the given schedule, on the system clock.
   *
   * @param retryPolicy the dispatcher's retry schedule
   * @return the running host
   */
  static PortalServer start(RetryPolicy retryPolicy) {
    return start(retryPolicy, Clock.systemUTC());
  }

  /**
   * Starts a host whose dispatcher and portal read the given clock.
   *
   * @param retryPolicy the dispatcher's retry schedule
   * @param clock the clock of the dispatcher and the portal
   * @return the running host
   */
  static PortalServer start(RetryPolicy retryPolicy, Clock clock) {
    try {
      return new PortalServer(retryPolicy, clock);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns {@code http://127.0.0.1:port}, the browser's origin. */
  String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Returns the page's URL, {@code origin/hookwire/}. */
  String page() {
    return origin() + MOUNT + "/";
  }

  Dispatcher dispatcher() {
    return dispatcher;
  }

  /**
   * Starts an endpoint of a tenant, signed as the portal signs the endpoints it makes.
   *
   * @param tenant the owner
   * @param url the URL
   * @return a builder to finish and {@link #register}
   */
  static Endpoint.Builder endpoint(String tenant, String url) {
    return Endpoint.builder(url)
        .ownerId(tenant)
        .signing(SignatureScheme.standardWebhooks(), Secrets.newStandardSecret());
  }

  /**
   * Registers an endpoint with the dispatcher, as the host or another node would.
   *
   * @param endpoint the endpoint's builder
   * @return the endpoint
   */
  Endpoint register(Endpoint.Builder endpoint) {
    return dispatcher.register(endpoint.build());
  }

  /**
   * Waits until the dispatcher has recorded this many more attempts, up to 10 s.
   *
   * @param count the number of attempts
   */
  void awaitAttempts(int count) throws InterruptedException {
    assertThat(attempts.tryAcquire(count, 10, TimeUnit.SECONDS))
        .as("%d attempts recorded within 10 s", count)
        .isTrue();
  }

  /**
   * Returns the id of the only endpoint a tenant has.
   *
   * @param tenant the owner
   * @return the endpoint's id
   */
  String onlyEndpointOf(String tenant) {
    List<Endpoint> owned = dispatcher.endpoints().stream().filter(e -> e.ownerId().equals(tenant)).toList();
    assertThat(owned).as("endpoints of %s", tenant).hasSize(1);
    return owned.get(0).id();
  }

  /**
   * Finds a registered endpoint.
   *
   * @param id the endpoint's id
   * @return the endpoint, or empty
   */
  Optional<Endpoint> endpointById(String id) {
    return dispatcher.endpoint(id);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    dispatcher.close(Duration.ZERO);
  }
}
