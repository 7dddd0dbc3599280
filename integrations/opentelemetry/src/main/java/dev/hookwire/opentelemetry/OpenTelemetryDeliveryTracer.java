package dev.hookwire.opentelemetry;

import static dev.hookwire.opentelemetry.SpanAttributes.ATTEMPT_LAG_MS;
import static dev.hookwire.opentelemetry.SpanAttributes.ATTEMPT_NUMBER;
import static dev.hookwire.opentelemetry.SpanAttributes.ATTEMPT_OUTCOME;
import static dev.hookwire.opentelemetry.SpanAttributes.DELIVERY_ID;
import static dev.hookwire.opentelemetry.SpanAttributes.ENDPOINT_ID;
import static dev.hookwire.opentelemetry.SpanAttributes.ERROR_TYPE;
import static dev.hookwire.opentelemetry.SpanAttributes.EVENT_ID;
import static dev.hookwire.opentelemetry.SpanAttributes.EVENT_TYPE;
import static dev.hookwire.opentelemetry.SpanAttributes.HTTP_REQUEST_METHOD;
import static dev.hookwire.opentelemetry.SpanAttributes.HTTP_REQUEST_RESEND_COUNT;
import static dev.hookwire.opentelemetry.SpanAttributes.HTTP_RESPONSE_STATUS_CODE;
import static dev.hookwire.opentelemetry.SpanAttributes.SERVER_ADDRESS;
import static dev.hookwire.opentelemetry.SpanAttributes.SERVER_PORT;
import static dev.hookwire.opentelemetry.SpanAttributes.URL_SCHEME;

import dev.hookwire.dispatch.AttemptStart;
import dev.hookwire.dispatch.DeliveryTracer;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.store.AttemptRecord;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Captures the current context at {@code send} and follows each attempt with a {@code CLIENT}
 * span, as {@link HookwireTracing#deliveryTracer()} describes. Thread-safe: it holds nothing but
 * the tracer and the propagator.
 */
final class OpenTelemetryDeliveryTracer implements DeliveryTracer {
  private final Tracer tracer;
  private final TextMapPropagator propagator;

  OpenTelemetryDeliveryTracer(Tracer tracer, TextMapPropagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  @Override
  public Optional<String> capture(WebhookEvent<?> event) {
    Context context = Context.current();
    if (!Span.fromContext(context).getSpanContext().isValid()) {
      return Optional.empty();
    }
    Map<String, String> injected = new HashMap<>();
    propagator.inject(context, injected, TraceContextCodec.SETTER);
    return TraceContextCodec.encode(injected);
  }

  @Override
  public AttemptTrace attemptStarted(AttemptStart attempt, Endpoint endpoint, Optional<String> traceContext) {
    // From the root, not the dispatcher thread's context: the attempt belongs to the sender's trace.
    Context parent = traceContext.map(this::extract).orElse(Context.root());
    String method = endpoint.method();
    SpanBuilder builder = tracer.spanBuilder(method)
        .setSpanKind(SpanKind.CLIENT)
        .setParent(parent)
        .setStartTimestamp(attempt.startedAt())
        .setAttribute(HTTP_REQUEST_METHOD, method)
        .setAttribute(DELIVERY_ID, attempt.deliveryId())
        .setAttribute(ENDPOINT_ID, attempt.endpointId())
        .setAttribute(EVENT_ID, attempt.eventId())
        .setAttribute(EVENT_TYPE, attempt.eventType())
        .setAttribute(ATTEMPT_NUMBER, (long) attempt.attemptNumber())
        .setAttribute(ATTEMPT_LAG_MS, attempt.lag().toMillis());
    if (attempt.attemptNumber() > 1) {
      builder.setAttribute(HTTP_REQUEST_RESEND_COUNT, (long) attempt.attemptNumber() - 1);
    }
    server(builder, endpoint.uri());
    Span span = builder.startSpan();
    return new Attempt(span, parent.with(span), endpoint.sendsTraceContext());
  }

  private Context extract(String kept) {
    try {
      return propagator.extract(Context.root(), TraceContextCodec.decode(kept), TraceContextCodec.GETTER);
    } catch (RuntimeException e) {
      return Context.root();   // a propagator that rejects what it reads by throwing: a new trace
    }
  }

  /**
   * Sets where the request goes: the scheme, host and port, never the path or query, which may
   * hold the endpoint's credentials (a token in the query, or the path of a chat webhook).
   */
  private static void server(SpanBuilder builder, URI uri) {
    // The endpoint parsed and checked its URL when it was built: an absolute http(s) URL.
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    builder.setAttribute(URL_SCHEME, scheme);
    builder.setAttribute(SERVER_ADDRESS, uri.getHost());
    builder.setAttribute(SERVER_PORT, (long) (uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80));
  }

  @Override
  public String toString() {
    return "OpenTelemetryDeliveryTracer";
  }

  /** One attempt's span. */
  private final class Attempt implements AttemptTrace {
    private final Span span;
    private final Context context;
    private final boolean sendTraceContext;

    Attempt(Span span, Context context, boolean sendTraceContext) {
      this.span = span;
      this.context = context;
      this.sendTraceContext = sendTraceContext;
    }

    @Override
    public Map<String, String> headers() {
      if (!sendTraceContext || !span.getSpanContext().isValid()) {
        return Map.of();
      }
      Map<String, String> headers = new HashMap<>();
      propagator.inject(context, headers, TraceContextCodec.SETTER);
      return headers;
    }

    @Override
    public void ended(AttemptRecord attempt) {
      if (attempt.status() != 0) {
        span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) attempt.status());
      }
      span.setAttribute(ATTEMPT_OUTCOME, attempt.outcome().name().toLowerCase(Locale.ROOT));
      String errorType = switch (attempt.outcome()) {
        case SUCCEEDED -> null;
        case HTTP_ERROR -> Integer.toString(attempt.status());
        case TIMEOUT -> "timeout";
        case NETWORK_ERROR -> "network";
        case REFUSED -> "refused";
      };
      if (errorType != null) {
        span.setAttribute(ERROR_TYPE, errorType);
        span.setStatus(StatusCode.ERROR);
      }
      span.end(attempt.startedAt().plus(attempt.latency()));
    }
  }
}
