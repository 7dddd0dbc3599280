package dev.hookwire.micrometer;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.store.DeliveryState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauges of one running {@link Dispatcher}, made by {@link HookwireMetrics#bindTo}: its
 * backlog by state ({@value HookwireMetrics#QUEUE_SIZE}, tagged {@code state} {@code pending} or
 * {@code dead}), its disabled endpoints ({@value HookwireMetrics#ENDPOINTS_DISABLED}) and its
 * requests in flight ({@value HookwireMetrics#ATTEMPTS_ACTIVE}).
 *
 * <p>Counting deliveries and reading endpoints may query the database behind the dispatcher's
 * store, so those values are cached: a scrape reads the store only when the values are older
 * than {@link HookwireMetrics.Builder#refreshInterval} (10 s by default), and only one scrape at
 * a time does; a scrape that arrives meanwhile gets the values as they were. The first scrape
 * reads at once; until a value has been read the gauge shows {@code NaN}. A read that throws
 * leaves the gauge at its last value, is counted in {@value HookwireMetrics#GAUGE_READ_FAILURES}
 * and logged (a warning when reads start failing, then at debug level); it never reaches the
 * registry.
 *
 * <p>Succeeded deliveries are not gauged: stores prune them (the in-memory store after an hour,
 * the JDBC store after 7 days), so their count measures retention, not traffic; count successes
 * with {@value HookwireMetrics#ATTEMPTS}.
 *
 * <p>Thread-safe. {@link #close()} removes the gauges from the registry; the dispatcher is not
 * closed.
 */
public final class DispatcherGauges implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DispatcherGauges.class);

  private final MeterRegistry registry;
  private final Clock clock;
  private final Duration refreshInterval;
  private final Counter failures;
  private final List<Reading> readings;
  private final List<Meter> meters = new ArrayList<>();
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile Instant refreshedAt;

  DispatcherGauges(MeterRegistry registry, Tags tags, Clock clock, Duration refreshInterval, Dispatcher dispatcher) {
    this.registry = registry;
    this.clock = clock;
    this.refreshInterval = refreshInterval;
    Reading pending = new Reading("pending deliveries", () -> dispatcher.count(DeliveryState.PENDING));
    Reading dead = new Reading("dead deliveries", () -> dispatcher.count(DeliveryState.DEAD));
    Reading disabled = new Reading("disabled endpoints",
        () -> dispatcher.endpoints().stream().filter(e -> !e.enabled()).count());
    this.readings = List.of(pending, dead, disabled);

    Gauge queued = registry.find(HookwireMetrics.QUEUE_SIZE).tags(tags).gauge();
    if (queued != null) {
      throw new IllegalStateException("a dispatcher's gauges are already registered with tags " + tags
          + ": give each dispatcher sharing a registry its own HookwireMetrics, with a tag of its own");
    }
    this.failures = Counter.builder(HookwireMetrics.GAUGE_READ_FAILURES)
        .description("Reads of the store for Hookwire's gauges that failed; the gauges kept their last values")
        .tags(tags)
        .register(registry);
    for (DeliveryState state : List.of(DeliveryState.PENDING, DeliveryState.DEAD)) {
      Reading reading = state == DeliveryState.PENDING ? pending : dead;
      meters.add(Gauge.builder(HookwireMetrics.QUEUE_SIZE, this, g -> g.value(reading))
          .description("Deliveries in the store by state, across every node sharing it")
          .tags(tags)
          .tag(HookwireMetrics.STATE_TAG, state.name().toLowerCase(Locale.ROOT))
          .strongReference(true)
          .register(registry));
    }
    meters.add(Gauge.builder(HookwireMetrics.ENDPOINTS_DISABLED, this, g -> g.value(disabled))
        .description("Registered endpoints that are disabled")
        .tags(tags)
        .strongReference(true)
        .register(registry));
    meters.add(Gauge.builder(HookwireMetrics.ATTEMPTS_ACTIVE, dispatcher, Dispatcher::inFlight)
        .description("Requests this dispatcher has in flight")
        .tags(tags)
        .strongReference(true)
        .register(registry));
    meters.add(failures);
  }

  /**
   * Removes this dispatcher's gauges (and the read-failure counter) from the registry. Calling it
   * again does nothing.
   */
  @Override
  public void close() {
    synchronized (meters) {
      meters.forEach(registry::remove);
      meters.clear();
    }
  }

  private double value(Reading reading) {
    refreshIfDue();
    return reading.value;
  }

  /** Reads every value again if they are older than the interval and no other read is under way. */
  private void refreshIfDue() {
    Instant now = clock.instant();
    Instant last = refreshedAt;
    boolean due = last == null || !now.isBefore(last.plus(refreshInterval)) || now.isBefore(last);
    if (!due || !refreshing.compareAndSet(false, true)) {
      return;
    }
    try {
      for (Reading reading : readings) {
        reading.refresh();
      }
      refreshedAt = clock.instant();
    } finally {
      refreshing.set(false);
    }
  }

  /** One cached value and how to read it. */
  private final class Reading {
    private final String what;
    private final LongSupplier source;
    private volatile double value = Double.NaN;
    private boolean failing; // only the refreshing thread, one at a time, touches it

    Reading(String what, LongSupplier source) {
      this.what = what;
      this.source = source;
    }

    void refresh() {
      try {
        value = source.getAsLong();
        if (failing) {
          failing = false;
          log.info("reading {} for metrics works again", what);
        }
      } catch (RuntimeException e) {
        failures.increment();
        if (!failing) {
          failing = true;
          log.warn("cannot read {} for metrics; the gauges keep their last values", what, e);
        } else {
          log.debug("cannot read {} for metrics: {}", what, e.toString());
        }
      }
    }
  }
}
