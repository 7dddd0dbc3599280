package dev.hookwire.store.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An endpoint as the store keeps it: its id, its configuration as a JSON document that the
 * dispatcher writes and reads (settings, enabled or disabled with a reason, signing keys with their
 * expiry), when it began failing without a success, and its version. The configuration includes
 * signing secrets, so stores must keep it as carefully as any credential.
 *
 * <p>Immutable and thread-safe; {@code toString()} leaves the document out.
 *
 * @param endpointId the endpoint's id
 * @param config the configuration, JSON
 * @param failingSince when its current run of failed attempts began; empty while it succeeds
 * @param version the store's version of this endpoint: greater after every change (ignored by
 *     {@link EndpointRepository#insertEndpoint}, which assigns one)
 * @param updatedAt when it was last saved
 */
public record StoredEndpoint(
    String endpointId, String config, Optional<Instant> failingSince, long version, Instant updatedAt) {

  /**
   * Validates the components.
   *
   * @param endpointId the endpoint's id
   * @param config the configuration, JSON
   * @param failingSince when its current run of failed attempts began
   * @param version the store's version
   * @param updatedAt when it was last saved
   */
  public StoredEndpoint {
    Objects.requireNonNull(endpointId, "endpointId == null");
    Objects.requireNonNull(config, "config == null");
    Objects.requireNonNull(failingSince, "failingSince == null");
    Objects.requireNonNull(updatedAt, "updatedAt == null");
  }

  /**
   * Returns a new endpoint to insert: not failing, version 0 (the store assigns one).
   *
   * @param endpointId the endpoint's id
   * @param config the configuration, JSON
   * @param now the time of the insert
   * @return the endpoint
   */
  public static StoredEndpoint of(String endpointId, String config, Instant now) {
    return new StoredEndpoint(endpointId, config, Optional.empty(), 0, now);
  }

  /**
   * Returns a copy with another configuration, failing-since and update time, to pass to {@link
   * EndpointRepository#updateEndpoint}.
   *
   * @param config the new configuration
   * @param failingSince the new failing-since
   * @param now the time of the change
   * @return the copy
   */
  public StoredEndpoint with(String config, Optional<Instant> failingSince, Instant now) {
    return new StoredEndpoint(endpointId, config, failingSince, version, now);
  }

  @Override
  public String toString() {
    return "StoredEndpoint[" + endpointId + ", version=" + version
        + failingSince.map(t -> ", failingSince=" + t).orElse("") + ", updatedAt=" + updatedAt + "]";
  }
}
