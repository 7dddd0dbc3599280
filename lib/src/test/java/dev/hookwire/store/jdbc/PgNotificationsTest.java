package dev.hookwire.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.dispatch.AmbientTransaction;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.SendReceipt;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.spi.NewDelivery;
import dev.hookwire.store.spi.NewMessage;
import dev.hookwire.store.spi.TransactionalDeliveryStore;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.Databases.Kind;
import dev.hookwire.testing.Forwarding;
import dev.hookwire.testing.LogCapture;
import dev.hookwire.testing.ManualScheduler;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.RequiresDatabase;
import dev.hookwire.testing.Signal;
import dev.hookwire.testing.TcpProxy;
import dev.hookwire.testing.TestDataSource;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.transport.NetworkPolicy;
import dev.hookwire.transport.OkHttpTransport;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wake-up across nodes on PostgreSQL: an enqueue notifies in its own transaction (or the host's),
 * and a dispatcher listening on another store object (another node) claims at once, without a
 * poll. The receiving node's clock is frozen and its poll is an hour away, so only a notification
 * can make it claim.
 */
@RequiresDatabase(Kind.POSTGRESQL)
class PgNotificationsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofHours(1);

  @StartStop final MockWebServer server = new MockWebServer();

  private final MutableClock clock = MutableClock.at(TestEvents.T0);
  private final NetworkPolicy loopback = NetworkPolicy.builder().allowPrivateNetworks(true).build();
  private final OkHttpTransport transport = OkHttpTransport.builder().networkPolicy(loopback).build();
  private final Signal signal = new Signal();
  private final List<AutoCloseable> cleanUp = new ArrayList<>();
  private final TestDataSource database = Databases.open(Kind.POSTGRESQL);
  private final String prefix = Databases.uniquePrefix();
  private final String channel = PgNotifications.channel(prefix);

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : cleanUp) {
      c.close();
    }
    transport.close();
    Databases.drop(database, Kind.POSTGRESQL, prefix);
  }

  private JdbcDeliveryStore store(DataSource dataSource, boolean notifications) {
    return JdbcDeliveryStore.builder(dataSource)
        .tablePrefix(prefix)
        .notifications(notifications)
        .build();
  }

  /** A store that counts the wake-ups it gives the dispatcher, and pokes the signal at each. */
  private TransactionalDeliveryStore counting(JdbcDeliveryStore store, AtomicInteger wakes) {
    return (TransactionalDeliveryStore) Proxy.newProxyInstance(
        getClass().getClassLoader(),
        new Class<?>[] {TransactionalDeliveryStore.class},
        (proxy, method, args) -> {
          if (method.getName().equals("onRemoteWork")) {
            Runnable wake = (Runnable) args[0];
            return store.onRemoteWork(() -> {
              wakes.incrementAndGet();
              signal.poke();
              wake.run();
            });
          }
          if (method.getDeclaringClass() == Object.class) {
            return method.getName().equals("equals") ? proxy == args[0]
                : method.getName().equals("hashCode") ? System.identityHashCode(proxy)
                : "Counting[" + store + "]";
          }
          return Forwarding.call(store, method, args);
        });
  }

  private Dispatcher.Builder node(TransactionalDeliveryStore store, String nodeId,
      ManualScheduler scheduler) {
    return Dispatcher.builder()
        .store(store)
        .transport(transport)
        .clock(clock)
        .scheduler(scheduler)
        .networkPolicy(loopback)
        .pollInterval(POLL)
        .nodeId(nodeId);
  }

  private Dispatcher track(Dispatcher dispatcher) {
    cleanUp.add(0, () -> dispatcher.close(Duration.ZERO));
    return dispatcher;
  }

  private Endpoint endpoint() {
    return Endpoint.builder(server.url("/hook").toString())
        .signing(SignatureScheme.standardWebhooks(), Secrets.newStandardSecret())
        .build();
  }

  private void awaitWakes(AtomicInteger wakes, int count) {
    signal.await(() -> wakes.get() >= count, WAIT, () -> wakes.get() + " wake-up(s), " + count + " awaited");
  }

  /** A connection of its own for the test to listen on, never lent again. */
  private Connection listener() throws SQLException {
    TestDataSource own = Databases.openPrivate(Kind.POSTGRESQL);
    cleanUp.add(own::close);
    return own.getConnection();
  }

  private boolean listening() {
    String name = "hookwire-listen-" + channel;
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }

  private static NewMessage message(String id) {
    return new NewMessage(id, "evt_" + id, "experience.started", TestEvents.T0,
        "{}".getBytes(StandardCharsets.UTF_8), Optional.empty(), Optional.empty());
  }

  private static List<NewDelivery> deliveries(String messageId, String... endpointIds) {
    List<NewDelivery> deliveries = new ArrayList<>();
    for (String endpointId : endpointIds) {
      deliveries.add(new NewDelivery(messageId + "_" + endpointId, messageId, endpointId));
    }
    return deliveries;
  }

  @Test
  void eventSentOnOneNode_isDeliveredByAnother_onItsNotification_withoutAPoll() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    JdbcDeliveryStore storeA = store(database, true);
    JdbcDeliveryStore storeB = store(database, true);
    // Node A only sends: never started, it claims nothing.
    Dispatcher a = track(node(storeA, "node-a", new ManualScheduler(clock)).build());
    a.register(endpoint());
    AtomicInteger wakes = new AtomicInteger();
    ManualScheduler schedulerB = new ManualScheduler(clock);
    Dispatcher b = track(node(counting(storeB, wakes), "node-b", schedulerB).build()).start();
    // Once listening, node B looks for work once (anything sent before it listened).
    awaitWakes(wakes, 1);
    schedulerB.runDue();
    assertThat(listening()).isTrue();

    SendReceipt receipt = a.send(TestEvents.experienceStarted().toEvent(clock));
    String deliveryId = receipt.deliveryIds().get(0);
    // The clock never moves: B's next poll stays an hour away.
    schedulerB.runUntil(
        () -> storeB.delivery(deliveryId).orElseThrow().state() == DeliveryState.SUCCEEDED, WAIT);

    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    assertThat(request.getHeaders().get("webhook-id")).isEqualTo(receipt.eventId());
    assertThat(wakes.get()).isEqualTo(2);
    assertThat(b.attempts(receipt.eventId())).hasSize(1);

    b.close(Duration.ZERO);
    assertThat(listening()).as("listening thread after close").isFalse();
    // Its connection went back to the pool listening no more.
    assertThat(database.lent()).isZero();
    for (int i = 0; i < 3; i++) {
      assertThat(Databases.column(database, "SELECT pg_listening_channels()")).isEmpty();
    }
  }

  @Test
  void burstOfEvents_notifiesOnce_andOnceMoreAfterItsLastCommit_allDelivered() throws Exception {
    for (int i = 0; i < 5; i++) {
      server.enqueue(new MockResponse.Builder().code(200).build());
    }
    // Node A notifies at most once every 3 s: within that, its enqueues leave theirs to one
    // trailing notification.
    JdbcDeliveryStore storeA = JdbcDeliveryStore.builder(database).tablePrefix(prefix)
        .notificationSpacing(Duration.ofSeconds(3)).build();
    JdbcDeliveryStore storeB = store(database, true);
    Dispatcher a = track(node(storeA, "node-a", new ManualScheduler(clock)).build());
    a.register(endpoint());
    AtomicInteger wakes = new AtomicInteger();
    ManualScheduler schedulerB = new ManualScheduler(clock);
    track(node(counting(storeB, wakes), "node-b", schedulerB).build()).start();
    awaitWakes(wakes, 1);
    schedulerB.runDue();

    try (Connection listen = listener();
        Statement s = listen.createStatement()) {
      s.execute("LISTEN \"" + channel + "\"");
      PGConnection pg = listen.unwrap(PGConnection.class);
      SendReceipt first = a.send(TestEvents.experienceStarted().toEvent(clock));
      awaitWakes(wakes, 2);
      schedulerB.runUntil(
          () -> storeB.delivery(first.deliveryIds().get(0)).orElseThrow().state()
              == DeliveryState.SUCCEEDED,
          WAIT);
      // Within the 3 s: these leave their notification to the trailing one, which alone can
      // wake node B.
      List<String> deliveryIds = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        deliveryIds.addAll(a.send(TestEvents.experienceStarted().toEvent(clock)).deliveryIds());
      }
      schedulerB.runUntil(
          () -> deliveryIds.stream().allMatch(
              id -> storeB.delivery(id).orElseThrow().state() == DeliveryState.SUCCEEDED),
          WAIT);
      assertThat(server.getRequestCount()).isEqualTo(5);
      assertThat(wakes.get()).isEqualTo(3);
      // The first enqueue's, and the trailing one: nothing more follows.
      PGNotification[] received = pg.getNotifications(100);
      assertThat(received).hasSize(2);
      assertThat(pg.getNotifications(50)).isNullOrEmpty();
    }
  }

  @Test
  void hostTransaction_notifiesAtCommit_onceForAllItsEvents_andNeverIfRolledBack() throws Exception {
    JdbcDeliveryStore store = store(database, true);
    ThreadLocal<Connection> current = new ThreadLocal<>();
    AmbientTransaction ambient = new AmbientTransaction() {
      @Override
      public Optional<Connection> currentConnection() {
        return Optional.ofNullable(current.get());
      }

      @Override
      public void afterCommit(Runnable action) {}
    };
    Dispatcher sender = track(node(store, "node-a", new ManualScheduler(clock))
        .ambientTransaction(ambient).build());
    sender.register(endpoint());
    sender.register(Endpoint.builder(server.url("/other").toString()).build());

    try (Connection listen = listener();
        Statement s = listen.createStatement()) {
      s.execute("LISTEN \"" + channel + "\"");
      PGConnection pg = listen.unwrap(PGConnection.class);
      try (Connection host = database.getConnection()) {
        host.setAutoCommit(false);
        current.set(host);
        sender.send(TestEvents.experienceStarted().toEvent(clock));
        host.rollback();
        sender.send(TestEvents.experienceStarted().toEvent(clock));
        sender.send(TestEvents.experienceStarted().toEvent(clock));
        host.commit();
        current.remove();
      }
      // Notifications come in commit order: a rolled-back one would come before.
      List<String> payloads = new ArrayList<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (payloads.isEmpty() && System.nanoTime() < deadline) {
        PGNotification[] received = pg.getNotifications(100);
        if (received != null) {
          for (PGNotification n : received) {
            assertThat(n.getName()).isEqualTo(channel);
            payloads.add(n.getParameter());
          }
        }
      }
      // Two events to two endpoints in one transaction: one notification, which wakes every
      // node, the sender's too.
      assertThat(payloads).containsExactly("");
      assertThat(pg.getNotifications(50)).isNullOrEmpty();

      // The store's own transaction: one notification naming the store object.
      store.enqueue(List.of(message("m1")), deliveries("m1", "e1", "e2"));
      PGNotification[] own = null;
      while ((own == null || own.length == 0) && System.nanoTime() < deadline) {
        own = pg.getNotifications(100);
      }
      assertThat(own).hasSize(1);
      assertThat(own[0].getParameter()).isNotEmpty();
    }
  }

  @Test
  void refusedEnqueue_notifiesNobody() throws Exception {
    JdbcDeliveryStore store = store(database, true);
    store.enqueue(List.of(message("m1")), deliveries("m1", "e1"));
    try (Connection listen = listener();
        Statement s = listen.createStatement()) {
      s.execute("LISTEN \"" + channel + "\"");
      PGConnection pg = listen.unwrap(PGConnection.class);
      // The single statement trips over the stored id and runs no further; the checks then refuse.
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> store.enqueue(List.of(message("m1")), deliveries("m1", "e2")))
          .isInstanceOf(IllegalArgumentException.class);
      store.enqueue(List.of(message("m2")), deliveries("m2", "e1"));
      PGNotification[] received = null;
      long deadline = System.nanoTime() + WAIT.toNanos();
      while ((received == null || received.length == 0) && System.nanoTime() < deadline) {
        received = pg.getNotifications(100);
      }
      assertThat(received).hasSize(1);
      assertThat(pg.getNotifications(50)).isNullOrEmpty();
    }
  }

  @Test
  void listener_listensAgainAfterItsConnectionBreaks_andWakesOnce() throws Exception {
    JdbcDeliveryStore sender = store(database, true);
    TcpProxy proxy = Databases.proxy(Kind.POSTGRESQL);
    cleanUp.add(proxy);
    TestDataSource throughProxy = Databases.openThrough(Kind.POSTGRESQL, proxy);
    cleanUp.add(throughProxy::close);
    JdbcDeliveryStore listener = store(throughProxy, true);
    AtomicInteger wakes = new AtomicInteger();
    AutoCloseable handle = listener.onRemoteWork(() -> {
      wakes.incrementAndGet();
      signal.poke();
    });
    cleanUp.add(0, handle);
    awaitWakes(wakes, 1);

    proxy.cut();
    proxy.restore();
    // Listening again: one wake-up for whatever was sent meanwhile.
    awaitWakes(wakes, 2);
    sender.enqueue(List.of(message("m1")), deliveries("m1", "e1"));
    awaitWakes(wakes, 3);
    assertThat(listening()).isTrue();

    handle.close();
    assertThat(listening()).as("listening thread after close").isFalse();
    assertThat(throughProxy.lent()).isZero();
  }

  @Test
  void withoutNotifications_anotherNodesEventWaitsForThePoll() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    JdbcDeliveryStore storeA = store(database, false);
    JdbcDeliveryStore storeB = store(database, false);
    Dispatcher a = track(node(storeA, "node-a", new ManualScheduler(clock)).build());
    a.register(endpoint());
    ManualScheduler schedulerB = new ManualScheduler(clock);
    AtomicInteger wakes = new AtomicInteger();
    track(node(counting(storeB, wakes), "node-b", schedulerB).build()).start();
    schedulerB.runDue();
    assertThat(listening()).isFalse();

    SendReceipt receipt = a.send(TestEvents.experienceStarted().toEvent(clock));
    String deliveryId = receipt.deliveryIds().get(0);
    assertThat(schedulerB.runDue()).isZero();
    assertThat(storeB.delivery(deliveryId).orElseThrow().state()).isEqualTo(DeliveryState.PENDING);

    clock.advance(POLL);
    schedulerB.runUntil(
        () -> storeB.delivery(deliveryId).orElseThrow().state() == DeliveryState.SUCCEEDED, WAIT);
    assertThat(wakes.get()).isZero();
  }

  @Test
  void driverThatIsNotPgjdbc_isSaidOnce_andTheNodePolls() {
    DataSource hidden = hiding(database);
    List<String> lines = new ArrayList<>();
    JdbcDeliveryStore store =
        LogCapture.logging(lines, () -> JdbcDeliveryStore.builder(hidden)
            .dialect(JdbcDialect.POSTGRESQL).tablePrefix(prefix).build());
    assertThat(lines).anyMatch(l -> l.contains("INFO") && l.contains("do not unwrap")
        && l.contains(channel));

    AtomicInteger wakes = new AtomicInteger();
    AutoCloseable handle = store.onRemoteWork(wakes::incrementAndGet);
    cleanUp.add(handle);
    assertThat(listening()).isFalse();
    // Enqueue works as before, without the notification.
    store.enqueue(List.of(message("m1")), deliveries("m1", "e1"));
    assertThat(store.delivery("m1_e1")).isPresent();
  }

  @Test
  void otherDialects_registerNothing() throws Exception {
    TestDataSource h2 = Databases.h2();
    cleanUp.add(h2::close);
    JdbcDeliveryStore store = JdbcDeliveryStore.builder(h2).tablePrefix(prefix).build();
    AutoCloseable handle = store.onRemoteWork(() -> {});
    assertThat(listening()).isFalse();
    handle.close();
  }

  /** A data source whose connections do not unwrap to anything, as another driver's would not. */
  private static DataSource hiding(TestDataSource inner) {
    return Forwarding.connections(inner, c -> Forwarding.proxy(Connection.class, c, (t, method, args) -> {
      switch (method.getName()) {
        case "isWrapperFor":
          return false;
        case "unwrap":
          throw new SQLException("not a wrapper");
        default:
          return Forwarding.call(t, method, args);
      }
    }));
  }
}
