/**
 * OpenTelemetry tracing for Hookwire: {@link dev.hookwire.opentelemetry.HookwireTracing} gives a
 * {@code DeliveryTracer} for the dispatcher and a {@code ReceiveInterceptor} for the receiver.
 */
module dev.hookwire.opentelemetry {
  requires transitive dev.hookwire;
  requires transitive io.opentelemetry.api;
  requires io.opentelemetry.context;

  exports dev.hookwire.opentelemetry;
}
