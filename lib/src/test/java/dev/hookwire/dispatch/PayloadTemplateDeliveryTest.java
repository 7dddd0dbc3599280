package dev.hookwire.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.store.spi.StoredEndpoint;
import dev.hookwire.testing.CleanUp;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.ManualScheduler;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.Signal;
import dev.hookwire.testing.TestDataSource;
import dev.hookwire.testing.TestTransports;
import dev.hookwire.testing.WebhookSink;
import dev.hookwire.transport.OkHttpTransport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A payload template travels with its endpoint through the store: a node that registered nothing
 * loads it, renders it, and sends the rendered bytes signed; endpoints with the same template
 * share one stored body per event.
 */
class PayloadTemplateDeliveryTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  /** The ABsmartly collector's goal body (its Intercom guide), from a user's fields. */
  static final String GOAL_TEMPLATE =
      """
      {
        "publishedAt": "{{event.timestamp_ms}}",
        "units": [{"type": "user_id", "uid": "{{data.user_id}}"}],
        "goals": [
          {
            "name": "intercom_conversation_started",
            "achievedAt": "{{event.timestamp_ms}}",
            "properties": {
              "user_email": "{{data.email}}",
              "user_name": "{{data.name}}",
              "company": "{{data.company.name}}"
            }
          }
        ]
      }
      """;

  @RegisterExtension final CleanUp cleanUp = new CleanUp();

  /** The receiver checks signed times against the system clock, so the test clock starts now. */
  final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MILLIS));

  final String secret = Secrets.newStandardSecret();
  final Signal signal = new Signal();
  WebhookSink sink;
  OkHttpTransport transport;

  @BeforeEach
  void setUp() throws Exception {
    sink = cleanUp.add(WebhookSink.start(secret, Duration.ZERO, signal));
    transport =
        cleanUp.add(OkHttpTransport.builder().networkPolicy(TestTransports.LOOPBACK_ALLOWED).build());
  }

  /** A dispatcher node on a store; nothing registered on its builder. */
  Dispatcher node(DeliveryStore store, ManualScheduler scheduler) {
    Dispatcher dispatcher =
        Dispatcher.builder()
            .store(store)
            .transport(transport)
            .clock(clock)
            .scheduler(scheduler)
            .networkPolicy(TestTransports.LOOPBACK_ALLOWED)
            .build();
    cleanUp.add(() -> dispatcher.close(Duration.ZERO));
    return dispatcher;
  }

  TestDataSource h2() {
    TestDataSource database = Databases.h2();
    cleanUp.add(database::close);
    return database;
  }

  Endpoint.Builder endpoint(String path) {
    return Endpoint.builder(sink.url(path)).signing(SignatureScheme.standardWebhooks(), secret);
  }

  WebhookEvent<Map<String, Object>> userEvent() {
    Map<String, Object> company = new LinkedHashMap<>();
    company.put("name", "Acme");
    company.put("size", 40);
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("user_id", "u_1842");
    user.put("email", "ana@example.com");
    user.put("name", "Ana Lima");
    user.put("company", company);
    return WebhookEvent.create("conversation.started", user, clock);
  }

  static String goalBody(WebhookEvent<?> event) {
    long ms = event.timestamp().toEpochMilli();
    return "{\"publishedAt\":" + ms + ",\"units\":[{\"type\":\"user_id\",\"uid\":\"u_1842\"}],"
        + "\"goals\":[{\"name\":\"intercom_conversation_started\",\"achievedAt\":" + ms + ","
        + "\"properties\":{\"user_email\":\"ana@example.com\",\"user_name\":\"Ana Lima\","
        + "\"company\":\"Acme\"}}]}";
  }

  /** Bodies received, by request path; each request's signature verified over its body. */
  Map<String, String> bodiesByPath() {
    assertThat(sink.badSignatures()).as("requests whose signature did not verify").isZero();
    return sink.requests().values().stream()
        .flatMap(List::stream)
        .collect(Collectors.toMap(r -> r.delivery().split(" ")[0], WebhookSink.Request::body));
  }

  /**
   * Registers on one node and sends there; another node, which registered nothing and starts
   * only now, delivers.
   */
  void anotherNodeDelivers(DeliveryStore first, DeliveryStore second) {
    Dispatcher producer = node(first, new ManualScheduler(clock));
    producer.register(endpoint("/goals").payloadTemplate(GOAL_TEMPLATE).build());
    WebhookEvent<?> event = userEvent();
    producer.send(event);

    ManualScheduler scheduler = new ManualScheduler(clock);
    Dispatcher other = node(second, scheduler);
    assertThat(other.endpoints().get(0).payloadTemplate())
        .contains(PayloadTemplate.parse(GOAL_TEMPLATE));
    other.start();
    scheduler.runUntil(() -> sink.requestCount() == 1 && other.inFlight() == 0, WAIT);

    assertThat(bodiesByPath()).containsExactly(Map.entry("/goals", goalBody(event)));
  }

  @Test
  void jdbc_aNodeThatRegisteredNothing_loadsTheTemplate_andSendsTheRenderedBodySigned() {
    TestDataSource database = h2();

    anotherNodeDelivers(
        JdbcDeliveryStore.builder(database).build(), JdbcDeliveryStore.builder(database).build());
  }

  @Test
  void inMemory_aNodeThatRegisteredNothing_loadsTheTemplate_andSendsTheRenderedBodySigned() {
    InMemoryDeliveryStore store = InMemoryDeliveryStore.create();

    anotherNodeDelivers(store, store);
  }

  @Test
  void endpointsWithTheSameTemplate_shareOneStoredBodyPerEvent() {
    TestDataSource database = h2();
    JdbcDeliveryStore store = JdbcDeliveryStore.builder(database).build();
    ManualScheduler scheduler = new ManualScheduler(clock);
    Dispatcher dispatcher = node(store, scheduler);
    String other = "{\"who\": \"{{data.name}}\", \"at\": \"{{event.timestamp}}\"}";
    // Parsed apart, from equal text: the same template.
    dispatcher.register(endpoint("/a").payloadTemplate(GOAL_TEMPLATE).build());
    dispatcher.register(endpoint("/b").payloadTemplate(new String(GOAL_TEMPLATE.toCharArray())).build());
    dispatcher.register(endpoint("/c").payloadTemplate(other).build());
    dispatcher.register(endpoint("/d").build());
    WebhookEvent<?> event = userEvent();

    assertThat(dispatcher.send(event).deliveryIds()).hasSize(4);
    assertThat(Databases.column(database, "SELECT COUNT(*) FROM hookwire_messages"))
        .as("stored bodies: the template /a and /b share, /c's, and the envelope")
        .containsExactly("3");

    dispatcher.start();
    scheduler.runUntil(() -> sink.requestCount() == 4 && dispatcher.inFlight() == 0, WAIT);
    Map<String, String> bodies = bodiesByPath();
    assertThat(bodies.get("/a")).isEqualTo(goalBody(event)).isEqualTo(bodies.get("/b"));
    assertThat(bodies.get("/c"))
        .isEqualTo("{\"who\":\"Ana Lima\",\"at\":\"" + event.timestamp() + "\"}");
    assertThat(bodies.get("/d")).startsWith("{\"id\":\"" + event.id() + "\"");
  }

  @Test
  void changingAnEndpointsTemplate_changesTheBodyOnEveryNode() {
    InMemoryDeliveryStore store = InMemoryDeliveryStore.create();
    Dispatcher editor = node(store, new ManualScheduler(clock));
    Endpoint registered =
        editor.register(endpoint("/goals").id("ep_goals").payloadTemplate(GOAL_TEMPLATE).build());
    editor.update(registered.toBuilder().payloadTemplate("{\"user\": \"{{data.user_id}}\"}").build());

    ManualScheduler scheduler = new ManualScheduler(clock);
    Dispatcher other = node(store, scheduler);
    other.start();
    other.send(userEvent());
    scheduler.runUntil(() -> sink.requestCount() == 1 && other.inFlight() == 0, WAIT);

    assertThat(bodiesByPath()).containsExactly(Map.entry("/goals", "{\"user\":\"u_1842\"}"));
  }

  @Test
  void aStoredTemplateThatDoesNotParse_stopsSendRatherThanSkipTheEndpoint() {
    InMemoryDeliveryStore store = InMemoryDeliveryStore.create();
    String config =
        new EndpointCodec(Map.of(), Map.of())
            .write(endpoint("/goals").id("ep_goals").payloadTemplate(GOAL_TEMPLATE).build())
            .replace("{{data.user_id}}", "{{user_id}}");
    store.insertEndpoint(StoredEndpoint.of("ep_goals", config, clock.instant()));
    Dispatcher dispatcher = node(store, new ManualScheduler(clock));

    assertThatIllegalStateException()
        .isThrownBy(() -> dispatcher.send(userEvent()))
        .withMessageContaining("endpoint ep_goals cannot be read by this dispatcher")
        .withMessageContaining("its payload template does not parse");
  }
}
