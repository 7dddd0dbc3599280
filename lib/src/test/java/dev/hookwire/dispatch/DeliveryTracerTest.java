package dev.hookwire.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.ManualScheduler;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.TestDataSource;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.transport.NetworkPolicy;
import dev.hookwire.transport.OkHttpTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tracer's context is captured on the sending thread, kept with the event in the store (across
 * a retry and a restart), handed to each attempt, and its headers go only where they may.
 */
class DeliveryTracerTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  @StartStop final MockWebServer server = new MockWebServer();

  final MutableClock clock = MutableClock.at(TestEvents.T0);
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final OkHttpTransport transport =
      OkHttpTransport.builder().networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build()).build();
  final RecordingTracer tracer = new RecordingTracer();
  TestDataSource database;
  JdbcDeliveryStore store;
  Dispatcher dispatcher;

  /** The "current span" of the sending thread, as a tracing library keeps it. */
  static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  /** Keeps the current span's id; sends it as traceparent where the endpoint allows. */
  static final class RecordingTracer implements DeliveryTracer {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    volatile Map<String, String> extraHeaders = Map.of();
    volatile boolean failCapture;

    @Override
    public Optional<String> capture(WebhookEvent<?> event) {
      if (failCapture) {
        throw new IllegalStateException("no tracing today");
      }
      return Optional.ofNullable(CURRENT.get());
    }

    @Override
    public AttemptTrace attemptStarted(AttemptStart attempt, Endpoint endpoint, Optional<String> context) {
      events.add("start " + attempt.attemptNumber() + " " + context.orElse("-"));
      return new AttemptTrace() {
        @Override
        public Map<String, String> headers() {
          Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
          if (endpoint.sendsTraceContext() && context.isPresent()) {
            headers.put("traceparent", context.get());
          }
          return headers;
        }

        @Override
        public void ended(AttemptRecord record) {
          events.add("end " + record.attemptNumber() + " " + record.outcome() + " " + record.status());
        }
      };
    }
  }

  Dispatcher newDispatcher() {
    return Dispatcher.builder().store(store).transport(transport).clock(clock).scheduler(scheduler)
        .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build())
        .retryPolicy(RetryPolicy.of(Duration.ofSeconds(5)).withJitter(0))
        .tracer(tracer)
        .build();
  }

  @BeforeEach
  void setUp() {
    database = Databases.h2();
    store = JdbcDeliveryStore.builder(database).build();
    dispatcher = newDispatcher();
  }

  @AfterEach
  void tearDown() {
    dispatcher.close(Duration.ZERO);
    CURRENT.remove();
    store.close();
    transport.close();
    database.close();
  }

  Endpoint.Builder endpoint(String path) {
    return Endpoint.builder(server.url(path).toString()).signing(SignatureScheme.standardWebhooks(), Secrets.newStandardSecret());
  }

  RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(request).as("request received").isNotNull();
    return request;
  }

  void runUntil(SendReceipt receipt, DeliveryState state) {
    scheduler.runUntil(() -> receipt.deliveryIds().stream()
        .allMatch(id -> store.delivery(id).orElseThrow().state() == state) && dispatcher.inFlight() == 0, WAIT);
  }

  static final String CONTEXT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void theSendersContext_reachesEveryAttempt_andGoesAsAHeaderOnlyToEndpointsThatAllowIt() throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    dispatcher.register(endpoint("/own").sendTraceContext(true).build());
    dispatcher.start();

    CURRENT.set(CONTEXT);
    SendReceipt receipt = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    CURRENT.remove();
    scheduler.runUntil(() -> tracer.events.size() >= 2 && dispatcher.inFlight() == 0, WAIT);
    clock.advance(Duration.ofSeconds(5));
    runUntil(receipt, DeliveryState.SUCCEEDED);

    assertThat(tracer.events).containsExactly(
        "start 1 " + CONTEXT, "end 1 HTTP_ERROR 503", "start 2 " + CONTEXT, "end 2 SUCCEEDED 200");
    assertThat(take().getHeaders().get("traceparent")).isEqualTo(CONTEXT);
    assertThat(take().getHeaders().get("traceparent")).isEqualTo(CONTEXT);
  }

  @Test
  void anEndpointThatDoesNotAllowIt_getsNoTraceparent_andTheTracerCannotReplaceHookwiresHeaders() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    dispatcher.register(endpoint("/theirs").header("X-Tenant", "acme").build());
    dispatcher.start();
    tracer.extraHeaders = Map.of("webhook-id", "forged", "x-tenant", "other", "bad header", "x", "x-trace-note", "kept");

    CURRENT.set(CONTEXT);
    SendReceipt receipt = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    CURRENT.remove();
    runUntil(receipt, DeliveryState.SUCCEEDED);

    RecordedRequest request = take();
    assertThat(request.getHeaders().get("traceparent")).isNull();
    assertThat(request.getHeaders().get("webhook-id")).isEqualTo(receipt.eventId());
    assertThat(request.getHeaders().values("X-Tenant")).containsExactly("acme");
    assertThat(request.getHeaders().get("x-trace-note")).isEqualTo("kept");
    assertThat(tracer.events).containsExactly("start 1 " + CONTEXT, "end 1 SUCCEEDED 200");
  }

  @Test
  void theContext_isKeptInTheStore_soANewDispatcherAfterARestartStillHasIt() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    dispatcher.register(endpoint("/own").sendTraceContext(true).build());
    CURRENT.set(CONTEXT);
    SendReceipt receipt = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    CURRENT.remove();
    dispatcher.close(Duration.ZERO);   // never started: the delivery waits in the store

    dispatcher = newDispatcher();
    dispatcher.start();
    runUntil(receipt, DeliveryState.SUCCEEDED);

    assertThat(take().getHeaders().get("traceparent")).isEqualTo(CONTEXT);
    assertThat(tracer.events).first().isEqualTo("start 1 " + CONTEXT);
  }

  @Test
  void aTracerThatFails_costsTheTraceNeverTheEvent() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    dispatcher.register(endpoint("/own").sendTraceContext(true).build());
    dispatcher.start();

    tracer.failCapture = true;
    SendReceipt failed = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    tracer.failCapture = false;
    CURRENT.set("x".repeat(2000));   // too long to keep
    SendReceipt tooLong = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    CURRENT.remove();
    runUntil(failed, DeliveryState.SUCCEEDED);
    runUntil(tooLong, DeliveryState.SUCCEEDED);

    assertThat(take().getHeaders().get("traceparent")).isNull();
    assertThat(take().getHeaders().get("traceparent")).isNull();
    assertThat(tracer.events).filteredOn(e -> e.startsWith("start")).containsExactly("start 1 -", "start 1 -");
  }
}
