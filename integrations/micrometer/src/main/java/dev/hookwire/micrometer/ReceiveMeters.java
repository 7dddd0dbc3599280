package dev.hookwire.micrometer;

import dev.hookwire.receive.ReceiveListener;
import dev.hookwire.receive.ReceiveResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** The receiver's counter and timer, fed by its listener. Thread-safe. */
final class ReceiveMeters implements ReceiveListener {
  private final Map<ReceiveResult.Outcome, Counter> received = new EnumMap<>(ReceiveResult.Outcome.class);
  private final Map<ReceiveResult.Outcome, Timer> durations = new EnumMap<>(ReceiveResult.Outcome.class);

  ReceiveMeters(MeterRegistry registry, Tags tags) {
    MeterProvider<Counter> counters = Counter.builder(HookwireMetrics.RECEIVED)
        .description("Webhook requests a receiver answered, by outcome")
        .tags(tags)
        .withRegistry(registry);
    MeterProvider<Timer> timers = Timer.builder(HookwireMetrics.RECEIVE_DURATION)
        .description("How long a receiver took to answer a request, handler included")
        .tags(tags)
        .withRegistry(registry);
    // The outcomes are a fixed set: every series exists from the start, and is looked up once.
    for (ReceiveResult.Outcome outcome : ReceiveResult.Outcome.values()) {
      String tag = outcome.name().toLowerCase(Locale.ROOT);
      received.put(outcome, counters.withTags(HookwireMetrics.OUTCOME_TAG, tag));
      durations.put(outcome, timers.withTags(HookwireMetrics.OUTCOME_TAG, tag));
    }
  }

  @Override
  public void received(ReceiveResult result, Duration elapsed) {
    received.get(result.outcome()).increment();
    durations.get(result.outcome()).record(elapsed);
  }
}
