package dev.hookwire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.opentelemetry.HookwireTracing;
import dev.hookwire.receive.ReceiveResult;
import dev.hookwire.receive.WebhookReceiver;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.spring.testing.LoopbackReceiver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * With an OpenTelemetry in the application, the auto-configured dispatcher and receiver are
 * traced: an attempt is a client span in the trace current at send, and a handler runs inside the
 * receiver's span, which continues a sender's trace only when told to.
 */
class HookwireTracingAutoConfigurationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SECRET = Secrets.newStandardSecret();
  private static final String FOREIGN_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk openTelemetry =
      OpenTelemetrySdk.builder()
          .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();
  private static final BlockingQueue<String> HANDLED_IN_TRACE = new LinkedBlockingQueue<>();

  private final ApplicationContextRunner withoutOpenTelemetry =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  HookwireAutoConfiguration.class,
                  HookwireReceiverAutoConfiguration.class,
                  HookwireTracingAutoConfiguration.class))
          .withPropertyValues(
              "hookwire.network.allow-private-networks=true", "hookwire.receiver.secrets=" + SECRET)
          .withBean(Handlers.class);

  private final ApplicationContextRunner runner =
      withoutOpenTelemetry.withBean(OpenTelemetry.class, () -> openTelemetry);

  static class Handlers {
    @WebhookHandler("*")
    void any(WebhookEvent<?> event) {
      HANDLED_IN_TRACE.add(Span.current().getSpanContext().getTraceId());
    }
  }

  @AfterEach
  void tearDown() {
    openTelemetry.close();
    HANDLED_IN_TRACE.clear();
  }

  @Test
  void anAttempt_isAClientSpanInTheTraceCurrentAtSend() throws Exception {
    try (LoopbackReceiver endpoint = LoopbackReceiver.start()) {
      runner.run(context -> {
        Dispatcher dispatcher = context.getBean(Dispatcher.class);
        dispatcher.register(Endpoint.builder(endpoint.url()).id("loopback")
            .signing(SignatureScheme.standardWebhooks(), SECRET).build());
        Span parent = openTelemetry.getTracer("test").spanBuilder("checkout").startSpan();
        WebhookEvent<Object> event = WebhookEvent.create("order.paid", Map.of("total", 42));
        Scope scope = parent.makeCurrent();
        try {
          dispatcher.send(event);
        } finally {
          scope.close();
          parent.end();
        }

        assertThat(endpoint.next(WAIT)).isEqualTo(event.id());
        SpanData attempt = awaitSpan(SpanKind.CLIENT);
        assertThat(attempt.getTraceId()).isEqualTo(parent.getSpanContext().getTraceId());
        assertThat(attempt.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
        assertThat(attempt.getName()).isEqualTo("POST");
      });
    }
  }

  @Test
  void theReceiver_continuesASendersTrace_onlyWhenTold() throws Exception {
    runner.run(context -> {
      receiveWithTraceparent(context.getBean(WebhookReceiver.class));
      assertThat(HANDLED_IN_TRACE.poll(10, TimeUnit.SECONDS)).isNotEqualTo(FOREIGN_TRACE);
    });
    runner.withPropertyValues("hookwire.tracing.continue-incoming-traces=true").run(context -> {
      receiveWithTraceparent(context.getBean(WebhookReceiver.class));
      assertThat(HANDLED_IN_TRACE.poll(10, TimeUnit.SECONDS)).isEqualTo(FOREIGN_TRACE);
    });
  }

  @Test
  void withoutAnOpenTelemetry_turnedOff_orWithoutHookwireOpentelemetry_nothingIsTraced() {
    withoutOpenTelemetry.run(context -> {
      assertThat(context).hasSingleBean(Dispatcher.class);
      assertThat(context).doesNotHaveBean(HookwireTracing.class);
    });
    runner.withPropertyValues("hookwire.tracing.enabled=false").run(context -> {
      assertThat(context).hasSingleBean(Dispatcher.class);
      assertThat(context).doesNotHaveBean(HookwireTracing.class);
    });
    runner.withClassLoader(new FilteredClassLoader(HookwireTracing.class)).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(HookwireDispatcherCustomizer.class);
    });
  }

  @Test
  void theApplicationsOwnHookwireTracing_isTheOneUsed() {
    HookwireTracing own = HookwireTracing.create(openTelemetry);
    runner.withBean(HookwireTracing.class, () -> own)
        .run(context -> assertThat(context.getBean(HookwireTracing.class)).isSameAs(own));
  }

  private void receiveWithTraceparent(WebhookReceiver receiver) {
    WebhookEvent<Object> event = WebhookEvent.create("order.paid", Map.of("total", 42));
    byte[] body = EventCodec.ofDefaults().encode(event);
    Map<String, List<String>> headers = new HashMap<>();
    SignatureScheme.standardWebhooks().signer(SECRET).sign(event.id(), Instant.now(), body)
        .forEach((name, value) -> headers.put(name, List.of(value)));
    headers.put("traceparent", List.of("00-" + FOREIGN_TRACE + "-00f067aa0ba902b7-01"));
    assertThat(receiver.receive(headers, body).outcome()).isEqualTo(ReceiveResult.Outcome.PROCESSED);
  }

  private SpanData awaitSpan(SpanKind kind) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (SpanData span : spans.getFinishedSpanItems()) {
        if (span.getKind() == kind) {
          return span;
        }
      }
      synchronized (this) {
        wait(20);
      }
    }
    throw new AssertionError("no " + kind + " span within " + WAIT + "; spans: " + spans.getFinishedSpanItems());
  }
}
