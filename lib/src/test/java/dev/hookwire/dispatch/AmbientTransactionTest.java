package dev.hookwire.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.ManualScheduler;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.TestDataSource;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.transport.NetworkPolicy;
import dev.hookwire.transport.OkHttpTransport;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code send(event)} with an ambient transaction, as a framework provides one: inside it the
 * event is written through the transaction's connection and exists if and only if it commits;
 * outside it {@code send} works as without one. The transaction here is a connection held per
 * thread, as Spring's is.
 */
class AmbientTransactionTest {
  @StartStop final MockWebServer server = new MockWebServer();

  final MutableClock clock = MutableClock.at(TestEvents.T0);
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final OkHttpTransport transport =
      OkHttpTransport.builder().networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build()).build();
  final ThreadTransaction transactions = new ThreadTransaction();
  TestDataSource database;
  JdbcDeliveryStore store;
  Dispatcher dispatcher;

  /** A transaction per thread: a connection with auto-commit off, and what runs after commit. */
  final class ThreadTransaction implements AmbientTransaction {
    private final ThreadLocal<Connection> connection = new ThreadLocal<>();
    private final ThreadLocal<List<Runnable>> afterCommit = ThreadLocal.withInitial(ArrayList::new);
    final AtomicInteger afterCommitCalls = new AtomicInteger();

    @Override
    public Optional<Connection> currentConnection() {
      return Optional.ofNullable(connection.get());
    }

    @Override
    public void afterCommit(Runnable action) {
      afterCommitCalls.incrementAndGet();
      afterCommit.get().add(action);
    }

    void run(boolean commit, Runnable work) throws SQLException {
      try (Connection c = database.getConnection()) {
        c.setAutoCommit(false);
        connection.set(c);
        try {
          work.run();
        } finally {
          connection.remove();
        }
        if (commit) {
          c.commit();
          afterCommit.get().forEach(Runnable::run);
        } else {
          c.rollback();
        }
        afterCommit.remove();
      }
    }
  }

  @BeforeEach
  void setUp() {
    database = Databases.h2();
    store = JdbcDeliveryStore.builder(database).build();
    dispatcher = Dispatcher.builder().store(store).transport(transport).clock(clock).scheduler(scheduler)
        .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build())
        .pollInterval(Duration.ofHours(1))   // only a wake-up finds new work within a test
        .ambientTransaction(transactions)
        .build();
    dispatcher.register(Endpoint.builder(server.url("/hook").toString())
        .signing(SignatureScheme.standardWebhooks(), Secrets.newStandardSecret()).build());
    dispatcher.start();
  }

  @AfterEach
  void tearDown() {
    dispatcher.close(Duration.ZERO);
    store.close();
    transport.close();
    database.close();
  }

  @Test
  void sendInsideATransaction_existsOnlyOnceItCommits_andWakesTheDispatcherAfterTheCommit() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    WebhookEvent<?> event = TestEvents.experienceStarted().toEvent(clock);
    List<SendReceipt> receipts = new ArrayList<>();

    transactions.run(true, () -> {
      receipts.add(dispatcher.send(event));
      // Written through the transaction's connection: no other connection sees it yet.
      assertThat(store.count(DeliveryState.PENDING)).isZero();
    });

    assertThat(store.count(DeliveryState.PENDING) + store.count(DeliveryState.SUCCEEDED)).isEqualTo(1);
    scheduler.runUntil(() -> store.count(DeliveryState.SUCCEEDED) == 1 && dispatcher.inFlight() == 0, Duration.ofSeconds(10));
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    assertThat(request.getHeaders().get("webhook-id")).isEqualTo(event.id());
    assertThat(receipts.get(0).deliveryIds()).hasSize(1);
  }

  @Test
  void sendInsideATransactionThatRollsBack_leavesNothing_andNothingIsDelivered() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    WebhookEvent<?> rolledBack = TestEvents.experienceStarted().toEvent(clock);
    WebhookEvent<?> committed = TestEvents.experienceStarted().toEvent(clock);

    transactions.run(false, () -> dispatcher.send(rolledBack));
    assertThat(store.count(DeliveryState.PENDING)).isZero();
    assertThat(dispatcher.deliveries(rolledBack.id())).isEmpty();
    // A committed event after it is delivered, and it alone.
    transactions.run(true, () -> dispatcher.send(committed));
    scheduler.runUntil(() -> store.count(DeliveryState.SUCCEEDED) == 1 && dispatcher.inFlight() == 0, Duration.ofSeconds(10));

    assertThat(server.takeRequest(10, TimeUnit.SECONDS).getHeaders().get("webhook-id")).isEqualTo(committed.id());
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(transactions.afterCommitCalls).hasValue(2);
  }

  @Test
  void sendToInsideATransaction_existsOnlyOnceItCommits_andWakesTheDispatcherAfterTheCommit() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    String endpointId = dispatcher.endpoints().get(0).id();
    WebhookEvent<?> rolledBack = TestEvents.experienceStarted().toEvent(clock);
    WebhookEvent<?> committed = TestEvents.experienceStarted().toEvent(clock);

    transactions.run(false, () -> dispatcher.sendTo(endpointId, rolledBack));
    assertThat(dispatcher.deliveries(rolledBack.id())).isEmpty();
    transactions.run(true, () -> {
      dispatcher.sendTo(endpointId, committed);
      assertThat(store.count(DeliveryState.PENDING)).isZero();
    });
    scheduler.runUntil(() -> store.count(DeliveryState.SUCCEEDED) == 1 && dispatcher.inFlight() == 0, Duration.ofSeconds(10));

    assertThat(server.takeRequest(10, TimeUnit.SECONDS).getHeaders().get("webhook-id")).isEqualTo(committed.id());
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(transactions.afterCommitCalls).hasValue(2);
  }

  @Test
  void sendOutsideATransaction_worksAsWithoutOne() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());

    SendReceipt receipt = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    scheduler.runUntil(() -> store.count(DeliveryState.SUCCEEDED) == 1 && dispatcher.inFlight() == 0, Duration.ofSeconds(10));

    assertThat(server.takeRequest(10, TimeUnit.SECONDS).getHeaders().get("webhook-id")).isEqualTo(receipt.eventId());
    assertThat(transactions.afterCommitCalls).hasValue(0);
  }

  @Test
  void anAmbientTransaction_needsAStoreThatWritesThroughAConnection() {
    assertThatThrownBy(() -> Dispatcher.builder().store(InMemoryDeliveryStore.create()).ambientTransaction(transactions).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ambientTransaction needs a store that writes through the host's transaction")
        .hasMessageContaining("InMemoryDeliveryStore");
  }
}
