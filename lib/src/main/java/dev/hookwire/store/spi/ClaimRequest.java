package dev.hookwire.store.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What a node asks of {@link DeliveryStore#claim}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param owner the claiming node's id
 * @param now the time by the node's clock: deliveries due at or before it are claimable
 * @param lease how long the claim holds; at least the request timeout plus a margin
 * @param limit the most deliveries to claim
 * @param excludedEndpoints endpoints to skip: disabled, saturated or open-circuit ones, so that
 *     their backlog never blocks other endpoints' work
 */
public record ClaimRequest(
    String owner, Instant now, Duration lease, int limit, Set<String> excludedEndpoints) {

  /**
   * Validates and copies the components.
   *
   * @param owner the claiming node's id
   * @param now the current time
   * @param lease the lease length
   * @param limit the most to claim
   * @param excludedEndpoints endpoints to skip
   * @throws IllegalArgumentException if the lease is not positive or the limit is negative
   */
  public ClaimRequest {
    Objects.requireNonNull(owner, "owner == null");
    Objects.requireNonNull(now, "now == null");
    Objects.requireNonNull(lease, "lease == null");
    if (lease.isZero() || lease.isNegative()) {
      throw new IllegalArgumentException("lease must be positive: " + lease);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit < 0: " + limit);
    }
    excludedEndpoints = Set.copyOf(excludedEndpoints);
  }
}
