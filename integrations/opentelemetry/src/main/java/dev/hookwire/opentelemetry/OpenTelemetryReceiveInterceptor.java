package dev.hookwire.opentelemetry;

import static dev.hookwire.opentelemetry.SpanAttributes.ERROR_TYPE;
import static dev.hookwire.opentelemetry.SpanAttributes.EVENT_ID;
import static dev.hookwire.opentelemetry.SpanAttributes.EVENT_TYPE;
import static dev.hookwire.opentelemetry.SpanAttributes.HTTP_RESPONSE_STATUS_CODE;
import static dev.hookwire.opentelemetry.SpanAttributes.RECEIVE_OUTCOME;
import static dev.hookwire.opentelemetry.SpanAttributes.WEBHOOK_ID;

import dev.hookwire.event.WebhookEvent;
import dev.hookwire.receive.ReceiveInterceptor;
import dev.hookwire.receive.ReceiveResult;
import dev.hookwire.receive.ReceiveResult.Outcome;
import dev.hookwire.signature.WebhookHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Wraps each received webhook in a {@code CONSUMER} span, current while the handler runs, as
 * {@link HookwireTracing#receiveInterceptor()} describes. Thread-safe: it holds nothing but its
 * settings.
 */
final class OpenTelemetryReceiveInterceptor implements ReceiveInterceptor {
  static final String SPAN_NAME = "webhook receive";

  private static final TextMapGetter<WebhookHeaders> HEADERS =
      (carrier, key) -> carrier == null ? null : carrier.first(key).orElse(null);

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final boolean continueIncomingTraces;

  OpenTelemetryReceiveInterceptor(Tracer tracer, TextMapPropagator propagator, boolean continueIncomingTraces) {
    this.tracer = tracer;
    this.propagator = propagator;
    this.continueIncomingTraces = continueIncomingTraces;
  }

  @Override
  @SuppressWarnings("try") // the scope is there to be closed
  public ReceiveResult intercept(WebhookHeaders headers, Supplier<ReceiveResult> proceed) {
    Context parent = Context.current();
    SpanContext incoming = incoming(headers);
    SpanBuilder builder = tracer.spanBuilder(SPAN_NAME).setSpanKind(SpanKind.CONSUMER);
    // A span already current (the web framework's own server span) has settled the trace.
    boolean enclosed = Span.fromContext(parent).getSpanContext().isValid();
    if (continueIncomingTraces && !enclosed && incoming.isValid()) {
      parent = parent.with(Span.wrap(incoming));
    } else if (incoming.isValid()
        && !incoming.getTraceId().equals(Span.fromContext(parent).getSpanContext().getTraceId())) {
      builder.addLink(incoming);
    }
    Span span = builder.setParent(parent).startSpan();
    try (Scope scope = parent.with(span).makeCurrent()) {
      ReceiveResult result = proceed.get();
      describe(span, result);
      return result;
    } catch (RuntimeException | Error e) {
      span.recordException(e);
      span.setAttribute(ERROR_TYPE, e.getClass().getName());
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      span.end();
    }
  }

  /** The sender's context from the request's headers; invalid if none or malformed. */
  private SpanContext incoming(WebhookHeaders headers) {
    try {
      return Span.fromContext(propagator.extract(Context.root(), headers, HEADERS)).getSpanContext();
    } catch (RuntimeException e) {
      return SpanContext.getInvalid();
    }
  }

  private static void describe(Span span, ReceiveResult result) {
    Outcome outcome = result.outcome();
    span.setAttribute(RECEIVE_OUTCOME, outcome.name().toLowerCase(Locale.ROOT));
    span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) result.status());
    // Only a parsed event's ids: parsing comes after the signature is verified.
    result.event().ifPresent(event -> describe(span, event));
    result.event().flatMap(event -> result.webhookId()).ifPresent(id -> span.setAttribute(WEBHOOK_ID, id));
    if (!outcome.isSuccess()) {
      span.setAttribute(ERROR_TYPE, outcome.name().toLowerCase(Locale.ROOT));
    }
    if (outcome == Outcome.HANDLER_FAILED || outcome == Outcome.STORE_UNAVAILABLE) {
      result.failure().ifPresent(span::recordException);
      span.setStatus(StatusCode.ERROR);
    }
  }

  private static void describe(Span span, WebhookEvent<?> event) {
    span.setAttribute(EVENT_ID, event.id());
    span.setAttribute(EVENT_TYPE, event.type());
  }

  @Override
  public String toString() {
    return "OpenTelemetryReceiveInterceptor{continueIncomingTraces=" + continueIncomingTraces + "}";
  }
}
