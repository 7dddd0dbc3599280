package dev.hookwire.dispatch;

import dev.hookwire.signature.Signer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One node's live state for one endpoint: requests in flight, circuit breaker, rate limit and a
 * cached signer. This state is per node by design (each node caps and protects what it sends);
 * what the whole cluster shares (enabled, keys, the failure clock) lives in the store. All
 * methods synchronise on the instance.
 */
final class EndpointRuntime {
  private Endpoint endpoint;
  private int inFlight;

  // Circuit breaker: open after `threshold` consecutive failures, for `openFor`; then one probe.
  private int consecutiveFailures;
  private Instant openUntil;
  private boolean probing;

  // Token bucket for the endpoint's rate limit.
  private double tokens;
  private Instant refilledAt;

  private Signer signer;
  private Instant signerValidUntil;
  private Engine.RequestTemplate template;

  EndpointRuntime(Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  synchronized Endpoint endpoint() {
    return endpoint;
  }

  synchronized void update(Endpoint updated) {
    boolean reEnabled = updated.enabled() && !endpoint.enabled();
    this.endpoint = updated;
    this.signer = null;
    this.template = null;
    if (reEnabled) {
      // A re-enabled endpoint starts afresh.
      consecutiveFailures = 0;
      openUntil = null;
      probing = false;
    }
  }

  synchronized int inFlight() {
    return inFlight;
  }

  /**
   * Answers null if a request may start now, {@link Instant#MAX} if the endpoint must wait for
   * one in flight to finish, or the time at which it may try again.
   */
  synchronized Instant blockedUntil(Instant now, int defaultMaxInFlight) {
    if (!endpoint.enabled()) {
      return Instant.MAX;
    }
    if (openUntil != null) {
      if (now.isBefore(openUntil)) {
        return openUntil;
      }
      if (probing || inFlight > 0) {
        return Instant.MAX;
      }
    }
    if (inFlight >= endpoint.maxInFlight().orElse(defaultMaxInFlight)) {
      return Instant.MAX;
    }
    if (endpoint.rateLimitPerNode() > 0) {
      refill(now);
      if (tokens < 1) {
        long waitNanos = (long) ((1 - tokens) / endpoint.rateLimitPerNode() * 1e9);
        return now.plusNanos(Math.max(waitNanos, 1_000_000));
      }
    }
    return null;
  }

  /** How many more requests may start now; 0 if blocked. */
  synchronized int capacity(Instant now, int defaultMaxInFlight) {
    if (blockedUntil(now, defaultMaxInFlight) != null) {
      return 0;
    }
    if (openUntil != null) {
      return 1;
    }
    int room = endpoint.maxInFlight().orElse(defaultMaxInFlight) - inFlight;
    if (endpoint.rateLimitPerNode() > 0) {
      room = Math.min(room, (int) tokens);
    }
    return Math.max(room, 0);
  }

  /** Takes a slot for one request, or answers false if none is free now. */
  synchronized boolean tryAcquire(Instant now, int defaultMaxInFlight) {
    if (blockedUntil(now, defaultMaxInFlight) != null) {
      return false;
    }
    if (openUntil != null) {
      probing = true;
    }
    if (endpoint.rateLimitPerNode() > 0) {
      tokens -= 1;
    }
    inFlight++;
    return true;
  }

  synchronized void released() {
    inFlight--;
  }

  private void refill(Instant now) {
    double rate = endpoint.rateLimitPerNode();
    double burst = Math.max(1, rate);
    if (refilledAt == null) {
      tokens = burst;
      refilledAt = now;
      return;
    }
    long nanos = Duration.between(refilledAt, now).toNanos();
    if (nanos > 0) {
      tokens = Math.min(burst, tokens + nanos / 1e9 * rate);
      refilledAt = now;
    }
  }

  /** Records a success: closes the breaker. */
  synchronized void succeeded() {
    consecutiveFailures = 0;
    openUntil = null;
    probing = false;
  }

  /** Records a failure; opens the breaker after {@code threshold} in a row (0: never). */
  synchronized void failed(Instant now, int threshold, Duration openFor) {
    consecutiveFailures++;
    if (probing || (threshold > 0 && consecutiveFailures >= threshold)) {
      openUntil = now.plus(openFor);
      probing = false;
    }
  }

  synchronized Optional<Instant> openUntil() {
    return Optional.ofNullable(openUntil);
  }

  /**
   * What every request to this endpoint shares, built once per version of the endpoint: the
   * given one if it is the current version, else one without a cache (the caller read an
   * endpoint that has since been replaced).
   */
  synchronized Engine.RequestTemplate template(Endpoint version, Duration defaultTimeout) {
    if (version != endpoint) {
      return new Engine.RequestTemplate(version, defaultTimeout);
    }
    if (template == null) {
      // The default timeout is the dispatcher's, fixed when it was built, as is this runtime.
      template = new Engine.RequestTemplate(endpoint, defaultTimeout);
    }
    return template;
  }

  /** The signer for the keys active now, rebuilt only when a rotated-out key expires. */
  synchronized Optional<Signer> signer(Instant now) {
    if (endpoint.scheme().isEmpty()) {
      return Optional.empty();
    }
    if (signer == null || (signerValidUntil != null && !now.isBefore(signerValidUntil))) {
      signer = endpoint.signerAt(now).orElseThrow();
      signerValidUntil = endpoint.nextKeyExpiry(now).orElse(null);
    }
    return Optional.of(signer);
  }
}
