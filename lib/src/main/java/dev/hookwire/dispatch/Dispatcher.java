package dev.hookwire.dispatch;

import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.internal.RetentionRules;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryQuery;
import dev.hookwire.store.DeliveryRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.store.spi.TransactionalDeliveryStore;
import dev.hookwire.transport.NetworkPolicy;
import dev.hookwire.transport.OkHttpTransport;
import dev.hookwire.transport.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;

/**
 * Delivers events to endpoints: the sending side's entry point.
 *
 * <pre>{@code
 * Dispatcher dispatcher = Dispatcher.builder().build();   // in-memory store, OkHttp
 * dispatcher.register(Endpoint.builder("https://hooks.example.com/experiments")
 *     .signing(SignatureScheme.standardWebhooks(), secret)
 *     .build());
 * dispatcher.start();
 * dispatcher.send(experienceEvent.toEvent());            // durable when it returns
 * ...
 * dispatcher.close();                                     // drains requests in flight
 * }</pre>
 *
 * <p><b>Contracts.</b> {@link #send} returns once the event is durable in the store. It fans the
 * event out to every enabled endpoint subscribed to its type, serialising the body once per
 * payload mapper and sharing it. Every attempt of every delivery carries the event's id as the
 * webhook id and is signed afresh with the current time. An attempt succeeds on 2xx; a 410
 * disables the endpoint; 429, 502, 503 and 504 honour {@code Retry-After} (up to the policy's
 * limit); every other status, timeout and connection failure is retried on the {@link
 * RetryPolicy}'s schedule until the delivery is dead. Dead deliveries are kept and can be
 * replayed. An endpoint failing without a success for {@link Builder#autoDisableAfter} is
 * disabled. Requests are capped globally and per endpoint; a circuit breaker stops hammering an
 * endpoint that keeps failing; so one slow or dead endpoint never holds up the others.
 *
 * <p><b>Several nodes.</b> Dispatchers sharing one store (one per instance of the host) share
 * its work and its endpoints. The store is the single source of truth for endpoints and their
 * control state (settings, enabled or disabled, keys, the failure clock); each node acts on a
 * change made on another within {@link Builder#endpointRefresh} (1 s by default), and on its own
 * changes at once. Requests-in-flight caps, the circuit breaker and {@link
 * Endpoint.Builder#rateLimitPerNode} hold per node; everything stored holds for the cluster.
 *
 * <p>Thread-safe. Work runs on the scheduler given to the builder (by default one daemon
 * thread), HTTP on the transport's own threads.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = DispatchLog.LOG;

  final Engine engine;
  private final EndpointRegistry registry;
  private final DestinationCheck destinationCheck;
  private final Map<String, PayloadMapper> mappers;

  private Dispatcher(
      Engine engine,
      EndpointRegistry registry,
      DestinationCheck destinationCheck,
      Map<String, PayloadMapper> mappers) {
    this.engine = engine;
    this.registry = registry;
    this.destinationCheck = destinationCheck;
    this.mappers = mappers;
  }

  /**
   * Starts a dispatcher with the defaults: a bounded in-memory store (see {@link Builder#store}),
   * an {@link OkHttpTransport}, the system clock, one scheduler thread, the Standard Webhooks
   * retry schedule and a 10 s timeout.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts delivering. Events sent before {@code start} are kept and delivered once started.
   *
   * @return this dispatcher
   * @throws IllegalStateException if already started or closed
   * @throws dev.hookwire.store.StoreException if the store cannot be read
   */
  public Dispatcher start() {
    engine.start();
    return this;
  }

  /**
   * Stores an event for delivery to every enabled endpoint subscribed to its type.
   *
   * <p>The event is fanned out against this node's view of the store's endpoints, which is at
   * most {@link Builder#endpointRefresh} old (a change made through this dispatcher is in it at
   * once). So an endpoint registered, enabled or subscribed on any node at least that long before
   * {@code send} gets the event, and one disabled or deleted that long before does not; a change
   * within that window may or may not apply to it. Every node behaves the same way. An event
   * sent while the store holds no endpoint at all goes nowhere, which is logged once per
   * dispatcher as a warning.
   *
   * <p>With an {@link Builder#ambientTransaction ambient transaction} set, a call inside a
   * transaction writes through its connection, as {@link #send(java.sql.Connection,
   * WebhookEvent)} does, and the dispatcher is woken after the commit.
   *
   * @param event the event
   * @return the event's id and one delivery id per endpoint
   * @throws IllegalStateException if the dispatcher is closed
   * @throws dev.hookwire.store.StoreFullException if the store is full (the in-memory store
   *     holds {@link InMemoryDeliveryStore.Builder#maxPending} pending and dead deliveries);
   *     then nothing was stored, and the message says how to raise the bound
   * @throws dev.hookwire.store.StoreException if the store cannot take it; then nothing was
   *     stored and the caller decides what to do
   */
  public SendReceipt send(WebhookEvent<?> event) {
    return engine.send(null, event, Optional.empty());
  }

  /**
   * Stores an event whose deliveries must keep order with others of the same key: to each
   * endpoint, the next delivery with the key waits until the previous one succeeded or died.
   *
   * @param event the event
   * @param orderingKey the key, for example an experience id
   * @return the event's id and one delivery id per endpoint
   * @throws IllegalStateException if the dispatcher is closed
   * @throws dev.hookwire.store.StoreFullException if the store is full; then nothing was stored
   * @throws dev.hookwire.store.StoreException if the store cannot take it
   */
  public SendReceipt send(WebhookEvent<?> event, String orderingKey) {
    Objects.requireNonNull(orderingKey, "orderingKey == null");
    return engine.send(null, event, Optional.of(orderingKey));
  }

  /**
   * Stores an event through the host's own JDBC connection, inside the host's transaction (the
   * transactional outbox): the event is delivered if and only if that transaction commits. The
   * dispatcher finds the deliveries on its next poll after the commit ({@link
   * Builder#pollInterval}); call {@link #wake()} after committing to start them at once.
   *
   * <pre>{@code
   * connection.setAutoCommit(false);
   * orders.save(connection, order);                       // the host's business change
   * dispatcher.send(connection, event);                   // same transaction
   * connection.commit();
   * dispatcher.wake();
   * }</pre>
   *
   * @param connection the host's connection, with auto-commit off; not committed or closed here
   * @param event the event
   * @return the event's id and one delivery id per endpoint
   * @throws IllegalStateException if the dispatcher is closed, or its store cannot write through
   *     a connection (only {@link dev.hookwire.store.spi.TransactionalDeliveryStore}s can)
   * @throws IllegalArgumentException if the connection is in auto-commit mode
   * @throws dev.hookwire.store.StoreException if the statements fail; the host should roll back
   */
  public SendReceipt send(java.sql.Connection connection, WebhookEvent<?> event) {
    Objects.requireNonNull(connection, "connection == null");
    return engine.send(connection, event, Optional.empty());
  }

  /**
   * Stores many events at once, each for delivery as {@link #send(WebhookEvent)} stores one:
   * for hosts that emit in bulk. All of them are written in one call of the store, which is one
   * transaction (on PostgreSQL one statement) and one commit, instead of one per event: all are
   * stored or none. Every event is fanned out and checked before anything is written. The
   * events are stored in the order given, which is the order in which their deliveries to one
   * endpoint become due. The call holds every event's bodies in memory at once and the store
   * writes them in one transaction: split very long lists into calls of a few thousand.
   *
   * <pre>{@code
   * List<SendReceipt> receipts = dispatcher.sendAll(events);
   * }</pre>
   *
   * @param events the events, none of them null and no event id twice; may be empty
   * @return one receipt per event, in the order given; an immutable list
   * @throws IllegalArgumentException if an event id appears twice; then nothing was stored
   * @throws IllegalStateException if the dispatcher is closed, or an endpoint cannot be read by
   *     this dispatcher; then nothing was stored
   * @throws dev.hookwire.store.StoreFullException if the store cannot take them all; then
   *     nothing was stored
   * @throws dev.hookwire.store.StoreException if the store cannot take them; then nothing was
   *     stored
   */
  public List<SendReceipt> sendAll(Collection<? extends WebhookEvent<?>> events) {
    return engine.sendAll(null, events);
  }

  /**
   * Stores many events through the host's own JDBC connection, inside the host's transaction,
   * as {@link #send(java.sql.Connection, WebhookEvent)} stores one: in one batch of statements,
   * delivered if and only if that transaction commits. Call {@link #wake()} after committing to
   * start them at once.
   *
   * @param connection the host's connection, with auto-commit off; not committed or closed here
   * @param events the events, none of them null and no event id twice; may be empty
   * @return one receipt per event, in the order given; an immutable list
   * @throws IllegalArgumentException if the connection is in auto-commit mode, or an event id
   *     appears twice; then nothing was written
   * @throws IllegalStateException if the dispatcher is closed, or its store cannot write through
   *     a connection (only {@link dev.hookwire.store.spi.TransactionalDeliveryStore}s can)
   * @throws dev.hookwire.store.StoreException if the statements fail; the host should roll back
   */
  public List<SendReceipt> sendAll(
      java.sql.Connection connection, Collection<? extends WebhookEvent<?>> events) {
    Objects.requireNonNull(connection, "connection == null");
    return engine.sendAll(connection, events);
  }

  /**
   * Stores an event for delivery to one endpoint, whatever the event types it subscribes to: a
   * durable "send this event to this endpoint" for an operator, such as a test event that is to
   * show in the delivery log. Unlike {@link #sendTestEvent(String, WebhookEvent)}, which makes
   * one attempt and stores nothing, the delivery is stored, attempted and retried on the
   * endpoint's schedule, and its attempts are logged, like any delivery of {@link #send}. The
   * endpoint's payload mapper makes the body.
   *
   * <pre>{@code
   * SendReceipt receipt = dispatcher.sendTo(endpointId, WebhookEvent.create("hookwire.test", data));
   * dispatcher.deliveries(DeliveryQuery.builder().eventId(receipt.eventId()).build());
   * }</pre>
   *
   * <p>The endpoint is read from the store, so a change made on any node applies at once (not
   * within {@link Builder#endpointRefresh}, as for {@code send}). As with {@code send}, the
   * dispatcher is woken at once, or after the commit of an {@link Builder#ambientTransaction
   * ambient transaction} the call writes through. The event keeps its id, the webhook id that
   * receivers de-duplicate by: an event the endpoint already had, through {@code send} or {@code
   * sendTo}, is stored and sent again, and a de-duplicating receiver drops it; to send anew, make
   * a new event.
   *
   * @param endpointId the endpoint
   * @param event the event
   * @return the event's id and the one delivery's id
   * @throws IllegalArgumentException if no endpoint has the id
   * @throws IllegalStateException if the dispatcher is closed, or the endpoint is disabled
   * @throws dev.hookwire.HookwireException if this dispatcher cannot read the stored endpoint (a
   *     payload mapper it uses is not registered here)
   * @throws dev.hookwire.store.StoreFullException if the store is full; then nothing was stored
   * @throws dev.hookwire.store.StoreException if the store cannot be read or take the event; then
   *     nothing was stored
   */
  public SendReceipt sendTo(String endpointId, WebhookEvent<?> event) {
    return engine.sendTo(endpointId, event);
  }

  /**
   * Looks for due work now instead of at the next poll: after committing a transaction that
   * {@link #send(java.sql.Connection, WebhookEvent)} wrote to, or after another node enqueued.
   * Does nothing unless the dispatcher is running.
   */
  public void wake() {
    engine.wake();
  }

  /**
   * Registers an endpoint, idempotently by id, after checking a new one: the network policy (no
   * private or loopback destination unless allowed), and, if {@link
   * Endpoint#verifyOnRegistration()} is on (by default for https), a HEAD request that must be
   * answered over a valid certificate, with a status below 500 (a receiver that takes only POST
   * may answer 404 or 405), or with exactly {@link Endpoint#registrationStatus()} where that is
   * set.
   *
   * <p>If the store already holds an endpoint with this id and the same settings, that one is
   * returned as stored, without a check: a program that registers its endpoints at start-up can
   * be restarted, and every node of a cluster may run the same registration. The comparison
   * leaves out the state that changes after registration: whether the endpoint is enabled, and its
   * signing keys (the stored keys are kept; change them with {@link #rotateSecret}). An endpoint
   * with the same id and other settings is refused: change it with {@link #update}. Give
   * endpoints that a program registers at start-up a fixed {@link Endpoint.Builder#id id}.
   *
   * <p>Every dispatcher sharing the store sees the endpoint: this one at once, others within
   * {@link Builder#endpointRefresh} (see {@link #send}).
   *
   * @param endpoint the endpoint
   * @return the endpoint as stored
   * @throws IllegalArgumentException if an endpoint with its id and other settings is stored
   * @throws EndpointValidationException if a check fails; the exception names it
   * @throws IllegalStateException if the dispatcher is closed
   * @throws dev.hookwire.store.StoreException if the store cannot be read or written
   */
  public Endpoint register(Endpoint endpoint) {
    admit(endpoint);
    Endpoint stored = registry.register(endpoint, destinationCheck::check);
    log.info("endpoint {} registered", stored);
    engine.wake();
    return stored;
  }

  /**
   * Replaces a registered endpoint's settings (same id), including whether it is enabled and its
   * keys as given. The destination is checked again if the URL changed. Safe against a
   * concurrent change on another node: the update applies to the version it read, and is
   * recomputed if another change came first.
   *
   * @param endpoint the new settings
   * @return the endpoint as stored
   * @throws IllegalArgumentException if no endpoint has its id
   * @throws EndpointValidationException if a check fails
   * @throws IllegalStateException if the dispatcher is closed
   */
  public Endpoint update(Endpoint endpoint) {
    admit(endpoint);
    Endpoint stored =
        registry.change(
            endpoint.id(),
            current -> {
              if (!current.url().equals(endpoint.url())) {
                destinationCheck.check(endpoint);
              }
              return endpoint;
            });
    log.info("endpoint {} updated", stored);
    engine.wake();
    return stored;
  }

  /**
   * What registering and updating check first: the dispatcher is open, the endpoint's requests
   * cannot outlast the configured lease; and its payload mapper becomes known here. A payload
   * template is not kept: it is stored with the endpoint, and a registry of every template ever
   * edited in would only grow.
   */
  private void admit(Endpoint endpoint) {
    Objects.requireNonNull(endpoint, "endpoint == null");
    engine.checkOpen();
    Optional<Duration> lease = engine.config.lease();
    if (lease.isPresent() && endpoint.timeout().isPresent()) {
      Limits.checkLease(lease.get(), endpoint.timeout().get(), "the timeout of endpoint " + endpoint.id());
    }
    endpoint.payloadMapper()
        .filter(m -> !(m instanceof PayloadTemplate))
        .ifPresent(m -> mappers.put(m.name(), m));
  }

  /**
   * Makes a new secret the endpoint's primary one; the current ones keep signing for {@code
   * grace}, so receivers can switch without rejecting anything. Other nodes sign with the new
   * key within {@link Builder#endpointRefresh}; keep {@code grace} longer than that.
   *
   * @param endpointId the endpoint
   * @param newSecret the new secret
   * @param grace how long the current secrets keep signing, not negative; any grace of a
   *     thousand years or more keeps them for good
   * @return the endpoint as stored
   * @throws IllegalArgumentException if the endpoint is unknown, the secret malformed or the grace
   *     negative
   * @throws IllegalStateException if the endpoint is not signed
   */
  public Endpoint rotateSecret(String endpointId, String newSecret, Duration grace) {
    Objects.requireNonNull(endpointId, "endpointId == null");
    Objects.requireNonNull(newSecret, "newSecret == null");
    Limits.notNegative("grace", grace);
    Duration capped = grace.compareTo(Limits.FOREVER) > 0 ? Limits.FOREVER : grace;
    Instant expiry = engine.config.clock().instant().plus(capped);
    return registry.change(endpointId, current -> current.toBuilder().rotateSecret(newSecret, expiry).build());
  }

  /**
   * Disables an endpoint: its deliveries wait, none is attempted, new events skip it. Every node
   * stops starting attempts within {@link Builder#endpointRefresh}; attempts already started
   * finish.
   *
   * @param endpointId the endpoint
   * @return the endpoint as stored
   * @throws IllegalArgumentException if the endpoint is unknown
   */
  public Endpoint disable(String endpointId) {
    Objects.requireNonNull(endpointId, "endpointId == null");
    return registry.change(endpointId, current -> current.toBuilder().disabled("disabled by the host").build());
  }

  /**
   * Enables an endpoint again; its waiting deliveries resume, its failure clock restarts.
   *
   * @param endpointId the endpoint
   * @return the endpoint as stored
   * @throws IllegalArgumentException if the endpoint is unknown
   */
  public Endpoint enable(String endpointId) {
    Objects.requireNonNull(endpointId, "endpointId == null");
    Endpoint enabled = registry.change(endpointId, current -> current.toBuilder().enabled(true).build());
    engine.wake();
    return enabled;
  }

  /**
   * Deletes an endpoint. Its pending deliveries are not attempted (a node marks one dead, as
   * "endpoint deleted", when it claims it and the store confirms the endpoint is gone); its log
   * stays.
   *
   * @param endpointId the endpoint
   * @return whether it existed
   */
  public boolean delete(String endpointId) {
    Objects.requireNonNull(endpointId, "endpointId == null");
    return registry.delete(endpointId);
  }

  /**
   * Returns a registered endpoint, as the store holds it now. Works before {@link #start()}.
   *
   * @param endpointId the endpoint's id
   * @return the endpoint, or empty
   * @throws dev.hookwire.store.StoreException if the store cannot be read
   */
  public Optional<Endpoint> endpoint(String endpointId) {
    return registry.read(endpointId);
  }

  /**
   * Returns every registered endpoint, as the store holds them now, in the order they were
   * registered. Works before {@link #start()}.
   *
   * @return the endpoints
   * @throws dev.hookwire.store.StoreException if the store cannot be read
   */
  public List<Endpoint> endpoints() {
    return registry.readAll();
  }

  /**
   * Sends one test event ({@code hookwire.test}) to an endpoint now, once, without storing it or
   * retrying, and reports the attempt. An endpoint whose payload mapper accepts only certain
   * events takes a sample instead: {@link #sendTestEvent(String, WebhookEvent)}.
   *
   * @param endpointId the endpoint
   * @return completes with the attempt: succeeded, or why not
   * @throws IllegalArgumentException if the endpoint is unknown, or its payload mapper refuses
   *     the test event
   */
  public CompletableFuture<AttemptRecord> sendTestEvent(String endpointId) {
    Endpoint endpoint = endpoint(endpointId).orElseThrow(() -> EndpointRegistry.unknown(endpointId));
    return engine.sendTest(endpoint, engine.testEvent(endpoint));
  }

  /**
   * Sends a given event to an endpoint now, once, without storing it or retrying, and reports
   * the attempt: a sample to check an endpoint whose {@link PayloadMapper} accepts only certain
   * events (such as a preset's), or to show a receiver what a type looks like. The endpoint's
   * subscriptions are not consulted.
   *
   * @param endpointId the endpoint
   * @param event the event to send, mapped by the endpoint's payload mapper if it has one
   * @return completes with the attempt: succeeded, or why not
   * @throws IllegalArgumentException if the endpoint is unknown, or its mapper refuses the event
   */
  public CompletableFuture<AttemptRecord> sendTestEvent(String endpointId, WebhookEvent<?> event) {
    Objects.requireNonNull(event, "event == null");
    Endpoint endpoint = endpoint(endpointId).orElseThrow(() -> EndpointRegistry.unknown(endpointId));
    return engine.sendTest(endpoint, event);
  }

  /**
   * Makes a dead delivery pending again, with a fresh retry schedule.
   *
   * @param deliveryId the delivery
   * @return whether it was dead and is now pending
   */
  public boolean replay(String deliveryId) {
    Objects.requireNonNull(deliveryId, "deliveryId == null");
    int revived = engine.store.replay(List.of(deliveryId), engine.config.clock().instant());
    engine.wake();
    return revived > 0;
  }

  /**
   * Makes every dead delivery of an endpoint created at or after {@code since} pending again.
   *
   * @param endpointId the endpoint
   * @param since the earliest creation time
   * @return how many were revived
   */
  public int replayDead(String endpointId, Instant since) {
    Objects.requireNonNull(endpointId, "endpointId == null");
    Objects.requireNonNull(since, "since == null");
    int total = 0;
    while (true) {
      List<DeliveryRecord> dead =
          engine.store.deliveries(DeliveryQuery.forEndpoint(endpointId, DeliveryState.DEAD, since, 1000));
      if (dead.isEmpty()) {
        break;
      }
      List<String> ids = new ArrayList<>(dead.size());
      dead.forEach(d -> ids.add(d.deliveryId()));
      int revived = engine.store.replay(ids, engine.config.clock().instant());
      total += revived;
      if (revived == 0 || dead.size() < 1000) {
        break;
      }
    }
    engine.wake();
    return total;
  }

  /**
   * Returns one delivery.
   *
   * @param deliveryId the delivery
   * @return the delivery, or empty
   */
  public Optional<DeliveryRecord> delivery(String deliveryId) {
    return engine.store.delivery(deliveryId);
  }

  /**
   * Returns every delivery of an event.
   *
   * @param eventId the event's id
   * @return the deliveries, newest first
   */
  public List<DeliveryRecord> deliveries(String eventId) {
    return engine.store.deliveries(DeliveryQuery.forEvent(eventId));
  }

  /**
   * Returns the deliveries a query selects, across every node sharing the store: the delivery
   * log, filtered by endpoint, event, state, event type and creation time, newest first, a page
   * at a time. See {@link DeliveryQuery} for the order, paging and what each filter costs.
   *
   * <pre>{@code
   * DeliveryQuery query = DeliveryQuery.builder().endpointId(endpointId).state(DeliveryState.DEAD)
   *     .createdSince(since).limit(50).build();
   * List<DeliveryRecord> page = dispatcher.deliveries(query);
   * List<DeliveryRecord> next = dispatcher.deliveries(
   *     query.toBuilder().after(page.get(page.size() - 1)).build());
   * }</pre>
   *
   * @param query the selection
   * @return the deliveries, newest first, at most the query's limit
   * @throws dev.hookwire.store.StoreException if the store cannot be read
   */
  public List<DeliveryRecord> deliveries(DeliveryQuery query) {
    return engine.store.deliveries(Objects.requireNonNull(query, "query == null"));
  }

  /**
   * Returns an endpoint's dead deliveries created at or after a time.
   *
   * @param endpointId the endpoint
   * @param since the earliest creation time
   * @param limit the most to return, from 1 to {@value DeliveryQuery#MAX_LIMIT}
   * @return the deliveries, newest first
   * @throws IllegalArgumentException if {@code limit} is out of that range
   */
  public List<DeliveryRecord> deadDeliveries(String endpointId, Instant since, int limit) {
    return engine.store.deliveries(
        DeliveryQuery.forEndpoint(endpointId, DeliveryState.DEAD, since, limit));
  }

  /**
   * Returns the attempt log of an event, oldest first.
   *
   * @param eventId the event's id
   * @return the attempts
   */
  public List<AttemptRecord> attempts(String eventId) {
    return engine.store.attemptsForEvent(eventId);
  }

  /**
   * Returns the attempt log of an endpoint from a time on, oldest first.
   *
   * @param endpointId the endpoint
   * @param since the earliest start time
   * @param limit the most to return
   * @return the attempts
   */
  public List<AttemptRecord> attempts(String endpointId, Instant since, int limit) {
    return engine.store.attemptsForEndpoint(endpointId, since, limit);
  }

  /**
   * Counts the store's deliveries in a state, across every node sharing the store: the backlog
   * ({@link DeliveryState#PENDING}) or the dead letters ({@link DeliveryState#DEAD}), for metrics.
   *
   * @param state the state
   * @return the count
   * @throws dev.hookwire.store.StoreException if the store cannot be read
   */
  public long count(DeliveryState state) {
    return engine.store.count(Objects.requireNonNull(state, "state == null"));
  }

  /**
   * Returns how many requests are in flight now.
   *
   * @return the count
   */
  public int inFlight() {
    return engine.inFlight.get();
  }

  /**
   * Stops taking work, waits up to the builder's drain timeout for requests in flight, and
   * releases what the dispatcher created: its scheduler thread has ended when this returns, and
   * its transport is closed. Daemon threads of the HTTP libraries may outlive it by up to a
   * minute, holding nothing of the dispatcher's: OkHttp's shared "OkHttp TaskRunner" and "Okio
   * Watchdog" threads, and the JDK {@code HttpClient}'s selector thread. Deliveries not yet attempted stay pending in the store; one closed without
   * ever being started says how many were sent through it, as a warning with the in-memory
   * store, where they are lost. Calling it again does nothing.
   */
  @Override
  public void close() {
    engine.close(engine.config.drainTimeout());
  }

  /**
   * Like {@link #close()}, with another drain timeout.
   *
   * @param drainTimeout how long to wait for requests in flight
   */
  public void close(Duration drainTimeout) {
    engine.close(Limits.notNegative("drainTimeout", drainTimeout));
  }

  @Override
  public String toString() {
    return "Dispatcher[" + engine.config.nodeId() + ", " + engine.state + "]";
  }

  /** Builds a {@link Dispatcher}. Not thread-safe; the dispatcher it builds is. */
  public static final class Builder {
    DeliveryStore store;
    Transport transport;
    ScheduledExecutorService scheduler;
    Clock clock = Clock.systemUTC();
    EventCodec codec = EventCodec.ofDefaults();
    NetworkPolicy networkPolicy = NetworkPolicy.ofDefaults();
    RetryPolicy retryPolicy = RetryPolicy.standardWebhooks();
    Duration timeout = Duration.ofSeconds(10);
    int maxInFlight = 256;
    int maxInFlightPerEndpoint = 32;
    int breakerThreshold = 10;
    Duration breakerOpenFor = Duration.ofSeconds(30);
    Duration autoDisableAfter = Duration.ofDays(5);
    Duration pollInterval = Duration.ofSeconds(1);
    Duration endpointRefresh = Duration.ofSeconds(1);
    Duration drainTimeout = Duration.ofSeconds(30);
    /** Null until set: the default depends on the store. */
    Duration retainSucceeded;
    Duration lease;
    String nodeId;
    final List<DeliveryListener> listeners = new ArrayList<>();
    AmbientTransaction ambientTransaction;
    DeliveryTracer tracer;
    final Map<String, PayloadMapper> mappers = new LinkedHashMap<>();
    final Map<String, SignatureScheme> schemes = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets the store. Default: a new {@link InMemoryDeliveryStore} with its default bounds (at
     * most 100,000 pending and dead deliveries, beyond which {@link Dispatcher#send} throws
     * {@link dev.hookwire.store.StoreFullException}; at most 10,000 succeeded ones, for at most
     * {@link #retainSucceeded}), which loses pending work when the process ends: for tests,
     * development, and hosts that accept that. Anything else wants a {@link
     * dev.hookwire.store.jdbc.JdbcDeliveryStore}. The dispatcher does not close a store it was
     * given.
     *
     * @param store the store
     * @return this builder
     */
    public Builder store(DeliveryStore store) {
      this.store = Objects.requireNonNull(store, "store == null");
      return this;
    }

    /**
     * Sets the transport. Default: a new {@link OkHttpTransport} with this builder's network
     * policy, closed with the dispatcher. The dispatcher does not close a transport it was
     * given; that transport applies its own network policy at connect time.
     *
     * @param transport the transport
     * @return this builder
     */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport == null");
      return this;
    }

    /**
     * Sets the scheduler that runs the dispatcher's work and timers. Default: one daemon thread,
     * shut down with the dispatcher. A scheduler given here is not shut down by the dispatcher.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler == null");
      return this;
    }

    /**
     * Sets the clock every time-based decision reads. Default: the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Sets the codec that writes event bodies. Default {@link EventCodec#ofDefaults()}.
     *
     * @param codec the codec
     * @return this builder
     */
    public Builder codec(EventCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec == null");
      return this;
    }

    /**
     * Sets which destinations endpoints may have; checked at registration, and by the default
     * transport at connect time. Default: public addresses only.
     *
     * @param networkPolicy the policy
     * @return this builder
     */
    public Builder networkPolicy(NetworkPolicy networkPolicy) {
      this.networkPolicy = Objects.requireNonNull(networkPolicy, "networkPolicy == null");
      return this;
    }

    /**
     * Sets the retry policy of endpoints that do not set their own. Default {@link
     * RetryPolicy#standardWebhooks()}.
     *
     * @param retryPolicy the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy == null");
      return this;
    }

    /**
     * Sets the request timeout of endpoints that do not set their own. Default 10 s.
     *
     * @param timeout the timeout, positive, at most 5 minutes
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Limits.timeout(timeout);
      return this;
    }

    /**
     * Caps this node's requests in flight across all endpoints. Default 256. Per node: N nodes
     * sharing a store may have N times as many in flight.
     *
     * @param maxInFlight at least 1
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = Limits.atLeastOne("maxInFlight", maxInFlight);
      return this;
    }

    /**
     * Caps this node's requests in flight to each endpoint that does not set its own cap. Default
     * 32. Per node, like {@link #maxInFlight}.
     *
     * @param maxInFlight at least 1
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxInFlightPerEndpoint(int maxInFlight) {
      this.maxInFlightPerEndpoint = Limits.atLeastOne("maxInFlightPerEndpoint", maxInFlight);
      return this;
    }

    /**
     * Sets the circuit breaker: after {@code failures} failed attempts in a row an endpoint gets
     * no request for {@code openFor}, then one probe; a success closes it. Default 10 failures,
     * 30 s. Each node keeps its own breaker, from the attempts it made.
     *
     * @param failures failures in a row that open it; 0 turns the breaker off
     * @param openFor how long it stays open
     * @return this builder
     * @throws IllegalArgumentException if a value is negative
     */
    public Builder circuitBreaker(int failures, Duration openFor) {
      Objects.requireNonNull(openFor, "openFor == null");
      if (failures < 0 || openFor.isNegative()) {
        throw new IllegalArgumentException("circuitBreaker values must not be negative");
      }
      this.breakerThreshold = failures;
      this.breakerOpenFor = openFor;
      return this;
    }

    /**
     * Sets how long an endpoint may fail without a single success before it is disabled.
     * Default 5 days. The failure clock is kept in the store, so it counts every node's attempts,
     * survives restarts, and is stopped by a success on any node.
     *
     * @param duration the time of continuous failure
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder autoDisableAfter(Duration duration) {
      this.autoDisableAfter = Limits.positive("autoDisableAfter", duration);
      return this;
    }

    /**
     * Sets how often the store is asked for due work besides the dispatcher's own wake-ups (for
     * work enqueued by other nodes). Default 1 s. A store that tells of other nodes' work ({@link
     * dev.hookwire.store.spi.DeliveryQueue#onRemoteWork}, as {@link
     * dev.hookwire.store.jdbc.JdbcDeliveryStore} does on PostgreSQL) wakes the dispatcher at once;
     * polling then only bounds the wait for a notification that was missed.
     *
     * @param interval the interval, positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = Limits.positive("pollInterval", interval);
      return this;
    }

    /**
     * Sets how stale this node's view of the store's endpoints may be. The view is checked
     * against the store (one cheap read of the store's endpoint revision) when it is older than
     * this, and reloaded if anything changed; a change made through this dispatcher is seen at
     * once. So an endpoint registered, updated, disabled or deleted on another node is acted on
     * here within this time. Default 1 s.
     *
     * @param interval the bound, positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder endpointRefresh(Duration interval) {
      this.endpointRefresh = Limits.positive("endpointRefresh", interval);
      return this;
    }

    /**
     * Sets how long succeeded deliveries and their attempts are kept, counted from their success.
     * The dispatcher prunes older ones from the store in small steps, about every tenth of this
     * age (at least a minute apart, at most an hour), so the store does not grow without bound.
     * Dead and pending deliveries are never pruned. With several nodes on one store, each
     * prunes; the steps are short and idempotent.
     *
     * <p>Default: 7 days, or 1 hour when the dispatcher makes its own in-memory store. An {@link
     * InMemoryDeliveryStore} also forgets succeeded deliveries by its own bounds ({@link
     * InMemoryDeliveryStore.Builder#maxSucceeded}, {@link
     * InMemoryDeliveryStore.Builder#retainSucceeded}): the store the dispatcher makes takes this
     * age as its own, and keeps at most 10,000; with a store given to {@link #store}, the default
     * is that store's age, and a longer one set here fails {@link #build()}.
     *
     * @param age how long to keep succeeded deliveries, positive; a century or more keeps them
     *     for good
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder retainSucceeded(Duration age) {
      this.retainSucceeded = RetentionRules.checkAge("retainSucceeded", age);
      return this;
    }

    /**
     * Sets how long {@link Dispatcher#close()} waits for requests in flight. Default 30 s.
     *
     * @param timeout the drain timeout, not negative; zero does not wait
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder drainTimeout(Duration timeout) {
      this.drainTimeout = Limits.notNegative("drainTimeout", timeout);
      return this;
    }

    /**
     * Sets how long a claimed delivery stays leased to this node. Default: the longest request
     * timeout plus 20 s. A node that dies leaves its deliveries to others after this time.
     *
     * @param lease the lease, at least 1 s longer than any request timeout (checked against
     *     {@link #timeout} at {@link #build()}, and against an endpoint's own timeout when it is
     *     registered or updated)
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder lease(Duration lease) {
      this.lease = Limits.positive("lease", lease);
      return this;
    }

    /**
     * Sets this node's id, which owns its leases. Default: random.
     *
     * @param nodeId the id: unique among the nodes sharing a store, not blank, at most 255
     *     characters
     * @return this builder
     * @throws IllegalArgumentException if blank or longer than 255 characters
     */
    public Builder nodeId(String nodeId) {
      Objects.requireNonNull(nodeId, "nodeId == null");
      if (nodeId.isBlank() || nodeId.length() > 255) {
        throw new IllegalArgumentException("nodeId must be non-blank and at most 255 characters: \"" + nodeId + "\"");
      }
      this.nodeId = nodeId;
      return this;
    }

    /**
     * Adds a listener.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(DeliveryListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener == null"));
      return this;
    }

    /**
     * Lets {@link Dispatcher#send(WebhookEvent)} join the transaction the calling thread is in,
     * as a framework manages it (the Spring Boot starter sets Spring's): inside one, the event is
     * written through the transaction's connection and exists if and only if it commits, and the
     * dispatcher is woken after the commit; outside one, {@code send} works as without it.
     * Default: none.
     *
     * @param transaction how to find the current transaction
     * @return this builder
     */
    public Builder ambientTransaction(AmbientTransaction transaction) {
      this.ambientTransaction = Objects.requireNonNull(transaction, "transaction == null");
      return this;
    }

    /**
     * Sets the tracer that captures each event's trace context at {@code send}, keeps it with the
     * event, and follows every attempt from it (OpenTelemetry's is in {@code
     * hookwire-opentelemetry}). Default: none.
     *
     * @param tracer the tracer
     * @return this builder
     */
    public Builder tracer(DeliveryTracer tracer) {
      this.tracer = Objects.requireNonNull(tracer, "tracer == null");
      return this;
    }

    /**
     * Registers a payload mapper under its name, so that stored endpoints using it can be loaded.
     * Endpoints registered through this dispatcher register their mappers themselves. A {@link
     * PayloadTemplate} needs no registration: it is stored with its endpoint.
     *
     * @param mapper the mapper
     * @return this builder
     */
    public Builder payloadMapper(PayloadMapper mapper) {
      Objects.requireNonNull(mapper, "mapper == null");
      mappers.put(mapper.name(), mapper);
      return this;
    }

    /**
     * Registers a custom signature scheme under its name, so that stored endpoints using it can
     * be loaded. Built-in schemes need no registration.
     *
     * @param scheme the scheme
     * @return this builder
     */
    public Builder signatureScheme(SignatureScheme scheme) {
      Objects.requireNonNull(scheme, "scheme == null");
      schemes.put(scheme.name(), scheme);
      return this;
    }

    /**
     * Builds the dispatcher. Call {@link Dispatcher#start()} to begin delivering.
     *
     * @return the dispatcher
     * @throws IllegalStateException if the settings cannot work together: a {@link #lease} that
     *     is not at least 1 s longer than the {@link #timeout}, or a {@link #retainSucceeded}
     *     longer than that of the {@link InMemoryDeliveryStore} given to {@link #store}, or an
     *     {@link #ambientTransaction} with a store that cannot write through a connection
     */
    public Dispatcher build() {
      if (lease != null) {
        try {
          Limits.checkLease(lease, timeout, "timeout");
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException(e.getMessage(), e);
        }
      }
      DeliveryStore st;
      Duration retain;
      if (store == null) {
        InMemoryDeliveryStore.Builder own = InMemoryDeliveryStore.builder();
        if (retainSucceeded != null) {
          own.retainSucceeded(retainSucceeded);
        }
        InMemoryDeliveryStore memory = own.build();
        st = memory;
        retain = memory.retainSucceeded();
      } else if (store instanceof InMemoryDeliveryStore memory) {
        st = memory;
        retain = retainSucceeded != null ? retainSucceeded : memory.retainSucceeded();
        if (retain.compareTo(memory.retainSucceeded()) > 0
            && !RetentionRules.forGood(memory.retainSucceeded())) {
          throw new IllegalStateException(
              "retainSucceeded is " + retain + " but the InMemoryDeliveryStore given to store()"
                  + " forgets succeeded deliveries after " + memory.retainSucceeded()
                  + "; set the same age on both (InMemoryDeliveryStore.builder().retainSucceeded)");
        }
      } else {
        st = store;
        retain = retainSucceeded != null ? retainSucceeded : Duration.ofDays(7);
      }
      if (ambientTransaction != null && !(st instanceof TransactionalDeliveryStore)) {
        throw new IllegalStateException(
            "ambientTransaction needs a store that writes through the host's transaction, such as"
                + " JdbcDeliveryStore; this dispatcher's store is " + st.getClass().getSimpleName());
      }
      ScheduledExecutorService s = scheduler != null ? scheduler : new OwnScheduler();
      boolean ownsTransport = transport == null;
      Transport t =
          transport != null
              ? transport
              : OkHttpTransport.builder().networkPolicy(networkPolicy).build();
      String id = nodeId != null ? nodeId : "node-" + UUID.randomUUID().toString().substring(0, 8);
      DispatcherConfig config =
          new DispatcherConfig(st, t, ownsTransport, s, clock, codec, networkPolicy,
              retryPolicy, timeout, maxInFlight, maxInFlightPerEndpoint, breakerThreshold,
              breakerOpenFor, autoDisableAfter, pollInterval, endpointRefresh, drainTimeout,
              Optional.ofNullable(lease), retain, List.copyOf(listeners),
              Optional.ofNullable(ambientTransaction), Optional.ofNullable(tracer), id);
      Map<String, PayloadMapper> mapperRegistry = new ConcurrentHashMap<>(mappers);
      EndpointCodec endpointCodec = new EndpointCodec(mapperRegistry, Map.copyOf(schemes));
      EndpointRegistry registry = new EndpointRegistry(st, endpointCodec, clock, endpointRefresh);
      return new Dispatcher(
          new Engine(config, registry),
          registry,
          new DestinationCheck(networkPolicy, t, timeout),
          mapperRegistry);
    }
  }
}
