package dev.hookwire.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An endpoint as the store keeps it: its id and its configuration as a JSON document that the
 * dispatcher writes and reads. The configuration includes signing secrets, so stores must keep
 * it as carefully as any credential.
 *
 * <p>Immutable and thread-safe; {@code toString()} leaves the document out.
 *
 * @param endpointId the endpoint's id
 * @param config the configuration, JSON
 * @param updatedAt when it was last saved
 */
public record StoredEndpoint(String endpointId, String config, Instant updatedAt) {

  /**
   * Validates the components.
   *
   * @param endpointId the endpoint's id
   * @param config the configuration, JSON
   * @param updatedAt when it was last saved
   */
  public StoredEndpoint {
    Objects.requireNonNull(endpointId, "endpointId == null");
    Objects.requireNonNull(config, "config == null");
    Objects.requireNonNull(updatedAt, "updatedAt == null");
  }

  @Override
  public String toString() {
    return "StoredEndpoint[" + endpointId + ", updatedAt=" + updatedAt + "]";
  }
}
