package dev.hookwire.dispatch;

import dev.hookwire.event.EventCodec;
import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.transport.NetworkPolicy;
import dev.hookwire.transport.Transport;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A dispatcher's settings, as the dispatcher's builder fixed them: immutable, read by
 * the dispatcher's parts.
 */
record DispatcherConfig(
    DeliveryStore store,
    Transport transport,
    boolean ownsTransport,
    ScheduledExecutorService scheduler,
    Clock clock,
    EventCodec codec,
    NetworkPolicy networkPolicy,
    RetryPolicy retryPolicy,
    Duration timeout,
    int maxInFlight,
    int maxInFlightPerEndpoint,
    int breakerThreshold,
    Duration breakerOpenFor,
    Duration autoDisableAfter,
    Duration pollInterval,
    Duration endpointRefresh,
    Duration drainTimeout,
    Optional<Duration> lease,
    Duration retainSucceeded,
    List<DeliveryListener> listeners,
    Optional<AmbientTransaction> ambientTransaction,
    Optional<DeliveryTracer> tracer,
    String nodeId) {}
