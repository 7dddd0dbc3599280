package dev.hookwire.store;

/** Where a delivery (one event to one endpoint) stands. */
public enum DeliveryState {
  /** Waiting for its next attempt, or being attempted by the node that holds its lease. */
  PENDING,
  /** An attempt succeeded. Final. */
  SUCCEEDED,
  /** Every attempt failed, or the endpoint was disabled or deleted. Kept, and replayable. */
  DEAD
}
