package dev.hookwire.opentelemetry;

import dev.hookwire.dispatch.DeliveryTracer;
import dev.hookwire.receive.ReceiveInterceptor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Objects;

/**
 * Traces webhooks with OpenTelemetry: one trace from the span current when an event is sent,
 * through every attempt to deliver it, to the receiver's handler.
 *
 * <pre>{@code
 * HookwireTracing tracing = HookwireTracing.create(openTelemetry);
 * Dispatcher dispatcher = Dispatcher.builder().tracer(tracing.deliveryTracer()).build();
 * WebhookReceiver receiver = WebhookReceiver.builder()
 *     .verifier(SignatureScheme.standardWebhooks(), secret)
 *     .interceptor(tracing.receiveInterceptor())
 *     .onExperience(hook -> ...)
 *     .build();
 * }</pre>
 *
 * <p>Spans are made by the tracer {@code dev.hookwire.opentelemetry} of the given {@link
 * OpenTelemetry}, whose text map propagator writes and reads the context: it must speak W3C
 * Trace Context ({@code traceparent}, {@code tracestate}), as OpenTelemetry's default does.
 *
 * <p>Immutable and thread-safe; so are the tracer and the interceptor it gives.
 */
public final class HookwireTracing {
  /** The instrumentation scope of Hookwire's spans. */
  public static final String INSTRUMENTATION_NAME = "dev.hookwire.opentelemetry";

  private final OpenTelemetryDeliveryTracer deliveryTracer;
  private final OpenTelemetryReceiveInterceptor receiveInterceptor;
  private final boolean continueIncomingTraces;

  private HookwireTracing(Builder b) {
    TracerBuilder tracerBuilder = b.openTelemetry.tracerBuilder(INSTRUMENTATION_NAME);
    String version = HookwireTracing.class.getPackage().getImplementationVersion();
    if (version != null) {
      tracerBuilder.setInstrumentationVersion(version);
    }
    Tracer tracer = tracerBuilder.build();
    TextMapPropagator propagator = b.openTelemetry.getPropagators().getTextMapPropagator();
    this.continueIncomingTraces = b.continueIncomingTraces;
    this.deliveryTracer = new OpenTelemetryDeliveryTracer(tracer, propagator);
    this.receiveInterceptor = new OpenTelemetryReceiveInterceptor(tracer, propagator, continueIncomingTraces);
  }

  /**
   * Traces with the defaults: a receiver does not continue incoming traces.
   *
   * @param openTelemetry where spans go, and the propagator to use
   * @return the tracing
   */
  public static HookwireTracing create(OpenTelemetry openTelemetry) {
    return builder(openTelemetry).build();
  }

  /**
   * Starts a builder.
   *
   * @param openTelemetry where spans go, and the propagator to use
   * @return a new builder
   */
  public static Builder builder(OpenTelemetry openTelemetry) {
    return new Builder(openTelemetry);
  }

  /**
   * Returns the tracer to give {@code Dispatcher.builder().tracer(...)}.
   *
   * <p>At {@code send} it keeps the current span's W3C context with the event (nothing when no
   * span is current), in the store, so that it outlives the queue and a restart. Each attempt is
   * then a {@code CLIENT} span, a child of that context (a root when there is none), named after
   * the HTTP method, from the attempt's start for as long as it took. It carries {@code
   * http.request.method}, {@code url.scheme}, {@code server.address}, {@code server.port}, {@code
   * http.response.status_code}, {@code http.request.resend_count} on retries, and on failures
   * {@code error.type} (the status code, {@code timeout}, {@code network} or {@code refused})
   * with the status {@code ERROR}; and Hookwire's {@code hookwire.delivery.id}, {@code
   * hookwire.endpoint.id}, {@code hookwire.event.id}, {@code hookwire.event.type}, {@code
   * hookwire.attempt.number}, {@code hookwire.attempt.lag_ms} and {@code
   * hookwire.attempt.outcome}. Not {@code url.full}: an endpoint's path or query may hold its
   * credentials.
   *
   * <p>The request carries the attempt span's {@code traceparent} (and {@code tracestate}) only
   * if its endpoint was built with {@code sendTraceContext(true)}: it shows trace ids to whoever
   * runs the endpoint.
   *
   * @return the delivery tracer; the same one on each call
   */
  public DeliveryTracer deliveryTracer() {
    return deliveryTracer;
  }

  /**
   * Returns the interceptor to give {@code WebhookReceiver.builder().interceptor(...)}.
   *
   * <p>Each request is a {@code CONSUMER} span named {@code webhook receive}, current while the
   * handler runs, so that the handler's own spans are its children. It carries {@code
   * hookwire.receive.outcome}, {@code http.response.status_code}, {@code error.type} for outcomes
   * that are not a success, and once the event is verified and parsed {@code
   * hookwire.webhook.id}, {@code hookwire.event.id} and {@code hookwire.event.type}; a handler
   * that failed, or an idempotency store that did, makes its status {@code ERROR}.
   *
   * <p>Its parent is the span current when {@code receive} is called, such as the web
   * framework's server span. Without one, the span continues the trace of the request's {@code
   * traceparent} only if {@link Builder#continueIncomingTraces} says so; otherwise it starts a
   * new trace, with a link to the sender's span.
   *
   * @return the receive interceptor; the same one on each call
   */
  public ReceiveInterceptor receiveInterceptor() {
    return receiveInterceptor;
  }

  @Override
  public String toString() {
    return "HookwireTracing{continueIncomingTraces=" + continueIncomingTraces + "}";
  }

  /** Builds a {@link HookwireTracing}. Mutable, not thread-safe. */
  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private boolean continueIncomingTraces;

    private Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry == null");
    }

    /**
     * Lets the receiver's span join the trace of the request's {@code traceparent}, so that a
     * sender's trace runs on into the handler. Turn it on for senders you trust, such as your own
     * services: anyone who can reach the endpoint chooses the trace id (and the sampling flag)
     * your spans then carry, before the signature is checked. Off, the span starts a trace of
     * its own and links to the sender's span. Default: off.
     *
     * @param continueIncomingTraces whether to continue incoming traces
     * @return this builder
     */
    public Builder continueIncomingTraces(boolean continueIncomingTraces) {
      this.continueIncomingTraces = continueIncomingTraces;
      return this;
    }

    /**
     * Builds the tracing.
     *
     * @return the tracing
     */
    public HookwireTracing build() {
      return new HookwireTracing(this);
    }
  }
}
