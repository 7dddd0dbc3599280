package dev.hookwire.dispatch;

import dev.hookwire.store.spi.EndpointRepository;
import dev.hookwire.store.spi.StoredEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;

/**
 * This node's view of the endpoints in the store, and the one way endpoints change.
 *
 * <p>The store is the single source of truth. The view is a cache: it is checked against the
 * store's endpoint revision (one cheap read) once it is older than the refresh interval, and
 * reloaded when the revision moved, so a change made on another node is seen within that
 * interval. A change made here is written to the store first (compare-and-set on the endpoint's
 * version, retried on conflict) and the view reloaded at once. Each endpoint's per-node live state
 * ({@link EndpointRuntime}: requests in flight, circuit breaker, rate limit) survives reloads.
 *
 * <p>Thread-safe: the view is an immutable snapshot behind a volatile reference; reloads are
 * serialised.
 */
final class EndpointRegistry {
  private static final Logger log = DispatchLog.LOG;

  /** One endpoint as this node sees it; {@code runtime} is null if its settings cannot be read here. */
  record Entry(StoredEndpoint stored, EndpointRuntime runtime) {
    String id() {
      return stored.endpointId();
    }
  }

  /** A snapshot of the store's endpoints, in insert order, as of {@code revision}. */
  record View(Map<String, Entry> entries, long revision, Instant checkedAt) {
    static final View EMPTY = new View(Map.of(), -1, Instant.MIN);
  }

  private final EndpointRepository repository;
  private final EndpointCodec codec;
  private final Clock clock;
  private final Duration refresh;
  private final Object reloading = new Object();
  private volatile View view = View.EMPTY;

  EndpointRegistry(EndpointRepository repository, EndpointCodec codec, Clock clock, Duration refresh) {
    this.repository = repository;
    this.codec = codec;
    this.clock = clock;
    this.refresh = refresh;
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  /** The view, checked against the store first if it is older than the refresh interval. */
  View view() {
    View v = view;
    if (clock.instant().isBefore(v.checkedAt().plus(refresh))) {
      return v;
    }
    return reload(false);
  }

  /**
   * The endpoint of a claimed delivery. An id the view does not hold makes it reload from the
   * store, so that a node never takes an endpoint for deleted because its view is behind.
   *
   * @return the entry, or empty only if the store holds no endpoint with the id
   */
  Optional<Entry> find(String endpointId) {
    Entry entry = view().entries().get(endpointId);
    if (entry == null && repository.endpoint(endpointId).isPresent()) {
      // New since the view was loaded: reload. A deleted one costs one row read, not a reload.
      entry = reload(true).entries().get(endpointId);
    }
    return Optional.ofNullable(entry);
  }

  /** Reads one endpoint from the store, not the view. */
  Optional<Endpoint> read(String endpointId) {
    Objects.requireNonNull(endpointId, "endpointId == null");
    return repository.endpoint(endpointId).map(s -> codec.read(s.config()));
  }

  /** Reads every endpoint from the store, not the view. */
  List<Endpoint> readAll() {
    List<Endpoint> all = new ArrayList<>();
    for (StoredEndpoint s : repository.endpoints()) {
      all.add(codec.read(s.config()));
    }
    return Collections.unmodifiableList(all);
  }

  /** Makes the view current now: the revision is read, and everything if it moved (or if forced). */
  View reload(boolean force) {
    synchronized (reloading) {
      View v = view;
      Instant now = clock.instant();
      if (!force && now.isBefore(v.checkedAt().plus(refresh))) {
        return v; // another thread reloaded meanwhile
      }
      long revision = repository.endpointRevision();
      if (!force && revision == v.revision()) {
        view = new View(v.entries(), revision, now);
        return view;
      }
      // The revision is read before the endpoints: a change in between makes the next check
      // reload again, never miss one.
      Map<String, Entry> entries = new LinkedHashMap<>();
      for (StoredEndpoint stored : repository.endpoints()) {
        entries.put(stored.endpointId(), entry(stored, v.entries().get(stored.endpointId())));
      }
      view = new View(Collections.unmodifiableMap(entries), revision, now);
      return view;
    }
  }

  private Entry entry(StoredEndpoint stored, Entry previous) {
    if (previous != null && previous.stored().version() == stored.version()) {
      return previous;
    }
    Endpoint endpoint;
    try {
      endpoint = codec.read(stored.config());
    } catch (RuntimeException e) {
      log.error("cannot read stored endpoint {}; this node leaves its deliveries to others: {}",
          stored.endpointId(), e.getMessage(), e);
      return new Entry(stored, null);
    }
    if (previous != null && previous.runtime() != null) {
      previous.runtime().update(endpoint);
      return new Entry(stored, previous.runtime());
    }
    return new Entry(stored, new EndpointRuntime(endpoint));
  }

  // ---------------------------------------------------------------------------------------------
  // Changing

  /**
   * Registers an endpoint, idempotently by id: if the store holds one with the same settings
   * (control state aside), that one is returned unchanged; with other settings, it is refused.
   */
  Endpoint register(Endpoint endpoint, Consumer<Endpoint> validate) {
    while (true) {
      Optional<StoredEndpoint> existing = repository.endpoint(endpoint.id());
      if (existing.isPresent()) {
        return sameOrRefuse(endpoint, codec.read(existing.get().config()));
      }
      validate.accept(endpoint);
      StoredEndpoint created = StoredEndpoint.of(endpoint.id(), codec.write(endpoint), clock.instant());
      if (repository.insertEndpoint(created)) {
        reload(true);
        return endpoint;
      }
      // Another node inserted the id meanwhile: compare with that one.
    }
  }

  private Endpoint sameOrRefuse(Endpoint wanted, Endpoint stored) {
    if (!codec.sameSettings(wanted, stored)) {
      throw new IllegalArgumentException(
          "an endpoint with id " + wanted.id() + " is already registered with other settings"
              + " (stored: " + stored + "); change it with update(), or delete it first");
    }
    if (!wanted.keys().equals(stored.keys())) {
      log.info("endpoint {} is registered already; its stored signing keys are kept (change them"
          + " with rotateSecret)", wanted.id());
    }
    return stored;
  }

  /**
   * Applies a change to the stored endpoint: read, change, compare-and-set, again on conflict.
   * Enabling an endpoint restarts its failure clock.
   *
   * @throws IllegalArgumentException if the store holds no endpoint with the id
   */
  Endpoint change(String endpointId, UnaryOperator<Endpoint> change) {
    while (true) {
      StoredEndpoint current =
          repository.endpoint(endpointId).orElseThrow(() -> unknown(endpointId));
      Endpoint before = codec.read(current.config());
      Endpoint after = change.apply(before);
      Optional<Instant> failingSince =
          after.enabled() && !before.enabled() ? Optional.empty() : current.failingSince();
      if (update(current, codec.write(after), failingSince)) {
        return after;
      }
    }
  }

  /**
   * Disables an endpoint if it is enabled and {@code stillDue} holds for its stored state.
   *
   * @return the endpoint disabled by this call, or empty if it was not
   */
  Optional<Endpoint> disableIf(String endpointId, String reason, Predicate<StoredEndpoint> stillDue) {
    while (true) {
      Optional<StoredEndpoint> current = repository.endpoint(endpointId);
      if (current.isEmpty() || !stillDue.test(current.get())) {
        return Optional.empty();
      }
      Endpoint before = codec.read(current.get().config());
      if (!before.enabled()) {
        return Optional.empty();
      }
      Endpoint after = before.toBuilder().disabled(reason).build();
      if (update(current.get(), codec.write(after), current.get().failingSince())) {
        return Optional.of(after);
      }
    }
  }

  boolean delete(String endpointId) {
    boolean deleted = repository.deleteEndpoint(endpointId);
    reload(true);
    return deleted;
  }

  /**
   * Records a failed attempt: starts the endpoint's failure clock in the store unless it runs.
   *
   * @return since when the endpoint has failed without a success, on any node; empty if it is gone
   */
  Optional<Instant> failed(Entry entry, Instant now) {
    Optional<Instant> since = entry.stored().failingSince();
    return since.isPresent() ? since : setFailureClock(entry.id(), Optional.of(now));
  }

  /** Records a successful attempt: stops the endpoint's failure clock in the store if it runs. */
  void succeeded(Entry entry) {
    if (entry.stored().failingSince().isPresent()) {
      setFailureClock(entry.id(), Optional.empty());
    }
  }

  /**
   * Starts ({@code since} present) or stops the failure clock, unless the store's clock already
   * runs or stands as wanted: each transition is one write, whichever node makes it first.
   *
   * @return the clock as the store holds it afterwards; empty if the endpoint is gone
   */
  private Optional<Instant> setFailureClock(String endpointId, Optional<Instant> since) {
    while (true) {
      Optional<StoredEndpoint> current = repository.endpoint(endpointId);
      if (current.isEmpty() || current.get().failingSince().isPresent() == since.isPresent()) {
        return current.flatMap(StoredEndpoint::failingSince);
      }
      if (update(current.get(), current.get().config(), since)) {
        return since;
      }
    }
  }

  /** Compare-and-set of one endpoint; the view is reloaded at once when it applied. */
  private boolean update(StoredEndpoint current, String config, Optional<Instant> failingSince) {
    boolean applied =
        repository.updateEndpoint(
            current.with(config, failingSince, clock.instant()), current.version());
    if (applied) {
      reload(true);
    }
    return applied;
  }

  static IllegalArgumentException unknown(String endpointId) {
    return new IllegalArgumentException("no endpoint with id " + endpointId);
  }
}
