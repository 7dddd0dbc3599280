package dev.hookwire.examples.readme;

// The README's Java snippets, in the README's order: the regions between "tag::name[]" and
// "end::name[]" are the README's blocks, word for word (ReadmeSnippetsTest fails when they
// differ). The method bodies hold them one after another, as a user pastes them.

// tag::signing[]
import dev.hookwire.event.*;
import dev.hookwire.signature.*;
import java.time.Instant;
import java.util.Map;
// end::signing[]
// tag::sending[]
import dev.hookwire.dispatch.*;
import dev.hookwire.transport.NetworkPolicy;
// end::sending[]
// tag::memory-store[]
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import java.time.Duration;
// end::memory-store[]
// tag::durable[]
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import java.sql.Connection;
// end::durable[]
// tag::receiving[]
import com.sun.net.httpserver.HttpServer;
import dev.hookwire.receive.*;
import java.net.InetSocketAddress;
// end::receiving[]
// tag::presets[]
import dev.hookwire.preset.*;
// end::presets[]

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import javax.sql.DataSource;

/**
 * The README's snippets as one program. {@link #run} executes every snippet that can run on this
 * machine, against the receiver and database a caller supplies; {@link #presets} holds the one
 * that names other systems' hosts, and is compiled only.
 */
public final class Walkthrough {
  private Walkthrough() {}

  /** What a run produced, for the test that checks it. */
  public record Outcome(String secret, String eventId, List<String> durableDeliveryIds, int receivedStatus) {}

  /**
   * Runs the snippets.
   *
   * @param endpointUrl the receiver the snippets send to
   * @param dataSource the database of the durable snippet, empty
   * @param port the port the receiving snippet listens on; 0 for any free one
   * @param waitForDeliveries returns once the receiver at {@code endpointUrl} holds this many
   *     requests, or throws
   * @return what the run produced
   * @throws Exception if a snippet fails
   */
  public static Outcome run(String endpointUrl, DataSource dataSource, int port, Await waitForDeliveries)
      throws Exception {
    // tag::signing[]
    String secret = Secrets.newStandardSecret();   // "whsec_...": one per endpoint, shared with the receiver

    WebhookEvent<ExperienceEvent> event = ExperienceEvent.builder()
        .experienceId("exp_8c1f")
        .name("Free shipping over $50")
        .experienceType(ExperienceType.SHIPPING)
        .action(ExperienceAction.STARTED)
        .timestamp(Instant.now())
        .triggeredBy("ana@example.com")
        .build()
        .toEvent();                                  // type "experience.started", id "msg_..."

    byte[] body = EventCodec.ofDefaults().encode(event);
    Signer signer = SignatureScheme.standardWebhooks().signer(secret);
    Map<String, String> headers = signer.sign(event.id(), Instant.now(), body);
    // POST `body` with `headers` (webhook-id, webhook-timestamp, webhook-signature).
    // end::signing[]

    // tag::sending[]
    Dispatcher dispatcher = Dispatcher.builder()          // in-memory store, OkHttp transport
        // Only while endpointUrl is on this machine or your network: private addresses are refused.
        .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build())
        .build();
    dispatcher.register(Endpoint.builder(endpointUrl)    // yours, e.g. "https://hooks.example.com/experiments"
        .subscribe("experience.*")                       // or exact types; nothing = every event
        .signing(SignatureScheme.standardWebhooks(), secret)
        .build());
    dispatcher.start();

    SendReceipt receipt = dispatcher.send(event);        // stored when it returns, then delivered
    // end::sending[]
    waitForDeliveries.await(1);
    // tag::sending[]
    // ...later: what happened to it
    dispatcher.attempts(receipt.eventId()).forEach(System.out::println);

    dispatcher.close();                                  // waits for requests in flight
    // end::sending[]

    // tag::memory-store[]
    InMemoryDeliveryStore memoryStore = InMemoryDeliveryStore.builder()
        .maxSucceeded(50_000)                      // default 10,000
        .retainSucceeded(Duration.ofHours(6))      // default 1 hour
        .maxPending(500_000)                       // pending + dead; default 100,000
        .build();
    Dispatcher roomyDispatcher = Dispatcher.builder().store(memoryStore).build();
    // end::memory-store[]
    roomyDispatcher.close();

    // tag::durable[]
    JdbcDeliveryStore store = JdbcDeliveryStore.builder(dataSource).build();   // yours; creates its tables
    Dispatcher durable = Dispatcher.builder()
        .store(store)
        .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build())   // as above
        .build();
    durable.register(Endpoint.builder(endpointUrl)
        .id("experiments")               // a fixed id: every instance may register it at start-up
        .subscribe("experience.*")
        .signing(SignatureScheme.standardWebhooks(), secret)
        .build());
    durable.start();

    // Transactional outbox: the event exists if and only if your transaction commits.
    SendReceipt stored;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      // ...your own changes through `connection`, such as starting the experience...
      stored = durable.send(connection, event);
      connection.commit();
    }
    durable.wake();                      // deliver now rather than at the next poll
    // end::durable[]
    waitForDeliveries.await(2);
    durable.close();

    // tag::verifying[]
    Verifier verifier = SignatureScheme.standardWebhooks().verifier(secret);

    // In your HTTP handler: the request's headers, and its body's bytes exactly as received (not
    // a parsed and re-serialised copy). Here, the request signed above.
    try {
      VerifiedWebhook verified = verifier.verify(WebhookHeaders.of(headers), body);
      WebhookEvent<?> received = EventCodec.ofDefaults().decodeTyped(body);
      if (received.data() instanceof ExperienceEvent experience) {
        System.out.println(verified.webhookId().orElseThrow() + ": " + experience.name() + " " + experience.action());
      }
      // answer 2xx
    } catch (SignatureVerificationException e) {
      // answer 401; e.reason() is MISSING_HEADER, MALFORMED_HEADER, TIMESTAMP_TOO_OLD,
      // TIMESTAMP_TOO_NEW, NO_MATCHING_SIGNATURE or BODY_TOO_LARGE, and e.getMessage() says how to fix it
      System.out.println("refused: " + e.getMessage());
    }
    // end::verifying[]

    // tag::receiving[]
    WebhookReceiver receiver = WebhookReceiver.builder()
        .verifier(SignatureScheme.standardWebhooks(), secret)     // add more to accept several schemes
        .onExperience(hook -> System.out.println(hook.data().name() + " " + hook.data().action()))
        .onGoal(hook -> System.out.println(hook.data().goals()))
        .build();                                                  // thread-safe: one per endpoint

    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);   // port: yours, e.g. 8080
    server.createContext("/hooks", exchange -> {
      // The bytes exactly as received, and no more than the receiver takes (5 MiB by default).
      byte[] rawBody = exchange.getRequestBody().readNBytes(receiver.maxBodyBytes() + 1);
      ReceiveResult result = receiver.receive(exchange.getRequestHeaders(), rawBody);   // never throws for bad requests
      result.headers().forEach(exchange.getResponseHeaders()::set);
      byte[] answer = result.bodyBytes();                          // short, safe to show the sender
      exchange.sendResponseHeaders(result.status(), answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    // end::receiving[]
    int status;
    try {
      status = post("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks", headers, body);
    } finally {
      server.stop(0);
    }
    return new Outcome(secret, receipt.eventId(), stored.deliveryIds(), status);
  }

  /**
   * The presets snippet: it names other systems' hosts, so it is compiled but not run.
   *
   * @param dispatcher a dispatcher
   * @param secret a secret shared with the receivers
   * @param sdkApiKey an ABsmartly SDK key
   * @param password the password of an Intempt destination
   * @return the receiver the snippet builds
   */
  static WebhookReceiver presets(Dispatcher dispatcher, String secret, String sdkApiKey, String password) {
    // tag::presets[]
    dispatcher.register(Intelligems.endpoint("https://hooks.example.com/intelligems", secret).build());
    dispatcher.register(Absmartly.endpoint("https://acme.absmartly.io", sdkApiKey, "www", "production").build());
    dispatcher.register(Intempt.endpoint("https://crm.example.com/api/contacts", "PUT")
        .authentication(Authentication.basic("journeys", password))
        .payloadMapper(Intempt.customPayload(Map.of("source", "hookwire")))
        .header("X-Tenant", "acme")
        .build());

    Verifier insightarc = Insightarc.verifier("https://crm.example.com/hooks/insightarc", secret);
    // end::presets[]

    // tag::preset-reader[]
    WebhookReceiver intelligems = WebhookReceiver.builder()
        .verifier(Intelligems.verifier(secret))
        .payloadReader(Intelligems.reader())
        .onExperience(hook -> System.out.println(hook.data().experienceId() + " " + hook.data().action()))
        .build();
    // end::preset-reader[]
    return intelligems;
  }

  /** Waits for the receiver the walkthrough sends to. */
  @FunctionalInterface
  public interface Await {
    /**
     * Returns once the receiver holds {@code count} requests.
     *
     * @param count how many
     * @throws Exception if they do not arrive in time
     */
    void await(int count) throws Exception;
  }

  private static int post(String url, Map<String, String> headers, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
