package dev.hookwire.opentelemetry.testing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * An OpenTelemetry SDK that keeps every ended span in memory (W3C propagation, everything
 * sampled), and lets a test wait, with a bound, until the spans it expects have ended.
 * Thread-safe.
 */
public final class RecordingSpans implements AutoCloseable {
  private final InMemorySpanExporter memory = InMemorySpanExporter.create();
  private final Object lock = new Object();
  private final OpenTelemetrySdk sdk;

  public RecordingSpans() {
    SpanExporter signalling = new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        CompletableResultCode result = memory.export(spans);
        synchronized (lock) {
          lock.notifyAll();
        }
        return result;
      }

      @Override
      public CompletableResultCode flush() {
        return memory.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return memory.shutdown();
      }
    };
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(signalling)).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }

  /** The SDK, to trace with. */
  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  /** The spans ended so far, in the order they ended. */
  public List<SpanData> ended() {
    return memory.getFinishedSpanItems();
  }

  /** The spans of one kind ended so far, in the order they ended. */
  public List<SpanData> ended(SpanKind kind) {
    return ended().stream().filter(s -> s.getKind() == kind).toList();
  }

  /**
   * Waits until the ended spans satisfy {@code condition}.
   *
   * @return the spans then
   * @throws AssertionError if they do not within {@code timeout}
   */
  public List<SpanData> await(Predicate<List<SpanData>> condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (true) {
        List<SpanData> spans = ended();
        if (condition.test(spans)) {
          return spans;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("spans still not as expected after " + timeout + ": " + spans);
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Waits until at least {@code count} spans of {@code kind} have ended. */
  public List<SpanData> await(SpanKind kind, int count, Duration timeout) throws InterruptedException {
    await(spans -> spans.stream().filter(s -> s.getKind() == kind).count() >= count, timeout);
    return ended(kind);
  }

  @Override
  public void close() {
    sdk.close();
  }
}
