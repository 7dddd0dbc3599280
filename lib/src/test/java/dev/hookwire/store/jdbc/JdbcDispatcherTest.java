package dev.hookwire.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.dispatch.SendReceipt;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.DeliveryQuery;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.Databases.Kind;
import dev.hookwire.testing.ManualScheduler;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.TestDataSource;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.transport.NetworkPolicy;
import dev.hookwire.transport.OkHttpTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The dispatcher on the JDBC store, over real HTTP: a delivery retried on the clock, one picked
 * up by a second dispatcher after the first stopped, as after a restart, and one sent to a single
 * endpoint.
 */
class JdbcDispatcherTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @StartStop final MockWebServer server = new MockWebServer();

  private final MutableClock clock = MutableClock.at(TestEvents.T0);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final NetworkPolicy loopback = NetworkPolicy.builder().allowPrivateNetworks(true).build();
  private final OkHttpTransport transport = OkHttpTransport.builder().networkPolicy(loopback).build();
  private final List<Runnable> cleanUp = new ArrayList<>();

  @AfterEach
  void tearDown() {
    cleanUp.forEach(Runnable::run);
    transport.close();
  }

  private TestDataSource lastDatabase;

  private JdbcDeliveryStore store(Kind kind) {
    TestDataSource database = Databases.open(kind);
    lastDatabase = database;
    String prefix = Databases.uniquePrefix();
    if (kind == Kind.H2) {
      cleanUp.add(database::close);
    } else {
      cleanUp.add(() -> Databases.drop(database, kind, prefix));
    }
    return JdbcDeliveryStore.builder(database).tablePrefix(prefix).build();
  }

  private Dispatcher dispatcher(JdbcDeliveryStore store, String nodeId) {
    Dispatcher dispatcher =
        Dispatcher.builder()
            .store(store)
            .transport(transport)
            .clock(clock)
            .scheduler(scheduler)
            .networkPolicy(loopback)
            .nodeId(nodeId)
            .retryPolicy(RetryPolicy.of(Duration.ofSeconds(5), Duration.ofMinutes(5)).withJitter(0))
            .build();
    cleanUp.add(0, () -> dispatcher.close(Duration.ZERO));
    return dispatcher;
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(request).as("request received").isNotNull();
    return request;
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void delivery_isRetriedOnTheClock_andLoggedInTheDatabase(Kind kind) throws Exception {
    JdbcDeliveryStore store = store(kind);
    Dispatcher dispatcher = dispatcher(store, "node-1");
    server.enqueue(new MockResponse.Builder().code(500).build());
    server.enqueue(new MockResponse.Builder().code(200).body("thanks").build());
    dispatcher.register(
        Endpoint.builder(server.url("/hook").toString())
            .signing(SignatureScheme.standardWebhooks(), Secrets.newStandardSecret())
            .build());
    dispatcher.start();

    SendReceipt receipt = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    String deliveryId = receipt.deliveryIds().get(0);
    scheduler.runUntil(() -> dispatcher.attempts(receipt.eventId()).size() == 1, WAIT);
    assertThat(take().getHeaders().get("webhook-id")).isEqualTo(receipt.eventId());
    clock.advance(Duration.ofSeconds(5));
    scheduler.runUntil(
        () -> store.delivery(deliveryId).orElseThrow().state() == DeliveryState.SUCCEEDED, WAIT);

    assertThat(take().getHeaders().get("webhook-id")).isEqualTo(receipt.eventId());
    assertThat(store.attemptsForEvent(receipt.eventId()))
        .extracting(a -> a.status())
        .containsExactly(500, 200);
    assertThat(store.delivery(deliveryId).orElseThrow().lastAttempt().orElseThrow().responseSnippet())
        .isEqualTo("thanks");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void pendingDelivery_isPickedUpByTheNextDispatcher_withItsEndpoint(Kind kind) throws Exception {
    JdbcDeliveryStore store = store(kind);
    Dispatcher first = dispatcher(store, "node-1");
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().code(204).build());
    first.register(
        Endpoint.builder(server.url("/hook").toString())
            .signing(SignatureScheme.standardWebhooks(), Secrets.newStandardSecret())
            .build());
    first.start();
    SendReceipt receipt = first.send(TestEvents.experienceStarted().toEvent(clock));
    scheduler.runUntil(() -> first.attempts(receipt.eventId()).size() == 1, WAIT);
    take();
    first.close(Duration.ZERO);

    // Another node, as after a restart: the endpoint and the pending delivery come from the database.
    Dispatcher second = dispatcher(store, "node-2").start();
    assertThat(second.endpoints()).hasSize(1);
    clock.advance(Duration.ofSeconds(5));
    scheduler.runUntil(
        () -> second.delivery(receipt.deliveryIds().get(0)).orElseThrow().state()
            == DeliveryState.SUCCEEDED,
        WAIT);

    assertThat(take().getHeaders().get("webhook-id")).isEqualTo(receipt.eventId());
    assertThat(second.attempts(receipt.eventId())).extracting(a -> a.status()).containsExactly(503, 204);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void transactionalOutbox_rolledBackIsNeverDelivered_committedAlwaysIs(Kind kind) throws Exception {
    JdbcDeliveryStore store = store(kind);
    Dispatcher dispatcher = dispatcher(store, "node-1");
    server.enqueue(new MockResponse.Builder().code(200).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    dispatcher.register(
        Endpoint.builder(server.url("/hook").toString())
            .signing(SignatureScheme.standardWebhooks(), Secrets.newStandardSecret())
            .build());
    dispatcher.start();

    SendReceipt rolledBack;
    try (java.sql.Connection connection = lastDatabase.getConnection()) {
      connection.setAutoCommit(false);
      rolledBack = dispatcher.send(connection, TestEvents.experienceStarted().toEvent(clock));
      connection.rollback();
    }
    SendReceipt committed;
    try (java.sql.Connection connection = lastDatabase.getConnection()) {
      connection.setAutoCommit(false);
      committed = dispatcher.send(connection, TestEvents.experienceStarted().toEvent(clock));
      // Not yet committed: the dispatcher cannot see it.
      dispatcher.wake();
      scheduler.runDue();
      assertThat(server.getRequestCount()).isZero();
      connection.commit();
    }
    dispatcher.wake();
    scheduler.runUntil(
        () -> store.delivery(committed.deliveryIds().get(0)).map(d -> d.state() == DeliveryState.SUCCEEDED).orElse(false)
            && dispatcher.inFlight() == 0,
        WAIT);

    assertThat(take().getHeaders().get("webhook-id")).isEqualTo(committed.eventId());
    assertThat(store.delivery(rolledBack.deliveryIds().get(0))).isEmpty();
    assertThat(dispatcher.attempts(rolledBack.eventId())).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    scheduler.runDue();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void sendTo_storesOneDeliveryToThatEndpoint_retriedAndLoggedInTheDatabase(Kind kind) throws Exception {
    JdbcDeliveryStore store = store(kind);
    Dispatcher dispatcher = dispatcher(store, "node-1");
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    Endpoint target =
        dispatcher.register(
            Endpoint.builder(server.url("/target").toString())
                .subscribe("goal.achieved")
                .signing(SignatureScheme.standardWebhooks(), Secrets.newStandardSecret())
                .build());
    dispatcher.register(
        Endpoint.builder(server.url("/other").toString())
            .signing(SignatureScheme.standardWebhooks(), Secrets.newStandardSecret())
            .build());
    dispatcher.start();

    SendReceipt receipt = dispatcher.sendTo(target.id(), TestEvents.experienceStarted().toEvent(clock));
    String deliveryId = receipt.deliveryIds().get(0);
    scheduler.runUntil(() -> dispatcher.attempts(receipt.eventId()).size() == 1, WAIT);
    clock.advance(Duration.ofSeconds(5));
    scheduler.runUntil(
        () -> store.delivery(deliveryId).orElseThrow().state() == DeliveryState.SUCCEEDED
            && dispatcher.inFlight() == 0,
        WAIT);

    assertThat(receipt.deliveryIds()).hasSize(1);
    assertThat(take().getUrl().encodedPath()).isEqualTo("/target");
    assertThat(take().getUrl().encodedPath()).isEqualTo("/target");
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(dispatcher.attempts(receipt.eventId())).extracting(a -> a.status()).containsExactly(503, 200);
    assertThat(
            dispatcher.deliveries(
                DeliveryQuery.builder()
                    .endpointId(target.id())
                    .state(DeliveryState.SUCCEEDED)
                    .eventType("experience.started")
                    .createdSince(TestEvents.T0)
                    .createdBefore(clock.instant())
                    .build()))
        .extracting(d -> d.deliveryId())
        .containsExactly(deliveryId);
  }

  @org.junit.jupiter.api.Test
  void outboxSend_onAStoreWithoutTransactions_failsClearly() throws Exception {
    Dispatcher dispatcher =
        Dispatcher.builder().transport(transport).scheduler(scheduler).networkPolicy(loopback).build();
    cleanUp.add(0, () -> dispatcher.close(Duration.ZERO));
    TestDataSource h2 = Databases.h2();
    cleanUp.add(h2::close);
    try (java.sql.Connection connection = h2.getConnection()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> dispatcher.send(connection, TestEvents.experienceEvent()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("JdbcDeliveryStore");
    }
  }
}
