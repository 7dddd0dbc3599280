package dev.hookwire.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Selects deliveries: by endpoint, event, state and event type, created within a time window,
 * newest first, a page at a time.
 *
 * <pre>{@code
 * DeliveryQuery firstPage = DeliveryQuery.builder()
 *     .endpointId("ep_123")
 *     .state(DeliveryState.DEAD)
 *     .eventType("experience.started")
 *     .createdSince(Instant.parse("2025-06-01T00:00:00Z"))
 *     .createdBefore(Instant.parse("2025-06-02T00:00:00Z"))
 *     .limit(50)
 *     .build();
 * List<DeliveryRecord> page = dispatcher.deliveries(firstPage);
 * // the next 50, older than the last one shown:
 * DeliveryQuery nextPage = firstPage.toBuilder().after(page.get(page.size() - 1)).build();
 * }</pre>
 *
 * <p><b>Order.</b> Newest {@code createdAt} first; deliveries created at the same instant by
 * {@code deliveryId}, descending, in the store's order of text. The stores Hookwire ships order
 * ids of ASCII characters (every id Hookwire makes) alike, by character code; a store's order of
 * ids may differ for other text, but each store pages through its own order soundly.
 *
 * <p><b>Paging.</b> To page backwards in time, pass the last delivery of a page to {@link
 * Builder#after(DeliveryRecord)}: the next page starts right after it in the order above, so
 * paging visits every delivery the query selects exactly once, even where several share a
 * {@code createdAt} across a page boundary. Paging with {@link Builder#createdBefore} set to
 * the last delivery's {@code createdAt} instead would skip the deliveries created at that same
 * instant that did not fit on the page. A delivery's position never changes, so no page repeats
 * one while the store changes underneath: a delivery enqueued meanwhile appears on a later page
 * only if it sorts after the cursor (a clock that went back, or stood still), and one whose
 * state changes may drop out of a query filtered by state.
 *
 * <p><b>Cost.</b> On {@link dev.hookwire.store.jdbc.JdbcDeliveryStore}, {@code eventId} narrows
 * the rows by index everywhere. On PostgreSQL (schema version 4, whose hot path keeps few
 * indexes) an {@code endpointId} (with the time window and cursor) narrows them by the index on
 * endpoint and creation time, as on MariaDB and H2; without one, the time window and cursor
 * narrow them by a BRIN index on creation time, which reads the table's blocks of that window. Other filters are applied to the rows those select, or to every
 * delivery when none is given: such a query reads and sorts every delivery in the store, so keep
 * an event filter or a time window on a large table. {@link
 * dev.hookwire.store.memory.InMemoryDeliveryStore} looks up the event's or the endpoint's
 * deliveries, or else visits every delivery.
 *
 * <p>Immutable and thread-safe.
 *
 * @param endpointId only this endpoint's, if present
 * @param eventId only this event's, if present
 * @param state only in this state, if present
 * @param eventType only of events of exactly this type, if present
 * @param createdSince only those created at or after this time (inclusive)
 * @param createdBefore only those created before this time (exclusive), if present
 * @param after only those after this position in the order, if present: the next page
 * @param limit the most to return, from 1 to {@value #MAX_LIMIT}
 */
public record DeliveryQuery(
    Optional<String> endpointId,
    Optional<String> eventId,
    Optional<DeliveryState> state,
    Optional<String> eventType,
    Instant createdSince,
    Optional<Instant> createdBefore,
    Optional<Cursor> after,
    int limit) {

  /** The largest {@code limit} a query may have. */
  public static final int MAX_LIMIT = 10_000;

  /**
   * Validates the components.
   *
   * @param endpointId the endpoint filter
   * @param eventId the event filter
   * @param state the state filter
   * @param eventType the event type filter
   * @param createdSince the earliest creation time, inclusive
   * @param createdBefore the end of the creation times, exclusive
   * @param after the position the answer starts after
   * @param limit the most to return
   * @throws IllegalArgumentException if {@code limit} is not from 1 to {@value #MAX_LIMIT}, or
   *     {@code createdSince} is not before {@code createdBefore}
   */
  public DeliveryQuery {
    Objects.requireNonNull(endpointId, "endpointId == null");
    Objects.requireNonNull(eventId, "eventId == null");
    Objects.requireNonNull(state, "state == null");
    Objects.requireNonNull(eventType, "eventType == null");
    Objects.requireNonNull(createdSince, "createdSince == null");
    Objects.requireNonNull(createdBefore, "createdBefore == null");
    Objects.requireNonNull(after, "after == null");
    checkLimit(limit);
    if (createdBefore.isPresent() && !createdSince.isBefore(createdBefore.get())) {
      throw new IllegalArgumentException(emptyWindow(createdSince, createdBefore.get()));
    }
  }

  /**
   * A query of the first filters only: every event type, no end to the time window, the first
   * page. The same as the {@link #builder()} with these set.
   *
   * @param endpointId the endpoint filter
   * @param eventId the event filter
   * @param state the state filter
   * @param createdSince the earliest creation time, inclusive
   * @param limit the most to return
   * @throws IllegalArgumentException if {@code limit} is not from 1 to {@value #MAX_LIMIT}
   */
  public DeliveryQuery(
      Optional<String> endpointId,
      Optional<String> eventId,
      Optional<DeliveryState> state,
      Instant createdSince,
      int limit) {
    this(
        endpointId,
        eventId,
        state,
        Optional.empty(),
        createdSince,
        Optional.empty(),
        Optional.empty(),
        limit);
  }

  /**
   * Returns a builder that selects every delivery, created at or after {@link Instant#EPOCH}, up
   * to {@value #MAX_LIMIT} of them.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding this query, to make a changed copy: the next page, say.
   *
   * @return a builder with every component set as in this query
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.endpointId = endpointId;
    b.eventId = eventId;
    b.state = state;
    b.eventType = eventType;
    b.createdSince = createdSince;
    b.createdBefore = createdBefore;
    b.after = after;
    b.limit = limit;
    return b;
  }

  /**
   * Selects every delivery of one event, up to {@value #MAX_LIMIT}.
   *
   * @param eventId the event's id
   * @return the query
   */
  public static DeliveryQuery forEvent(String eventId) {
    return builder().eventId(eventId).build();
  }

  /**
   * Selects one endpoint's deliveries in a state, created at or after a time.
   *
   * @param endpointId the endpoint
   * @param state the state
   * @param createdSince the earliest creation time, inclusive
   * @param limit the most to return
   * @return the query
   * @throws IllegalArgumentException if {@code limit} is not from 1 to {@value #MAX_LIMIT}
   */
  public static DeliveryQuery forEndpoint(
      String endpointId, DeliveryState state, Instant createdSince, int limit) {
    return builder()
        .endpointId(endpointId)
        .state(state)
        .createdSince(createdSince)
        .limit(limit)
        .build();
  }

  private static int checkLimit(int limit) {
    if (limit <= 0 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be from 1 to " + MAX_LIMIT + ": " + limit);
    }
    return limit;
  }

  private static String emptyWindow(Instant since, Instant before) {
    return "createdSince ("
        + since
        + ") must be before createdBefore ("
        + before
        + "): the window [createdSince, createdBefore) holds no time";
  }

  /**
   * A position in a query's order: that of a delivery created at {@code createdAt} with id
   * {@code deliveryId}. The answer to a query with this cursor holds only the deliveries that
   * come after it: created before {@code createdAt}, or at that instant with an id that sorts
   * before {@code deliveryId}.
   *
   * <p>Immutable and thread-safe.
   *
   * @param createdAt the creation time of the last delivery seen
   * @param deliveryId the id of the last delivery seen
   */
  public record Cursor(Instant createdAt, String deliveryId) {

    /**
     * Validates the components.
     *
     * @param createdAt the creation time of the last delivery seen
     * @param deliveryId the id of the last delivery seen
     */
    public Cursor {
      Objects.requireNonNull(createdAt, "createdAt == null");
      Objects.requireNonNull(deliveryId, "deliveryId == null");
    }

    /**
     * Returns the position of a delivery: the cursor of the page that ends with it.
     *
     * @param last the last delivery of a page
     * @return its position
     */
    public static Cursor of(DeliveryRecord last) {
      Objects.requireNonNull(last, "last == null");
      return new Cursor(last.createdAt(), last.deliveryId());
    }
  }

  /**
   * Builds a {@link DeliveryQuery}. Every filter is off until set; {@code createdSince} is
   * {@link Instant#EPOCH} and {@code limit} {@value #MAX_LIMIT} unless set. Not thread-safe.
   */
  public static final class Builder {
    private Optional<String> endpointId = Optional.empty();
    private Optional<String> eventId = Optional.empty();
    private Optional<DeliveryState> state = Optional.empty();
    private Optional<String> eventType = Optional.empty();
    private Instant createdSince = Instant.EPOCH;
    private Optional<Instant> createdBefore = Optional.empty();
    private Optional<Cursor> after = Optional.empty();
    private int limit = MAX_LIMIT;

    private Builder() {}

    /**
     * Selects only deliveries to one endpoint.
     *
     * @param endpointId the endpoint's id
     * @return this builder
     */
    public Builder endpointId(String endpointId) {
      this.endpointId = Optional.of(Objects.requireNonNull(endpointId, "endpointId == null"));
      return this;
    }

    /**
     * Selects only deliveries of one event.
     *
     * @param eventId the event's id
     * @return this builder
     */
    public Builder eventId(String eventId) {
      this.eventId = Optional.of(Objects.requireNonNull(eventId, "eventId == null"));
      return this;
    }

    /**
     * Selects only deliveries in one state.
     *
     * @param state the state
     * @return this builder
     */
    public Builder state(DeliveryState state) {
      this.state = Optional.of(Objects.requireNonNull(state, "state == null"));
      return this;
    }

    /**
     * Selects only deliveries of events of one type, matched exactly (no patterns).
     *
     * @param eventType the type, such as {@code experience.started}
     * @return this builder
     */
    public Builder eventType(String eventType) {
      this.eventType = Optional.of(Objects.requireNonNull(eventType, "eventType == null"));
      return this;
    }

    /**
     * Selects only deliveries created at or after a time. Default: {@link Instant#EPOCH}.
     *
     * @param createdSince the earliest creation time, inclusive
     * @return this builder
     */
    public Builder createdSince(Instant createdSince) {
      this.createdSince = Objects.requireNonNull(createdSince, "createdSince == null");
      return this;
    }

    /**
     * Selects only deliveries created before a time. Default: no bound. To page, use {@link
     * #after(DeliveryRecord)} instead, which does not skip deliveries created at the same instant.
     *
     * @param createdBefore the end of the creation times, exclusive
     * @return this builder
     */
    public Builder createdBefore(Instant createdBefore) {
      this.createdBefore =
          Optional.of(Objects.requireNonNull(createdBefore, "createdBefore == null"));
      return this;
    }

    /**
     * Starts the answer right after a delivery in the query's order: the next page after the
     * one that {@code last} ended. Default: from the newest.
     *
     * @param last the last delivery of the previous page
     * @return this builder
     */
    public Builder after(DeliveryRecord last) {
      this.after = Optional.of(Cursor.of(last));
      return this;
    }

    /**
     * Starts the answer right after a position in the query's order, such as one a client kept
     * from {@link #after(DeliveryRecord)}'s delivery between requests.
     *
     * @param cursor the position
     * @return this builder
     */
    public Builder after(Cursor cursor) {
      this.after = Optional.of(Objects.requireNonNull(cursor, "cursor == null"));
      return this;
    }

    /**
     * Sets the most deliveries to return. Default: {@value #MAX_LIMIT}.
     *
     * @param limit from 1 to {@value #MAX_LIMIT}
     * @return this builder
     * @throws IllegalArgumentException if {@code limit} is out of that range
     */
    public Builder limit(int limit) {
      this.limit = checkLimit(limit);
      return this;
    }

    /**
     * Builds the query.
     *
     * @return the query
     * @throws IllegalStateException if {@code createdSince} is not before {@code createdBefore}
     */
    public DeliveryQuery build() {
      if (createdBefore.isPresent() && !createdSince.isBefore(createdBefore.get())) {
        throw new IllegalStateException(emptyWindow(createdSince, createdBefore.get()));
      }
      return new DeliveryQuery(
          endpointId, eventId, state, eventType, createdSince, createdBefore, after, limit);
    }
  }
}
