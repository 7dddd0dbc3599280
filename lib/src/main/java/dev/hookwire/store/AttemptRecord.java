package dev.hookwire.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt to deliver an event to an endpoint: an entry of the delivery log.
 *
 * <p>Immutable and thread-safe.
 *
 * @param deliveryId the delivery attempted
 * @param endpointId the endpoint
 * @param eventId the event's id, also the {@code webhook-id} sent
 * @param attemptNumber 1 for the first attempt of a delivery (or of a replay), 2 for the next...
 * @param startedAt when the request started
 * @param latency how long until the response, or the failure
 * @param outcome how it ended
 * @param status the HTTP status, or 0 if there was no response
 * @param error what went wrong without a response (or a short reason for a failing status)
 * @param responseSnippet the start of the response body, at most 1 KiB; empty if none
 */
public record AttemptRecord(
    String deliveryId,
    String endpointId,
    String eventId,
    int attemptNumber,
    Instant startedAt,
    Duration latency,
    AttemptOutcome outcome,
    int status,
    Optional<String> error,
    String responseSnippet) {

  /**
   * Validates the components.
   *
   * @param deliveryId the delivery attempted
   * @param endpointId the endpoint
   * @param eventId the event's id
   * @param attemptNumber the attempt's number, from 1
   * @param startedAt when the request started
   * @param latency how long until the response or failure
   * @param outcome how it ended
   * @param status the HTTP status, or 0
   * @param error what went wrong, if anything
   * @param responseSnippet the start of the response body
   * @throws IllegalArgumentException if a number is out of range
   */
  public AttemptRecord {
    Objects.requireNonNull(deliveryId, "deliveryId == null");
    Objects.requireNonNull(endpointId, "endpointId == null");
    Objects.requireNonNull(eventId, "eventId == null");
    Objects.requireNonNull(startedAt, "startedAt == null");
    Objects.requireNonNull(latency, "latency == null");
    Objects.requireNonNull(outcome, "outcome == null");
    Objects.requireNonNull(error, "error == null");
    Objects.requireNonNull(responseSnippet, "responseSnippet == null");
    if (attemptNumber < 1) {
      throw new IllegalArgumentException("attemptNumber < 1: " + attemptNumber);
    }
    if (status != 0 && (status < 100 || status > 599)) {
      throw new IllegalArgumentException("status out of range: " + status);
    }
  }

  /**
   * Returns whether the attempt succeeded.
   *
   * @return true for a 2xx answer
   */
  public boolean succeeded() {
    return outcome == AttemptOutcome.SUCCEEDED;
  }
}
