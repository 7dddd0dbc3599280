package dev.hookwire.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.Verifier;
import dev.hookwire.store.DeliveryRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import dev.hookwire.testing.ManualScheduler;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.transport.NetworkPolicy;
import dev.hookwire.transport.OkHttpTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two dispatcher nodes on one store, with one test clock: endpoints live in the store, and each
 * node acts on a change made on the other within the refresh interval, never killing or dropping
 * work because its view is behind.
 */
class SharedStoreNodesTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final Duration REFRESH = Duration.ofSeconds(1);

  @StartStop final MockWebServer server = new MockWebServer();

  final MutableClock clock = MutableClock.at(TestEvents.T0);
  final InMemoryDeliveryStore store = InMemoryDeliveryStore.create();
  final NetworkPolicy local = NetworkPolicy.builder().allowPrivateNetworks(true).build();
  final OkHttpTransport transport = OkHttpTransport.builder().networkPolicy(local).build();
  final String secret = Secrets.newStandardSecret();
  final List<Dispatcher> nodes = new ArrayList<>();

  Dispatcher node(ManualScheduler scheduler, Duration autoDisableAfter) {
    Dispatcher d =
        Dispatcher.builder()
            .store(store)
            .transport(transport)
            .clock(clock)
            .scheduler(scheduler)
            .networkPolicy(local)
            .endpointRefresh(REFRESH)
            .autoDisableAfter(autoDisableAfter)
            .circuitBreaker(0, Duration.ZERO)
            .retryPolicy(RetryPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)).withJitter(0))
            .build();
    nodes.add(d);
    return d;
  }

  Dispatcher node(ManualScheduler scheduler) {
    return node(scheduler, Duration.ofDays(5));
  }

  @AfterEach
  void tearDown() {
    nodes.forEach(n -> n.close(Duration.ZERO));
    transport.close();
  }

  Endpoint endpoint(String id) {
    return Endpoint.builder(server.url("/" + id).toString())
        .id(id)
        .signing(SignatureScheme.standardWebhooks(), secret)
        .build();
  }

  DeliveryRecord delivery(String id) {
    return store.delivery(id).orElseThrow();
  }

  @Test
  void aRegistrationOnOneNode_reachesTheOtherWithinTheRefreshInterval() {
    ManualScheduler sa = new ManualScheduler(clock);
    ManualScheduler sb = new ManualScheduler(clock);
    Dispatcher a = node(sa);
    Dispatcher b = node(sb);
    b.start(); // b's view: no endpoints, as of now
    a.register(endpoint("ep_1"));

    // The node that made the change sees it at once; every node reads the store for endpoints().
    assertThat(a.send(TestEvents.experienceStarted().toEvent(clock)).deliveryIds()).hasSize(1);
    assertThat(b.endpoints()).extracting(Endpoint::id).containsExactly("ep_1");
    // Within the interval b may still fan out against its older view; after it, it must not.
    clock.advance(REFRESH);
    assertThat(b.send(TestEvents.experienceStarted().toEvent(clock)).deliveryIds()).hasSize(1);
  }

  @Test
  void aNodeThatClaimsForAnEndpointItDoesNotKnow_readsTheStore_andDelivers() {
    server.enqueue(new MockResponse.Builder().code(200).build());
    ManualScheduler sa = new ManualScheduler(clock);
    ManualScheduler sb = new ManualScheduler(clock);
    Dispatcher a = node(sa);
    Dispatcher b = node(sb);
    b.start();
    a.register(endpoint("ep_1")); // b's view is behind: no time has passed
    String id = a.send(TestEvents.experienceStarted().toEvent(clock)).deliveryIds().get(0);

    b.wake();
    sb.runUntil(() -> delivery(id).state() != DeliveryState.PENDING && b.inFlight() == 0, WAIT);

    assertThat(delivery(id).state()).isEqualTo(DeliveryState.SUCCEEDED);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aDeliveryDiesAsEndpointDeleted_onlyWhenTheStoreSaysSo() {
    ManualScheduler sa = new ManualScheduler(clock);
    ManualScheduler sb = new ManualScheduler(clock);
    Dispatcher a = node(sa);
    a.register(endpoint("ep_1"));
    String id = a.send(TestEvents.experienceStarted().toEvent(clock)).deliveryIds().get(0);
    a.delete("ep_1");
    Dispatcher b = node(sb);
    b.start();

    sb.runUntil(() -> delivery(id).state() != DeliveryState.PENDING, WAIT);

    assertThat(delivery(id).state()).isEqualTo(DeliveryState.DEAD);
    assertThat(delivery(id).attempts()).isZero();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void disableAndEnableOnOneNode_stopAndResumeTheOther() {
    server.enqueue(new MockResponse.Builder().code(200).build());
    ManualScheduler sa = new ManualScheduler(clock);
    ManualScheduler sb = new ManualScheduler(clock);
    Dispatcher a = node(sa);
    Dispatcher b = node(sb);
    a.register(endpoint("ep_1"));
    b.start();
    String id = b.send(TestEvents.experienceStarted().toEvent(clock)).deliveryIds().get(0);
    a.disable("ep_1");
    clock.advance(REFRESH);

    b.wake();
    sb.runDue();
    assertThat(delivery(id).state()).isEqualTo(DeliveryState.PENDING);
    assertThat(b.send(TestEvents.experienceStarted().toEvent(clock)).deliveryIds()).isEmpty();
    assertThat(server.getRequestCount()).isZero();

    a.enable("ep_1");
    clock.advance(REFRESH);
    b.wake();
    sb.runUntil(() -> delivery(id).state() == DeliveryState.SUCCEEDED && b.inFlight() == 0, WAIT);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aRotationOnOneNode_isSignedWithByTheOther() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    ManualScheduler sa = new ManualScheduler(clock);
    ManualScheduler sb = new ManualScheduler(clock);
    Dispatcher a = node(sa);
    Dispatcher b = node(sb);
    a.register(endpoint("ep_1"));
    b.start();
    String newSecret = Secrets.newStandardSecret();
    a.rotateSecret("ep_1", newSecret, Duration.ZERO);
    clock.advance(REFRESH);

    String id = b.send(TestEvents.experienceStarted().toEvent(clock)).deliveryIds().get(0);
    sb.runUntil(() -> delivery(id).state() == DeliveryState.SUCCEEDED && b.inFlight() == 0, WAIT);

    mockwebserver3.RecordedRequest request = server.takeRequest();
    assertThat(request.getHeaders().get("webhook-signature").split(" "))
        .as("the old key expired with a zero grace")
        .hasSize(1);
    Verifier.builder(SignatureScheme.standardWebhooks()).key(newSecret).clock(clock).build()
        .verify(DispatcherTest.single(request.getHeaders()), request.getBody().toByteArray());
  }

  @Test
  void theFailureClockLivesInTheStore_soARestartDoesNotResetIt() {
    ManualScheduler sa = new ManualScheduler(clock);
    Dispatcher a = node(sa, Duration.ofHours(1));
    a.register(endpoint("ep_1"));
    a.start();
    server.enqueue(new MockResponse.Builder().code(500).build());
    String first = a.send(TestEvents.experienceStarted().toEvent(clock)).deliveryIds().get(0);
    sa.runUntil(() -> delivery(first).attempts() == 1 && a.inFlight() == 0, WAIT);
    assertThat(store.endpoint("ep_1").orElseThrow().failingSince()).contains(TestEvents.T0);
    a.close(Duration.ZERO);

    // A new node (a restart) fails an hour later: the endpoint has failed for an hour, cluster-wide.
    clock.advance(Duration.ofHours(1));
    ManualScheduler sc = new ManualScheduler(clock);
    Dispatcher c = node(sc, Duration.ofHours(1));
    server.enqueue(new MockResponse.Builder().code(500).build()); // the first event's retry
    server.enqueue(new MockResponse.Builder().code(500).build());
    c.start();
    String second = c.send(TestEvents.experienceStarted().toEvent(clock)).deliveryIds().get(0);
    sc.runUntil(() -> !c.endpoint("ep_1").orElseThrow().enabled() && c.inFlight() == 0, WAIT);

    assertThat(c.endpoint("ep_1").orElseThrow().disabledReason()).hasValueSatisfying(
        r -> assertThat(r).startsWith("failed without a success for"));
    assertThat(delivery(second).state()).isEqualTo(DeliveryState.PENDING);
  }

  @Test
  void aSuccessOnAnyNode_stopsTheFailureClock() {
    ManualScheduler sa = new ManualScheduler(clock);
    Dispatcher a = node(sa);
    a.register(endpoint("ep_1"));
    a.start();
    server.enqueue(new MockResponse.Builder().code(500).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    String id = a.send(TestEvents.experienceStarted().toEvent(clock)).deliveryIds().get(0);
    sa.runUntil(() -> delivery(id).attempts() == 1 && a.inFlight() == 0, WAIT);
    assertThat(store.endpoint("ep_1").orElseThrow().failingSince()).isPresent();

    clock.advance(Duration.ofSeconds(1));
    sa.runUntil(() -> delivery(id).state() == DeliveryState.SUCCEEDED && a.inFlight() == 0, WAIT);

    assertThat(store.endpoint("ep_1").orElseThrow().failingSince()).isEmpty();
  }

  @Test
  void registeringAtEveryStart_keepsOneEndpoint_andEndpointsWorkBeforeStart() {
    ManualScheduler sa = new ManualScheduler(clock);
    Dispatcher first = node(sa);
    first.register(endpoint("ep_1"));
    first.rotateSecret("ep_1", Secrets.newStandardSecret(), Duration.ofHours(1));
    first.close(Duration.ZERO);

    Dispatcher second = node(new ManualScheduler(clock));
    assertThat(second.endpoints()).extracting(Endpoint::id).containsExactly("ep_1");
    Endpoint again = second.register(endpoint("ep_1"));

    assertThat(store.endpoints()).hasSize(1);
    assertThat(again.keys()).hasSize(2); // the stored, rotated keys are kept
    assertThat(second.send(TestEvents.experienceStarted().toEvent(clock)).deliveryIds()).hasSize(1);
  }
}
