// Run: mvn -B -q -pl examples -am compile exec:java -Dexec.mainClass=dev.hookwire.examples.DurableSending
// Or as two processes, a real restart in between:
//   mvn -B -q -pl examples -am compile exec:java -Dexec.mainClass=dev.hookwire.examples.DurableSending -Dexec.args=enqueue
//   mvn -B -q -pl examples -am compile exec:java -Dexec.mainClass=dev.hookwire.examples.DurableSending -Dexec.args=deliver
package dev.hookwire.examples;

import com.sun.net.httpserver.HttpServer;
import dev.hookwire.dispatch.DeliveryListener;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.event.ExperienceAction;
import dev.hookwire.event.ExperienceEvent;
import dev.hookwire.event.ExperienceType;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.SignatureVerificationException;
import dev.hookwire.signature.Verifier;
import dev.hookwire.signature.WebhookHeaders;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import dev.hookwire.store.jdbc.JdbcDialect;
import dev.hookwire.transport.NetworkPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Durable sending: events survive a restart because they are committed to a database before
 * {@code send} returns.
 *
 * <p>Step {@code enqueue} opens an H2 file database, sends two events while the receiver is down
 * (one of them in the same transaction as a business row: the transactional outbox), rolls back
 * a third together with its business row, and stops with the events still pending. Step {@code
 * deliver} opens the same database in a new dispatcher, starts the receiver, and the pending
 * events arrive; the rolled-back one never does. With no argument both steps run, the database
 * closed and reopened in between.
 */
public final class DurableSending {
  /** Where the example keeps its database and the endpoint's secret. */
  static final Path HOME = Path.of(System.getProperty("java.io.tmpdir"), "hookwire-durable-example");
  /** The receiver's port, the same in both steps since the endpoint is stored with its URL. */
  static final int PORT = Integer.getInteger("hookwire.example.port", 18_089);

  private DurableSending() {}

  /**
   * Runs one step or both.
   *
   * @param args {@code enqueue}, {@code deliver}, or nothing for both
   * @throws Exception if the database or the receiver cannot start
   */
  public static void main(String[] args) throws Exception {
    String step = args.length == 0 ? "both" : args[0].toLowerCase(Locale.ROOT);
    switch (step) {
      case "enqueue" -> enqueue();
      case "deliver" -> deliver();
      case "both" -> {
        reset();
        enqueue();
        System.out.println();
        deliver();
      }
      default -> {
        System.err.println("usage: DurableSending [enqueue|deliver]");
        System.exit(2);
      }
    }
  }

  /** Sends while nobody listens, then stops: the events stay pending in the database. */
  static void enqueue() throws Exception {
    System.out.println("== enqueue: the receiver is down");
    DataSource db = database();
    createOrdersTable(db);
    try (Dispatcher dispatcher = dispatcher(db, new DeliveryListener() {})) {
      // Idempotent by id: a second run finds the endpoint stored and registers nothing new.
      dispatcher.register(
          Endpoint.builder("http://127.0.0.1:" + PORT + "/hooks")
              .id("ep_durable_example")
              .subscribe("experience.*")
              .signing(SignatureScheme.standardWebhooks(), secret())
              .build());
      dispatcher.start();

      // 1. Committed before send returns.
      String plain = dispatcher.send(experience("exp_1", ExperienceAction.STARTED)).eventId();
      System.out.println("sent " + plain + " (committed by send)");

      // 2. Written through our own transaction, with a business row: both or neither.
      try (Connection c = db.getConnection()) {
        c.setAutoCommit(false);
        insertOrder(c, "order-1");
        String outbox = dispatcher.send(c, experience("exp_2", ExperienceAction.PAUSED)).eventId();
        c.commit();
        dispatcher.wake();
        System.out.println("sent " + outbox + " with order-1 in one transaction: committed");

        insertOrder(c, "order-2");
        String rolledBack = dispatcher.send(c, experience("exp_3", ExperienceAction.ENDED)).eventId();
        c.rollback();
        System.out.println("sent " + rolledBack + " with order-2 in one transaction: rolled back");
      }
      System.out.println("pending deliveries: " + pending(dispatcher));
    }
    System.out.println("dispatcher stopped; the database keeps the pending events in " + HOME);
  }

  /** Opens the same database in a new dispatcher, with the receiver up. */
  static void deliver() throws Exception {
    System.out.println("== deliver: a new dispatcher, the receiver is up");
    DataSource db = database();
    HttpServer receiver = receiver(SignatureScheme.standardWebhooks().verifier(secret()));
    try {
      CountDownLatch done = new CountDownLatch(1);
      DeliveryListener listener =
          new DeliveryListener() {
            @Override
            public void attemptSucceeded(AttemptRecord attempt) {
              done.countDown();
            }
          };
      try (Dispatcher dispatcher = dispatcher(db, listener)) {
        long before = pending(dispatcher);
        System.out.println("pending deliveries found in the database: " + before);
        if (before == 0) {
          System.out.println("nothing to deliver; run the enqueue step first");
          return;
        }
        dispatcher.start();
        for (int i = 0; i < 300 && pending(dispatcher) > 0; i++) {
          done.await(100, TimeUnit.MILLISECONDS);
        }
        System.out.println("pending deliveries now: " + pending(dispatcher));
      }
    } finally {
      receiver.stop(0);
    }
  }

  static Dispatcher dispatcher(DataSource db, DeliveryListener listener) {
    return Dispatcher.builder()
        .store(JdbcDeliveryStore.builder(db).dialect(JdbcDialect.H2).build())
        // The receiver runs on this machine; a production dispatcher refuses such addresses.
        .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build())
        .retryPolicy(RetryPolicy.of(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2)))
        .listener(listener)
        .build();
  }

  static long pending(Dispatcher dispatcher) {
    return dispatcher.count(DeliveryState.PENDING);
  }

  static DataSource database() throws IOException {
    Files.createDirectories(HOME);
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:file:" + HOME.resolve("hookwire").toAbsolutePath());
    h2.setUser("sa");
    return h2;
  }

  static void reset() throws IOException {
    if (Files.isDirectory(HOME)) {
      try (var files = Files.list(HOME)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.delete(file);
        }
      }
    }
  }

  /** The endpoint's secret, made once and kept beside the database for the receiver. */
  static String secret() throws IOException {
    Path file = HOME.resolve("endpoint-secret");
    if (!Files.exists(file)) {
      Files.createDirectories(HOME);
      Files.writeString(file, Secrets.newStandardSecret());
    }
    return Files.readString(file).trim();
  }

  static void createOrdersTable(DataSource db) throws SQLException {
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS orders (id VARCHAR(64) PRIMARY KEY)");
    }
  }

  static void insertOrder(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("MERGE INTO orders KEY (id) VALUES (?)")) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
  }

  static WebhookEvent<ExperienceEvent> experience(String id, ExperienceAction action) {
    return ExperienceEvent.builder()
        .experienceId(id)
        .name("Free shipping over $50")
        .experienceType(ExperienceType.SHIPPING)
        .action(action)
        .timestamp(Instant.now())
        .build()
        .toEvent();
  }

  /** A receiver that verifies every request on its raw body and prints what arrived. */
  static HttpServer receiver(Verifier verifier) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT), 0);
    server.createContext(
        "/hooks",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          int status;
          try {
            verifier.verify(WebhookHeaders.ofMulti(exchange.getRequestHeaders()), body);
            System.out.println("received " + new String(body, StandardCharsets.UTF_8));
            status = 204;
          } catch (SignatureVerificationException e) {
            System.out.println("refused: " + e.getMessage());
            status = 401;
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    return server;
  }
}
