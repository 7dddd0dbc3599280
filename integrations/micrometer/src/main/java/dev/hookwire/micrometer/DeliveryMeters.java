package dev.hookwire.micrometer;

import dev.hookwire.dispatch.AttemptStart;
import dev.hookwire.dispatch.DeliveryListener;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.store.AttemptRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.Map;

/** The dispatcher's counters and timers, fed by its listener callbacks. Thread-safe. */
final class DeliveryMeters implements DeliveryListener {
  private static final String FIRST = "first";
  private static final String RETRY = "retry";
  private final boolean tagEndpoints;
  private final MeterProvider<Counter> attempts;
  private final MeterProvider<Timer> durations;
  private final MeterProvider<Timer> lag;
  private final MeterProvider<Counter> dead;
  private final MeterProvider<Counter> disabled;
  /**
   * Without endpoint tags the series are a fixed set, looked up once here rather than on every
   * attempt: by outcome, and the lag by "first" and "retry". Empty with endpoint tags.
   */
  private final Map<String, Counter> fixedAttempts = new HashMap<>();
  private final Map<String, Timer> fixedDurations = new HashMap<>();
  private final Map<String, Timer> fixedLag = new HashMap<>();

  DeliveryMeters(MeterRegistry registry, Tags tags, boolean tagEndpoints) {
    this.tagEndpoints = tagEndpoints;
    this.attempts = Counter.builder(HookwireMetrics.ATTEMPTS)
        .description("Attempts to deliver a webhook, by outcome")
        .tags(tags)
        .withRegistry(registry);
    this.durations = Timer.builder(HookwireMetrics.ATTEMPT_DURATION)
        .description("How long an attempt took, until the response or the failure")
        .tags(tags)
        .withRegistry(registry);
    this.lag = Timer.builder(HookwireMetrics.DELIVERY_LAG)
        .description("How late an attempt starts: from when it was due until it is sent")
        .tags(tags)
        .withRegistry(registry);
    this.dead = Counter.builder(HookwireMetrics.DELIVERIES_DEAD)
        .description("Deliveries that died: attempts exhausted, 410 Gone, or endpoint deleted")
        .tags(tags)
        .withRegistry(registry);
    this.disabled = Counter.builder(HookwireMetrics.ENDPOINTS_DISABLED_EVENTS)
        .description("Endpoints the dispatcher disabled: 410 Gone, or failing for too long")
        .tags(tags)
        .withRegistry(registry);
    if (!tagEndpoints) {
      // Without endpoint tags the series are known in advance: registering them now shows each
      // outcome at zero, so that a rate or an alert on it has a series from the start.
      for (String outcome : Outcomes.ALL) {
        fixedAttempts.put(outcome, attempts.withTags(HookwireMetrics.OUTCOME_TAG, outcome));
        fixedDurations.put(outcome, durations.withTags(HookwireMetrics.OUTCOME_TAG, outcome));
      }
      for (String kind : new String[] {FIRST, RETRY}) {
        fixedLag.put(kind, lag.withTags(HookwireMetrics.ATTEMPT_TAG, kind));
      }
      dead.withTags();
      disabled.withTags();
    }
  }

  @Override
  public void attemptStarted(AttemptStart attempt) {
    String kind = attempt.attemptNumber() == 1 ? FIRST : RETRY;
    Timer timer = tagEndpoints
        ? lag.withTags(tags(attempt.endpointId(), HookwireMetrics.ATTEMPT_TAG, kind))
        : fixedLag.get(kind);
    timer.record(attempt.lag());
  }

  @Override
  public void attemptRecorded(AttemptRecord attempt) {
    String outcome = Outcomes.of(attempt);
    if (tagEndpoints) {
      Tags tags = tags(attempt.endpointId(), HookwireMetrics.OUTCOME_TAG, outcome);
      attempts.withTags(tags).increment();
      durations.withTags(tags).record(attempt.latency());
    } else {
      fixedAttempts.get(outcome).increment();
      fixedDurations.get(outcome).record(attempt.latency());
    }
  }

  @Override
  public void deliveryDead(String deliveryId, String endpointId, String reason) {
    dead.withTags(tags(endpointId)).increment();
  }

  @Override
  public void endpointDisabled(Endpoint endpoint, String reason) {
    disabled.withTags(tags(endpoint.id())).increment();
  }

  private Tags tags(String endpointId, String... keyValues) {
    Tags tags = Tags.of(keyValues);
    return tagEndpoints ? tags.and(HookwireMetrics.ENDPOINT_TAG, endpointId) : tags;
  }
}
