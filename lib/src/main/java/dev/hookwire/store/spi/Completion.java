package dev.hookwire.store.spi;

import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of attempting a claimed delivery, for {@link DeliveryStore#complete}.
 *
 * <p>Applied only if the claim is still current (same owner and token, lease not taken over by
 * another node); otherwise refused as a whole, so that a node that lost its lease cannot record
 * an outcome twice.
 *
 * @param claim the claim this completes
 * @param attempt the attempt made, appended to the log; empty when the delivery is released
 *     without an attempt (a circuit open, the dispatcher closing)
 * @param state the delivery's new state
 * @param nextAttemptAt when it is due next, if {@code state} is {@link DeliveryState#PENDING}
 */
public record Completion(
    ClaimedDelivery claim, Optional<AttemptRecord> attempt, DeliveryState state, Instant nextAttemptAt) {

  /**
   * Validates the components.
   *
   * @param claim the claim this completes
   * @param attempt the attempt made, if any
   * @param state the new state
   * @param nextAttemptAt when it is due next
   * @throws IllegalArgumentException if the attempt names another delivery than the claim
   */
  public Completion {
    Objects.requireNonNull(claim, "claim == null");
    Objects.requireNonNull(attempt, "attempt == null");
    Objects.requireNonNull(state, "state == null");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt == null");
    if (attempt.isPresent() && !attempt.get().deliveryId().equals(claim.deliveryId())) {
      throw new IllegalArgumentException(
          "attempt of delivery "
              + attempt.get().deliveryId()
              + " completes the claim of "
              + claim.deliveryId());
    }
  }
}
