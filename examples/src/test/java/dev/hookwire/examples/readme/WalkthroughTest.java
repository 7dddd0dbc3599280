package dev.hookwire.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.ExperienceEvent;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.VerifiedWebhook;
import dev.hookwire.signature.Verifier;
import dev.hookwire.signature.WebhookHeaders;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the README's snippets, in order, against a receiver on loopback and an H2 database. */
class WalkthroughTest {
  private record Request(Map<String, List<String>> headers, byte[] body) {}

  private final List<Request> requests = new ArrayList<>();
  private HttpServer receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/hooks", exchange -> {
      Request request = new Request(Map.copyOf(exchange.getRequestHeaders()), exchange.getRequestBody().readAllBytes());
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
      synchronized (requests) {
        requests.add(request);
        requests.notifyAll();
      }
    });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  @Test
  void theReadmeSnippets_runInOrder_deliverSignedEvents_andAnswerASignedRequest() throws Exception {
    DataSource database = MyDatabase.fresh();
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";

    Walkthrough.Outcome outcome = Walkthrough.run(url, database, 0, this::awaitRequests);

    // The in-memory dispatcher's delivery and the durable one's, each signed with the snippet's key.
    Verifier verifier = SignatureScheme.standardWebhooks().verifier(outcome.secret());
    List<Request> received;
    synchronized (requests) {
      received = List.copyOf(requests);
    }
    assertThat(received).hasSize(2);
    for (Request request : received) {
      VerifiedWebhook verified = verifier.verify(WebhookHeaders.ofMulti(request.headers()), request.body());
      assertThat(verified.webhookId()).contains(outcome.eventId());
      WebhookEvent<?> event = EventCodec.ofDefaults().decodeTyped(request.body());
      assertThat(event.type()).isEqualTo("experience.started");
      assertThat(((ExperienceEvent) event.data()).name()).isEqualTo("Free shipping over $50");
    }
    // The outbox's delivery is recorded as succeeded in the database the snippet wrote through.
    try (JdbcDeliveryStore store = JdbcDeliveryStore.builder(database).createSchema(false).build()) {
      assertThat(outcome.durableDeliveryIds()).singleElement()
          .satisfies(id -> assertThat(store.delivery(id).orElseThrow().state()).isEqualTo(DeliveryState.SUCCEEDED));
    }
    // The receiving snippet's server verified the request signed by the signing snippet.
    assertThat(outcome.receivedStatus()).isEqualTo(200);
  }

  private void awaitRequests(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    synchronized (requests) {
      while (requests.size() < count) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new AssertionError("only " + requests.size() + " of " + count + " requests arrived within 30 s");
        }
        requests.wait(left);
      }
    }
  }
}
