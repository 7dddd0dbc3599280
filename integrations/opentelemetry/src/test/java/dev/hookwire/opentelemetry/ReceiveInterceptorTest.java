package dev.hookwire.opentelemetry;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.opentelemetry.testing.RecordingSpans;
import dev.hookwire.receive.ReceiveInterceptor;
import dev.hookwire.receive.ReceiveResult;
import dev.hookwire.signature.WebhookHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The receiving side's span, on its own: its parent, its outcome, its failures. */
class ReceiveInterceptorTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final WebhookHeaders FROM_A_SENDER =
      WebhookHeaders.of("traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01");

  final RecordingSpans spans = new RecordingSpans();

  @AfterEach
  void tearDown() {
    spans.close();
  }

  static ReceiveResult result(ReceiveResult.Outcome outcome, Throwable failure) {
    return new ReceiveResult(outcome, Optional.empty(), Optional.empty(), Optional.ofNullable(failure));
  }

  @Test
  @SuppressWarnings("try") // the scope is there to be closed
  void aSpanAlreadyCurrent_isTheParent_evenWhenIncomingTracesAreContinued() {
    ReceiveInterceptor interceptor =
        HookwireTracing.builder(spans.openTelemetry()).continueIncomingTraces(true).build().receiveInterceptor();
    Span server = spans.openTelemetry().getTracer("web").spanBuilder("POST /hooks").setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope scope = server.makeCurrent()) {
      interceptor.intercept(FROM_A_SENDER, () -> result(ReceiveResult.Outcome.PROCESSED, null));
    } finally {
      server.end();
    }

    SpanData received = spans.ended(SpanKind.CONSUMER).get(0);
    assertThat(received.getParentSpanId()).isEqualTo(server.getSpanContext().getSpanId());
    assertThat(received.getLinks()).singleElement()
        .satisfies(link -> assertThat(link.getSpanContext().getTraceId()).isEqualTo(TRACE));
  }

  @Test
  void aHandlerThatFailed_isAnError_aBadSignatureOnlyAnErrorType() {
    ReceiveInterceptor interceptor = HookwireTracing.create(spans.openTelemetry()).receiveInterceptor();

    interceptor.intercept(FROM_A_SENDER, () -> result(ReceiveResult.Outcome.HANDLER_FAILED, new IllegalStateException("boom")));
    interceptor.intercept(FROM_A_SENDER, () -> result(ReceiveResult.Outcome.INVALID_SIGNATURE, null));

    SpanData failed = spans.ended().get(0);
    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failed.getAttributes().get(stringKey("error.type"))).isEqualTo("handler_failed");
    assertThat(failed.getEvents()).singleElement().satisfies(e -> assertThat(e.getName()).isEqualTo("exception"));
    SpanData refused = spans.ended().get(1);
    assertThat(refused.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(refused.getAttributes().get(stringKey("error.type"))).isEqualTo("invalid_signature");
    assertThat(refused.getAttributes().get(stringKey("hookwire.receive.outcome"))).isEqualTo("invalid_signature");
    assertThat(refused.getTraceId()).isNotEqualTo(TRACE);
  }

  @Test
  void anExceptionFromProceed_endsTheSpanAsAnError_andReachesTheCaller() {
    ReceiveInterceptor interceptor = HookwireTracing.create(spans.openTelemetry()).receiveInterceptor();

    assertThatThrownBy(() -> interceptor.intercept(WebhookHeaders.of(), () -> {
      throw new IllegalStateException("store gone");
    })).hasMessage("store gone");

    assertThat(spans.ended()).singleElement().satisfies(span -> {
      assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(span.getAttributes().get(stringKey("error.type"))).isEqualTo("java.lang.IllegalStateException");
      assertThat(span.getLinks()).isEmpty();
    });
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
  }
}
