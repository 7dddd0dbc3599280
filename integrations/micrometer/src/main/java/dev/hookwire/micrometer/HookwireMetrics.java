package dev.hookwire.micrometer;

import dev.hookwire.dispatch.DeliveryListener;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.receive.ReceiveListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Micrometer meters for Hookwire's dispatcher and receiver.
 *
 * <pre>{@code
 * HookwireMetrics metrics = HookwireMetrics.builder(registry).build();
 * Dispatcher dispatcher = Dispatcher.builder()
 *     .listener(metrics.deliveryListener())
 *     .build();
 * metrics.bindTo(dispatcher);                       // the backlog gauges
 * WebhookReceiver receiver = WebhookReceiver.builder()
 *     .verifier(SignatureScheme.standardWebhooks(), secret)
 *     .listener(metrics.receiveListener())
 *     .onAny(hook -> handle(hook))
 *     .build();
 * }</pre>
 *
 * <p>The meters, with Micrometer's dot-separated names (a Prometheus registry shows {@code
 * hookwire.attempts} as {@code hookwire_attempts_total}):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@value #ATTEMPTS}</td><td>counter</td><td>{@code outcome}, {@code endpoint}*</td>
 *       <td>attempts, by outcome, the last one of a delivery that dies included</td></tr>
 *   <tr><td>{@value #ATTEMPT_DURATION}</td><td>timer</td><td>{@code outcome}, {@code endpoint}*</td>
 *       <td>how long those attempts took, until the response or the failure</td></tr>
 *   <tr><td>{@value #DELIVERY_LAG}</td><td>timer</td><td>{@code attempt}, {@code endpoint}*</td>
 *       <td>how late each attempt starts: from when it was due (the send, or the retry time)
 *       until it is sent; {@code attempt} is {@code first} or {@code retry}</td></tr>
 *   <tr><td>{@value #DELIVERIES_DEAD}</td><td>counter</td><td>{@code endpoint}*</td>
 *       <td>deliveries that died: attempts exhausted, 410 Gone, endpoint deleted</td></tr>
 *   <tr><td>{@value #ENDPOINTS_DISABLED_EVENTS}</td><td>counter</td><td>{@code endpoint}*</td>
 *       <td>endpoints the dispatcher disabled: 410 Gone, or failing for too long</td></tr>
 *   <tr><td>{@value #QUEUE_SIZE}</td><td>gauge</td><td>{@code state}</td>
 *       <td>deliveries in the store, {@code pending} or {@code dead}, across every node sharing
 *       it (see {@link DispatcherGauges})</td></tr>
 *   <tr><td>{@value #ENDPOINTS_DISABLED}</td><td>gauge</td><td></td>
 *       <td>registered endpoints that are disabled now</td></tr>
 *   <tr><td>{@value #ATTEMPTS_ACTIVE}</td><td>gauge</td><td></td>
 *       <td>this node's requests in flight</td></tr>
 *   <tr><td>{@value #GAUGE_READ_FAILURES}</td><td>counter</td><td></td>
 *       <td>store reads for the gauges that failed</td></tr>
 *   <tr><td>{@value #RECEIVED}</td><td>counter</td><td>{@code outcome}</td>
 *       <td>requests a receiver answered; {@code outcome} is the {@link
 *       dev.hookwire.receive.ReceiveResult.Outcome} in lower case: {@code processed}, {@code
 *       duplicate}, {@code ignored}, {@code malformed}, {@code invalid_signature}, {@code
 *       too_large}, {@code handler_failed}, {@code in_progress}, {@code store_unavailable}</td></tr>
 *   <tr><td>{@value #RECEIVE_DURATION}</td><td>timer</td><td>{@code outcome}</td>
 *       <td>how long the receiver took, handler included</td></tr>
 * </table>
 *
 * <p>* only with {@link Builder#tagEndpoints tagEndpoints(true)}.
 *
 * <p>An attempt's {@code outcome} is one of a fixed set: {@code success} (2xx), {@code http_3xx},
 * {@code http_4xx}, {@code http_5xx} (the endpoint answered with such a status), {@code timeout}
 * (no complete response in time), {@code network} (connection refused or reset, TLS or DNS
 * failure) and {@code refused} (the network policy refused the destination; nothing was sent).
 * The dispatcher never follows redirects, so a 3xx is a failure of its own kind: usually an
 * endpoint URL that moved, or http where https is wanted.
 *
 * <p>Timers publish a count, a total and a maximum; to add percentiles or histograms, configure
 * the registry (a {@link io.micrometer.core.instrument.config.MeterFilter}, or Spring Boot's
 * {@code management.metrics.distribution.*} properties).
 *
 * <p>Immutable and thread-safe; so are its listeners.
 */
public final class HookwireMetrics {
  /** Counter of attempts, tagged {@code outcome}. */
  public static final String ATTEMPTS = "hookwire.attempts";
  /** Timer of attempts' latency, tagged {@code outcome}. */
  public static final String ATTEMPT_DURATION = "hookwire.attempt.duration";
  /** Timer of how late attempts start, tagged {@code attempt}: {@code first} or {@code retry}. */
  public static final String DELIVERY_LAG = "hookwire.delivery.lag";
  /** Counter of deliveries that died. */
  public static final String DELIVERIES_DEAD = "hookwire.deliveries.dead";
  /** Counter of endpoints the dispatcher disabled. */
  public static final String ENDPOINTS_DISABLED_EVENTS = "hookwire.endpoints.disabled.events";
  /** Gauge of deliveries in the store, tagged {@code state}: {@code pending} or {@code dead}. */
  public static final String QUEUE_SIZE = "hookwire.queue.size";
  /** Gauge of disabled endpoints. */
  public static final String ENDPOINTS_DISABLED = "hookwire.endpoints.disabled";
  /** Gauge of this node's requests in flight. */
  public static final String ATTEMPTS_ACTIVE = "hookwire.attempts.active";
  /** Counter of store reads for the gauges that failed. */
  public static final String GAUGE_READ_FAILURES = "hookwire.gauges.read.failures";
  /** Counter of requests a receiver answered, tagged {@code outcome}. */
  public static final String RECEIVED = "hookwire.received";
  /** Timer of how long a receiver took, tagged {@code outcome}. */
  public static final String RECEIVE_DURATION = "hookwire.receive.duration";

  /** The tag of how an attempt ended, or what a receiver did. */
  public static final String OUTCOME_TAG = "outcome";
  /** The tag of an endpoint's id, with {@link Builder#tagEndpoints tagEndpoints(true)}. */
  public static final String ENDPOINT_TAG = "endpoint";
  /** The tag of {@value #DELIVERY_LAG}: {@code first} or {@code retry}. */
  public static final String ATTEMPT_TAG = "attempt";
  /** The tag of {@value #QUEUE_SIZE}: {@code pending} or {@code dead}. */
  public static final String STATE_TAG = "state";

  private final MeterRegistry registry;
  private final Tags tags;
  private final Duration refreshInterval;
  private final Clock clock;
  private final DeliveryMeters deliveryMeters;
  private final ReceiveMeters receiveMeters;

  private HookwireMetrics(Builder builder) {
    this.registry = builder.registry;
    this.tags = builder.tags;
    this.refreshInterval = builder.refreshInterval;
    this.clock = builder.clock;
    this.deliveryMeters = new DeliveryMeters(registry, tags, builder.tagEndpoints);
    this.receiveMeters = new ReceiveMeters(registry, tags);
  }

  /**
   * Starts building the meters of a registry: no endpoint tags, gauges refreshed at most every 10
   * seconds.
   *
   * @param registry where the meters go
   * @return a builder
   */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(registry);
  }

  /**
   * Returns the listener that feeds the dispatcher's counters and timers: give it to {@link
   * Dispatcher.Builder#listener}. One listener may serve several dispatchers, whose counts then
   * add up.
   *
   * @return the listener; the same one on every call
   */
  public DeliveryListener deliveryListener() {
    return deliveryMeters;
  }

  /**
   * Returns the listener that feeds the receiver's counter and timer: give it to {@link
   * dev.hookwire.receive.WebhookReceiver.Builder#listener}.
   *
   * @return the listener; the same one on every call
   */
  public ReceiveListener receiveListener() {
    return receiveMeters;
  }

  /**
   * Registers the gauges of a dispatcher: its backlog by state, its disabled endpoints and its
   * requests in flight, read through it when the registry is scraped (see {@link
   * DispatcherGauges} for how store reads are cached). The dispatcher need not be started.
   *
   * @param dispatcher the dispatcher
   * @return the gauges; close them to remove them from the registry, when the dispatcher closes
   * @throws IllegalStateException if the registry already holds a dispatcher's gauges with this
   *     object's tags: give each dispatcher its own {@code HookwireMetrics} with a {@link
   *     Builder#tag tag} that tells them apart
   */
  public DispatcherGauges bindTo(Dispatcher dispatcher) {
    Objects.requireNonNull(dispatcher, "dispatcher == null");
    return new DispatcherGauges(registry, tags, clock, refreshInterval, dispatcher);
  }

  @Override
  public String toString() {
    return "HookwireMetrics[" + tags + "]";
  }

  /** Builds {@link HookwireMetrics}. Not thread-safe; what it builds is. */
  public static final class Builder {
    private final MeterRegistry registry;
    private Tags tags = Tags.empty();
    private boolean tagEndpoints;
    private Duration refreshInterval = Duration.ofSeconds(10);
    private Clock clock = Clock.systemUTC();

    private Builder(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry == null");
    }

    /**
     * Tags the dispatcher's meters with the endpoint's id ({@code endpoint}). Default: off,
     * because every endpoint then adds a time series to each of those meters (one per outcome to
     * the attempt meters): with many endpoints, or endpoints your users register, that is many
     * series for the registry and the monitoring system behind it. Turn it on for a few
     * endpoints you know. Gauges and the receiver's meters are never tagged by endpoint.
     *
     * @param tagEndpoints whether to tag by endpoint
     * @return this builder
     */
    public Builder tagEndpoints(boolean tagEndpoints) {
      this.tagEndpoints = tagEndpoints;
      return this;
    }

    /**
     * Adds a tag to every meter, to tell apart several dispatchers or receivers that share a
     * registry. Give all of them the same tag keys: some registries (Prometheus) refuse a meter
     * whose name is taken with other tag keys.
     *
     * @param key the tag's key, not one of the tags Hookwire sets
     * @param value its value
     * @return this builder
     * @throws IllegalArgumentException if the key is {@code outcome}, {@code endpoint}, {@code
     *     attempt} or {@code state}
     */
    public Builder tag(String key, String value) {
      Objects.requireNonNull(key, "key == null");
      Objects.requireNonNull(value, "value == null");
      if (key.equals(OUTCOME_TAG) || key.equals(ENDPOINT_TAG) || key.equals(ATTEMPT_TAG) || key.equals(STATE_TAG)) {
        throw new IllegalArgumentException("tag key " + key + " is set by Hookwire's meters; choose another");
      }
      this.tags = tags.and(key, value);
      return this;
    }

    /**
     * Sets how old the gauges' store reads may get before a scrape reads again. Default: 10
     * seconds.
     *
     * @param interval the interval, not negative; zero reads on every scrape (still one at a time)
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder refreshInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval == null");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("refreshInterval is negative: " + interval);
      }
      this.refreshInterval = interval;
      return this;
    }

    /**
     * Sets the clock the gauges' refresh interval is measured by. Default: the system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Builds the meters, registering those whose series are known in advance (each outcome of
     * the receiver's, and of the attempts' unless tagged by endpoint) at zero.
     *
     * @return the meters
     */
    public HookwireMetrics build() {
      return new HookwireMetrics(this);
    }
  }
}
