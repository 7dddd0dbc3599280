package dev.hookwire.examples.readme;

import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryQuery;
import dev.hookwire.store.DeliveryRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
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
import javax.sql.DataSource;

/**
 * The store of the README's "Implementing an SPI" snippet: a host's own class outside Hookwire's
 * packages, here one that hands every call to a {@link JdbcDeliveryStore}, so that the contract
 * suite runs from a user's package exactly as the README shows. Thread-safe.
 */
final class MyDeliveryStore implements DeliveryStore {
  private final JdbcDeliveryStore delegate;

  MyDeliveryStore(DataSource database) {
    this.delegate = JdbcDeliveryStore.builder(database).build();
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
