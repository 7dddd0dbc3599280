package dev.hookwire.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.event.WebhookEvent;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.SendReceipt;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.Databases.Kind;
import dev.hookwire.testing.ManualScheduler;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.TestDataSource;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.transport.NetworkPolicy;
import dev.hookwire.transport.OkHttpTransport;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Dispatcher#sendAll}: many events stored in one call, all or none, on every store (the
 * in-memory one and the JDBC store on each database), and through the host's transaction.
 */
class SendAllTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @StartStop final MockWebServer server = new MockWebServer();

  private final MutableClock clock = MutableClock.at(TestEvents.T0);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final NetworkPolicy loopback = NetworkPolicy.builder().allowPrivateNetworks(true).build();
  private final OkHttpTransport transport = OkHttpTransport.builder().networkPolicy(loopback).build();
  private final List<Runnable> cleanUp = new ArrayList<>();
  private TestDataSource database;

  @AfterEach
  void tearDown() {
    cleanUp.forEach(Runnable::run);
    transport.close();
  }

  /** A store of the named kind: MEMORY, or a {@link Kind}. */
  private DeliveryStore store(String kind) {
    if (kind.equals("MEMORY")) {
      return InMemoryDeliveryStore.create();
    }
    Kind k = Kind.valueOf(kind);
    database = Databases.open(k);
    String prefix = Databases.uniquePrefix();
    cleanUp.add(k == Kind.H2 ? database::close : () -> Databases.drop(database, k, prefix));
    return JdbcDeliveryStore.builder(database).tablePrefix(prefix).build();
  }

  private Dispatcher dispatcher(DeliveryStore store) {
    Dispatcher dispatcher =
        Dispatcher.builder()
            .store(store)
            .transport(transport)
            .clock(clock)
            .scheduler(scheduler)
            .networkPolicy(loopback)
            .build();
    cleanUp.add(0, () -> dispatcher.close(Duration.ZERO));
    for (String path : List.of("/a", "/b")) {
      dispatcher.register(
          Endpoint.builder(server.url(path).toString())
              .signing(SignatureScheme.standardWebhooks(), Secrets.newStandardSecret())
              .build());
    }
    return dispatcher;
  }

  private List<WebhookEvent<?>> events(int n) {
    List<WebhookEvent<?>> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(TestEvents.experienceStarted().toEvent(clock));
    }
    return events;
  }

  @ParameterizedTest
  @ValueSource(strings = {"MEMORY", "H2", "POSTGRESQL", "MARIADB"})
  void sendAll_storesEveryEvent_returnsReceiptsInOrder_andAllAreDelivered(String kind)
      throws Exception {
    DeliveryStore store = store(kind);
    Dispatcher dispatcher = dispatcher(store);
    List<WebhookEvent<?>> events = events(5);

    List<SendReceipt> receipts = dispatcher.sendAll(events);

    assertThat(receipts).extracting(SendReceipt::eventId)
        .containsExactlyElementsOf(events.stream().map(WebhookEvent::id).toList());
    assertThat(receipts).allSatisfy(r -> assertThat(r.deliveryIds()).hasSize(2));
    assertThat(dispatcher.count(DeliveryState.PENDING)).isEqualTo(10);
    for (SendReceipt r : receipts) {
      assertThat(dispatcher.deliveries(r.eventId())).hasSize(2);
    }
    for (int i = 0; i < 10; i++) {
      server.enqueue(new MockResponse.Builder().code(200).build());
    }
    dispatcher.start();
    scheduler.runUntil(
        () -> dispatcher.count(DeliveryState.SUCCEEDED) == 10 && dispatcher.inFlight() == 0, WAIT);
    Set<String> received = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
      assertThat(request).isNotNull();
      received.add(request.getUrl().encodedPath() + " " + request.getHeaders().get("webhook-id"));
    }
    assertThat(received).hasSize(10);
    assertThat(dispatcher.sendAll(List.of())).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"MEMORY", "H2", "POSTGRESQL", "MARIADB"})
  void sendAll_withABadEvent_storesNone(String kind) {
    DeliveryStore store = store(kind);
    Dispatcher dispatcher = dispatcher(store);
    List<WebhookEvent<?>> events = events(3);
    List<WebhookEvent<?>> twice = new ArrayList<>(events);
    twice.add(events.get(1));
    List<WebhookEvent<?>> withNull = new ArrayList<>(events);
    withNull.add(null);

    assertThatThrownBy(() -> dispatcher.sendAll(twice))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(events.get(1).id());
    assertThatThrownBy(() -> dispatcher.sendAll(withNull))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("events contains null");
    assertThatThrownBy(() -> dispatcher.sendAll(null)).isInstanceOf(NullPointerException.class);

    assertThat(dispatcher.count(DeliveryState.PENDING)).isZero();
    dispatcher.close(Duration.ZERO);
    assertThatThrownBy(() -> dispatcher.sendAll(events)).isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void sendAllThroughTheHostsConnection_isStoredIffItCommits(Kind kind) throws Exception {
    DeliveryStore store = store(kind.name());
    Dispatcher dispatcher = dispatcher(store);
    List<WebhookEvent<?>> rolledBack = events(3);
    List<WebhookEvent<?>> committed = events(4);

    try (Connection c = database.getConnection()) {
      c.setAutoCommit(false);
      assertThat(dispatcher.sendAll(c, rolledBack)).hasSize(3);
      c.rollback();
      List<SendReceipt> receipts = dispatcher.sendAll(c, committed);
      assertThat(receipts).extracting(SendReceipt::eventId)
          .containsExactlyElementsOf(committed.stream().map(WebhookEvent::id).toList());
      c.commit();
    }

    assertThat(dispatcher.count(DeliveryState.PENDING)).isEqualTo(8);
    for (WebhookEvent<?> e : rolledBack) {
      assertThat(dispatcher.deliveries(e.id())).isEmpty();
    }
    for (WebhookEvent<?> e : committed) {
      assertThat(dispatcher.deliveries(e.id())).hasSize(2);
    }
    try (Connection c = database.getConnection()) {
      assertThatThrownBy(() -> dispatcher.sendAll(c, Arrays.asList(committed.get(0))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("auto-commit");
    }
  }
}
