package dev.hookwire.testing;

import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryQuery;
import dev.hookwire.store.DeliveryRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.spi.ClaimRequest;
import dev.hookwire.store.spi.ClaimedDelivery;
import dev.hookwire.store.spi.Completion;
import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.store.spi.NewDelivery;
import dev.hookwire.store.spi.NewMessage;
import dev.hookwire.store.spi.StoredEndpoint;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A store that hands every call to another: a test overrides the calls it watches, delays or
 * breaks, and a store that wraps another (adding a cache or metrics, say) overrides what it adds.
 * As thread-safe as the delegate and the overrides.
 */
public abstract class ForwardingStore implements DeliveryStore {
  /** The store every call goes to. */
  protected final DeliveryStore delegate;

  /**
   * Creates a store that forwards to {@code delegate}.
   *
   * @param delegate the store every call goes to
   */
  protected ForwardingStore(DeliveryStore delegate) {
    this.delegate = java.util.Objects.requireNonNull(delegate, "delegate == null");
  }

  @Override
  public boolean insertEndpoint(StoredEndpoint endpoint) {
    return delegate.insertEndpoint(endpoint);
  }

  @Override
  public boolean updateEndpoint(StoredEndpoint endpoint, long expectedVersion) {
    return delegate.updateEndpoint(endpoint, expectedVersion);
  }

  @Override
  public boolean deleteEndpoint(String endpointId) {
    return delegate.deleteEndpoint(endpointId);
  }

  @Override
  public Optional<StoredEndpoint> endpoint(String endpointId) {
    return delegate.endpoint(endpointId);
  }

  @Override
  public List<StoredEndpoint> endpoints() {
    return delegate.endpoints();
  }

  @Override
  public long endpointRevision() {
    return delegate.endpointRevision();
  }

  @Override
  public void enqueue(List<NewMessage> messages, List<NewDelivery> deliveries) {
    delegate.enqueue(messages, deliveries);
  }

  @Override
  public List<ClaimedDelivery> claim(ClaimRequest request) {
    return delegate.claim(request);
  }

  @Override
  public List<Boolean> complete(List<Completion> completions, Instant now) {
    return delegate.complete(completions, now);
  }

  @Override
  public List<Boolean> release(List<ClaimedDelivery> claims, Instant dueAt, Instant now) {
    return delegate.release(claims, dueAt, now);
  }

  @Override
  public Optional<Instant> nextDueAt(Instant now) {
    return delegate.nextDueAt(now);
  }

  @Override
  public int replay(List<String> deliveryIds, Instant now) {
    return delegate.replay(deliveryIds, now);
  }

  @Override
  public int prune(Instant updatedBefore, int limit) {
    return delegate.prune(updatedBefore, limit);
  }

  @Override
  public Optional<DeliveryRecord> delivery(String deliveryId) {
    return delegate.delivery(deliveryId);
  }

  @Override
  public List<DeliveryRecord> deliveries(DeliveryQuery query) {
    return delegate.deliveries(query);
  }

  @Override
  public List<AttemptRecord> attemptsForEvent(String eventId) {
    return delegate.attemptsForEvent(eventId);
  }

  @Override
  public List<AttemptRecord> attemptsForEndpoint(String endpointId, Instant since, int limit) {
    return delegate.attemptsForEndpoint(endpointId, since, limit);
  }

  @Override
  public long count(DeliveryState state) {
    return delegate.count(state);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
