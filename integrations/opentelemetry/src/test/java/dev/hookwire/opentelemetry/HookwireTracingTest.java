package dev.hookwire.opentelemetry;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.dispatch.AttemptStart;
import dev.hookwire.dispatch.DeliveryTracer;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.dispatch.SendReceipt;
import dev.hookwire.opentelemetry.testing.RecordingSpans;
import dev.hookwire.opentelemetry.testing.TracedReceiver;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.AttemptOutcome;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.testing.TestTransports;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One trace from the sender's span through every attempt to the receiver's handler, over real
 * HTTP on loopback; and what is kept, sent and continued only where it may be.
 */
class HookwireTracingTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  final RecordingSpans spans = new RecordingSpans();
  final Tracer appTracer = spans.openTelemetry().getTracer("app");
  final String secret = Secrets.newStandardSecret();
  final List<AutoCloseable> closeLast = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closeLast.size() - 1; i >= 0; i--) {
      closeLast.get(i).close();
    }
    spans.close();
  }

  TracedReceiver receiver(HookwireTracing tracing, int failFirst) {
    TracedReceiver receiver = new TracedReceiver(secret, tracing.receiveInterceptor(), failFirst);
    closeLast.add(receiver);
    return receiver;
  }

  Dispatcher dispatcher(HookwireTracing tracing, DeliveryStore store) {
    Dispatcher dispatcher = Dispatcher.builder()
        .store(store)
        .networkPolicy(TestTransports.LOOPBACK_ALLOWED)
        .retryPolicy(RetryPolicy.of(Duration.ofMillis(200)).withJitter(0))
        .tracer(tracing.deliveryTracer())
        .build();
    closeLast.add(() -> dispatcher.close(Duration.ZERO));
    return dispatcher;
  }

  Dispatcher dispatcher(HookwireTracing tracing) {
    return dispatcher(tracing, dev.hookwire.store.memory.InMemoryDeliveryStore.builder().build());
  }

  Endpoint endpoint(TracedReceiver receiver, boolean sendTraceContext) {
    return Endpoint.builder(receiver.url())
        .signing(SignatureScheme.standardWebhooks(), secret)
        .sendTraceContext(sendTraceContext)
        .build();
  }

  /** Sends an event inside a span of the application's, and returns that span's context. */
  @SuppressWarnings("try") // the scope is there to be closed
  SpanContext sendInASpan(Dispatcher dispatcher) {
    Span parent = appTracer.spanBuilder("checkout").startSpan();
    try (Scope scope = parent.makeCurrent()) {
      dispatcher.send(TestEvents.experienceStarted().toEvent());
    } finally {
      parent.end();
    }
    return parent.getSpanContext();
  }

  @Test
  void oneTrace_runsFromTheSendersSpan_throughEveryAttemptOfARetriedDelivery_toTheReceiversHandler() throws Exception {
    HookwireTracing tracing = HookwireTracing.builder(spans.openTelemetry()).continueIncomingTraces(true).build();
    TracedReceiver receiver = receiver(tracing, 1);   // the first attempt gets a 503
    Dispatcher dispatcher = dispatcher(tracing);
    Endpoint endpoint = dispatcher.register(endpoint(receiver, true));
    dispatcher.start();

    SpanContext parent = sendInASpan(dispatcher);
    List<SpanData> attempts = spans.await(SpanKind.CLIENT, 2, WAIT);
    SpanData received = spans.await(SpanKind.CONSUMER, 1, WAIT).get(0);

    assertThat(attempts).allSatisfy(attempt -> {
      assertThat(attempt.getTraceId()).isEqualTo(parent.getTraceId());
      assertThat(attempt.getParentSpanId()).isEqualTo(parent.getSpanId());
      assertThat(attempt.getName()).isEqualTo("POST");
      assertThat(attempt.getAttributes().get(stringKey("http.request.method"))).isEqualTo("POST");
      assertThat(attempt.getAttributes().get(stringKey("server.address"))).isEqualTo("127.0.0.1");
      assertThat(attempt.getAttributes().get(stringKey("hookwire.endpoint.id"))).isEqualTo(endpoint.id());
      assertThat(attempt.getAttributes().get(stringKey("hookwire.event.type"))).isEqualTo("experience.started");
      assertThat(attempt.getAttributes().get(stringKey("url.full"))).isNull();
    });
    SpanData first = attempts.get(0);
    SpanData second = attempts.get(1);
    assertThat(first.getAttributes().get(longKey("http.response.status_code"))).isEqualTo(503L);
    assertThat(first.getAttributes().get(stringKey("error.type"))).isEqualTo("503");
    assertThat(first.getAttributes().get(longKey("http.request.resend_count"))).isNull();
    assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(second.getAttributes().get(longKey("http.response.status_code"))).isEqualTo(200L);
    assertThat(second.getAttributes().get(longKey("http.request.resend_count"))).isEqualTo(1L);
    assertThat(second.getAttributes().get(stringKey("error.type"))).isNull();
    assertThat(second.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(second.getAttributes().get(stringKey("hookwire.delivery.id")))
        .isEqualTo(first.getAttributes().get(stringKey("hookwire.delivery.id")));

    // The request carried the second attempt's own context; the receiver continued it.
    assertThat(receiver.traceparents).hasSize(2).allSatisfy(header -> assertThat(header).isPresent());
    assertThat(receiver.traceparents.get(1)).hasValueSatisfying(header ->
        assertThat(header).startsWith("00-" + second.getTraceId() + "-" + second.getSpanId() + "-"));
    assertThat(received.getTraceId()).isEqualTo(parent.getTraceId());
    assertThat(received.getParentSpanId()).isEqualTo(second.getSpanId());
    assertThat(received.getName()).isEqualTo("webhook receive");
    assertThat(received.getAttributes().get(stringKey("hookwire.receive.outcome"))).isEqualTo("processed");
    assertThat(received.getAttributes().get(stringKey("hookwire.event.id")))
        .isEqualTo(second.getAttributes().get(stringKey("hookwire.event.id")));
    assertThat(receiver.handlerSpans).singleElement().satisfies(handler -> {
      assertThat(handler.getTraceId()).isEqualTo(parent.getTraceId());
      assertThat(handler.getSpanId()).isEqualTo(received.getSpanId());
    });
  }

  @Test
  void withSendTraceContextOff_theRequestCarriesNoTraceparent_andTheReceiverStartsANewTrace() throws Exception {
    HookwireTracing tracing = HookwireTracing.builder(spans.openTelemetry()).continueIncomingTraces(true).build();
    TracedReceiver receiver = receiver(tracing, 0);
    Dispatcher dispatcher = dispatcher(tracing);
    dispatcher.register(endpoint(receiver, false));
    dispatcher.start();

    SpanContext parent = sendInASpan(dispatcher);
    SpanData attempt = spans.await(SpanKind.CLIENT, 1, WAIT).get(0);
    SpanData received = spans.await(SpanKind.CONSUMER, 1, WAIT).get(0);

    assertThat(attempt.getTraceId()).isEqualTo(parent.getTraceId());
    assertThat(receiver.traceparents).containsExactly(Optional.empty());
    assertThat(received.getTraceId()).isNotEqualTo(parent.getTraceId());
    assertThat(received.getParentSpanContext().isValid()).isFalse();
    assertThat(received.getLinks()).isEmpty();
  }

  @Test
  void aReceiverThatDoesNotContinueIncomingTraces_startsItsOwnTrace_linkedToTheSendersAttempt() throws Exception {
    HookwireTracing tracing = HookwireTracing.create(spans.openTelemetry());
    TracedReceiver receiver = receiver(tracing, 0);
    Dispatcher dispatcher = dispatcher(tracing);
    dispatcher.register(endpoint(receiver, true));
    dispatcher.start();

    SpanContext parent = sendInASpan(dispatcher);
    SpanData attempt = spans.await(SpanKind.CLIENT, 1, WAIT).get(0);
    SpanData received = spans.await(SpanKind.CONSUMER, 1, WAIT).get(0);

    assertThat(receiver.traceparents).singleElement().satisfies(header -> assertThat(header).isPresent());
    assertThat(received.getTraceId()).isNotEqualTo(parent.getTraceId());
    assertThat(received.getParentSpanContext().isValid()).isFalse();
    assertThat(received.getLinks()).singleElement().satisfies(link -> {
      assertThat(link.getSpanContext().getTraceId()).isEqualTo(attempt.getTraceId());
      assertThat(link.getSpanContext().getSpanId()).isEqualTo(attempt.getSpanId());
    });
    assertThat(receiver.handlerSpans).singleElement()
        .satisfies(handler -> assertThat(handler.getSpanId()).isEqualTo(received.getSpanId()));
  }

  @Test
  void theContext_survivesARestart_keptWithTheEventInTheJdbcStore() throws Exception {
    HookwireTracing tracing = HookwireTracing.builder(spans.openTelemetry()).continueIncomingTraces(true).build();
    TracedReceiver receiver = receiver(tracing, 0);
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:otel-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    closeLast.add(() -> shutdown(dataSource));
    JdbcDeliveryStore store = JdbcDeliveryStore.builder(dataSource).build();
    closeLast.add(store::close);

    Dispatcher before = dispatcher(tracing, store);
    before.register(endpoint(receiver, true));
    SpanContext parent = sendInASpan(before);
    before.close(Duration.ZERO);   // never started: the delivery waits in the store
    assertThat(spans.ended(SpanKind.CLIENT)).isEmpty();

    Dispatcher after = dispatcher(tracing, store);
    after.start();
    SpanData attempt = spans.await(SpanKind.CLIENT, 1, WAIT).get(0);
    SpanData received = spans.await(SpanKind.CONSUMER, 1, WAIT).get(0);

    assertThat(attempt.getTraceId()).isEqualTo(parent.getTraceId());
    assertThat(attempt.getParentSpanId()).isEqualTo(parent.getSpanId());
    assertThat(received.getTraceId()).isEqualTo(parent.getTraceId());
  }

  @Test
  void withoutACurrentSpanAtSend_nothingIsKept_andEachAttemptIsARootSpan() throws Exception {
    HookwireTracing tracing = HookwireTracing.builder(spans.openTelemetry()).continueIncomingTraces(true).build();
    TracedReceiver receiver = receiver(tracing, 0);
    Dispatcher dispatcher = dispatcher(tracing);
    dispatcher.register(endpoint(receiver, true));
    dispatcher.start();

    assertThat(tracing.deliveryTracer().capture(TestEvents.experienceEvent())).isEmpty();
    dispatcher.send(TestEvents.experienceStarted().toEvent());
    SpanData attempt = spans.await(SpanKind.CLIENT, 1, WAIT).get(0);
    SpanData received = spans.await(SpanKind.CONSUMER, 1, WAIT).get(0);

    assertThat(attempt.getParentSpanContext().isValid()).isFalse();
    assertThat(received.getTraceId()).isEqualTo(attempt.getTraceId());   // the request carried the attempt's
  }

  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final AttemptStart FIRST =
      new AttemptStart("dlv_1", "ep_1", "msg_1", "order.paid", 1, START.minusMillis(40), START);

  @Test
  void aMalformedStoredContext_isIgnored_andTheAttemptStartsANewTrace() {
    DeliveryTracer tracer = HookwireTracing.create(spans.openTelemetry()).deliveryTracer();
    Endpoint endpoint = Endpoint.builder("https://hooks.example.com/in").unsigned().sendTraceContext(true).build();

    for (String kept : List.of("", ";", "garbage", "00-xyz-abc-01;k=v",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01;;;,=,=")) {
      DeliveryTracer.AttemptTrace trace = tracer.attemptStarted(FIRST, endpoint, Optional.of(kept));
      trace.ended(record(AttemptOutcome.SUCCEEDED, 200));
    }

    assertThat(spans.ended()).hasSize(7).allSatisfy(span -> assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT));
    assertThat(spans.ended().subList(0, 6)).allSatisfy(span -> assertThat(span.getParentSpanContext().isValid()).isFalse());
    // A valid traceparent with a tracestate the propagator rejects: the parent stays, the state goes.
    assertThat(spans.ended().get(6).getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void anAttempt_spansItsOwnTime_namesOnlyItsHost_andSaysHowItFailed() {
    DeliveryTracer tracer = HookwireTracing.create(spans.openTelemetry()).deliveryTracer();
    Endpoint endpoint = Endpoint.builder("https://hooks.example.com/T0/B0/s3cr3t?token=s3cr3t").unsigned().method("PUT").build();
    AttemptStart third = new AttemptStart("dlv_1", "ep_1", "msg_1", "order.paid", 3, START.minusSeconds(2), START);

    List<AttemptOutcome> outcomes = List.of(AttemptOutcome.TIMEOUT, AttemptOutcome.NETWORK_ERROR, AttemptOutcome.REFUSED);
    for (AttemptOutcome outcome : outcomes) {
      DeliveryTracer.AttemptTrace trace = tracer.attemptStarted(third, endpoint, Optional.empty());
      assertThat(trace.headers()).isEmpty();   // sendTraceContext is off
      trace.ended(record(outcome, 0));
    }

    assertThat(spans.ended()).extracting(s -> s.getAttributes().get(stringKey("error.type")))
        .containsExactly("timeout", "network", "refused");
    assertThat(spans.ended()).allSatisfy(span -> {
      assertThat(span.getName()).isEqualTo("PUT");
      assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(span.getStartEpochNanos()).isEqualTo(START.toEpochMilli() * 1_000_000);
      assertThat(span.getEndEpochNanos() - span.getStartEpochNanos()).isEqualTo(Duration.ofMillis(250).toNanos());
      assertThat(span.getAttributes().get(longKey("http.request.resend_count"))).isEqualTo(2L);
      assertThat(span.getAttributes().get(longKey("hookwire.attempt.lag_ms"))).isEqualTo(2000L);
      assertThat(span.getAttributes().get(longKey("server.port"))).isEqualTo(443L);
      assertThat(span.getAttributes().get(longKey("http.response.status_code"))).isNull();
      assertThat(span.getAttributes().asMap().values()).noneSatisfy(value -> assertThat(value.toString()).contains("s3cr3t"));
    });
  }

  static AttemptRecord record(AttemptOutcome outcome, int status) {
    return new AttemptRecord("dlv_1", "ep_1", "msg_1", 1, START, Duration.ofMillis(250), outcome, status,
        outcome == AttemptOutcome.SUCCEEDED ? Optional.empty() : Optional.of("failed"), "");
  }

  static void shutdown(JdbcDataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.createStatement().execute("SHUTDOWN");
    }
  }
}
