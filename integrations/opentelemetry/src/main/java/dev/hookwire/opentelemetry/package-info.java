/**
 * OpenTelemetry tracing for Hookwire, built with {@link dev.hookwire.opentelemetry.HookwireTracing}:
 * one trace from the span current at {@code send}, through every delivery attempt (a {@code
 * CLIENT} span each), to the receiver's handler (a {@code CONSUMER} span).
 *
 * <p>Parameters and return values are non-null unless stated otherwise.
 */
package dev.hookwire.opentelemetry;
