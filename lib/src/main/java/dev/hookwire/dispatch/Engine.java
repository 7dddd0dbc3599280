package dev.hookwire.dispatch;

import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.internal.CheckedHeaders;
import dev.hookwire.internal.HeaderRules;
import dev.hookwire.signature.Signer;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.StoreException;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import dev.hookwire.store.spi.ClaimRequest;
import dev.hookwire.store.spi.ClaimedDelivery;
import dev.hookwire.store.spi.Completion;
import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.store.spi.NewDelivery;
import dev.hookwire.store.spi.NewMessage;
import dev.hookwire.store.spi.StoredEndpoint;
import dev.hookwire.store.spi.TransactionalDeliveryStore;
import dev.hookwire.transport.Transport;
import dev.hookwire.transport.TransportRequest;
import dev.hookwire.transport.TransportResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * The dispatcher's delivery machinery: fan-out at send against the endpoint registry's view, the
 * pump that claims due deliveries and starts them within the caps, and the writing of each
 * attempt's result. Endpoint state belongs to the {@link EndpointRegistry}, the rules of an
 * attempt's outcome to the {@link AttemptJudge}, pruning to {@link Retention}.
 *
 * <p>The pump runs on the scheduler, one run at a time (a run asked for while one is queued is
 * folded into it). Attempt results are judged on transport threads and queued; the scheduler
 * writes what has queued in one store call (a batch that grows with the load), acts on each, and
 * then pumps once for the whole batch if that may find work: always with a store that does not
 * tell of other nodes' work, else only if the last claim left some behind. Each endpoint's request
 * template (its headers checked once) lives in its {@link EndpointRuntime}.
 */
final class Engine {
  private static final Logger log = DispatchLog.LOG;
  private static final int BATCH = 256;
  private static final Duration STORE_RETRY_MAX = Duration.ofSeconds(30);

  enum State { NEW, RUNNING, CLOSING, CLOSED }

  final DispatcherConfig config;
  final DeliveryStore store;
  final EndpointRegistry registry;
  final Retention retention;
  final AtomicInteger inFlight = new AtomicInteger();
  /** Whether an event has gone to no endpoint because the store held none; said once. */
  private final AtomicBoolean warnedNoEndpoints = new AtomicBoolean();
  /** Deliveries stored through this dispatcher before it started, for the word at close. */
  private final AtomicLong storedBeforeStart = new AtomicLong();
  volatile State state = State.NEW;

  private final Transport transport;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final EventCodec codec;
  private final List<DeliveryListener> listeners;

  private final AtomicBoolean pumpQueued = new AtomicBoolean();
  /** Whether the next pump asks the store when work is next due (see {@link #wakeForNewWork}). */
  private final AtomicBoolean lookAheadWanted = new AtomicBoolean(true);
  private final Object timerLock = new Object();
  private ScheduledFuture<?> timer; // guarded by timerLock
  private Instant timerAt; // guarded by timerLock
  private Duration storeBackoff = Duration.ZERO; // pump thread only
  private final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushQueued = new AtomicBoolean();
  private volatile Duration flushBackoff = Duration.ZERO;
  private final Object drained = new Object();
  /** The store's calls for work from elsewhere, from start to close. */
  private volatile AutoCloseable remoteWork = () -> {};
  /**
   * Whether the store has called for work from elsewhere at least once: it tells this dispatcher
   * of what other nodes and hosts' transactions enqueue, so a batch of results need not look in
   * the store for it (see {@link #flush}).
   */
  private volatile boolean storeWakes;
  /**
   * Whether the last claim may have left due work behind: it filled its limit, or some was kept
   * back by this node's caps. Written by the pump.
   */
  private volatile boolean backlog = true;

  Engine(DispatcherConfig config, EndpointRegistry registry) {
    this.config = config;
    this.store = config.store();
    this.registry = registry;
    this.transport = config.transport();
    this.clock = config.clock();
    this.scheduler = config.scheduler();
    this.codec = config.codec();
    this.listeners = config.listeners();
    this.retention =
        new Retention(store, scheduler, clock, config.retainSucceeded(), () -> state == State.RUNNING);
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  synchronized void start() {
    if (state != State.NEW) {
      throw new IllegalStateException("dispatcher already " + state.name().toLowerCase());
    }
    int endpoints = registry.reload(true).entries().size();
    state = State.RUNNING;
    log.info("dispatcher {} started; the store holds {} endpoint(s)", config.nodeId(), endpoints);
    remoteWork = RemoteWork.watch(store, this::remoteWake, config.nodeId());
    wake();
    retention.start();
  }

  void close(Duration wait) {
    boolean started;
    synchronized (this) {
      if (state == State.CLOSED || state == State.CLOSING) {
        return;
      }
      started = state != State.NEW;
      state = State.CLOSING;
    }
    long unattempted = storedBeforeStart.get();
    if (!started && unattempted > 0) {
      // A dispatcher that only enqueues for others is a fine design on a shared store; with the
      // in-memory store it is a lost event.
      if (store instanceof InMemoryDeliveryStore) {
        log.warn("dispatcher {} closed without start(): the {} delivery(ies) sent through it were"
            + " never attempted and are lost with its in-memory store", config.nodeId(), unattempted);
      } else {
        log.info("dispatcher {} closed without start(): the {} delivery(ies) sent through it stay"
            + " pending in the store, for another dispatcher or the next start", config.nodeId(), unattempted);
      }
    }
    RemoteWork.stop(remoteWork, config.nodeId());
    synchronized (timerLock) {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
    }
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (drained) {
      while (inFlight.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          log.warn("dispatcher {} closing with {} request(s) still in flight", config.nodeId(), inFlight.get());
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(drained, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    state = State.CLOSED;
    if (scheduler instanceof OwnScheduler own) {
      if (!own.stop(Duration.ofSeconds(5))) {
        log.warn("dispatcher {}: scheduler thread still running 5 s after close", config.nodeId());
      }
    }
    if (config.ownsTransport()) {
      transport.close();
    }
    log.info("dispatcher {} closed", config.nodeId());
  }

  void checkOpen() {
    State s = state;
    if (s == State.CLOSING || s == State.CLOSED) {
      throw new IllegalStateException("dispatcher is closed");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sending

  /**
   * Fans an event out against the registry's view (at most the refresh interval behind the
   * store) and stores it; through the host's connection if one is given.
   */
  SendReceipt send(java.sql.Connection connection, WebhookEvent<?> event, Optional<String> orderingKey) {
    Objects.requireNonNull(event, "event == null");
    checkOpen();
    checkConnection(connection);
    List<NewMessage> messages = new ArrayList<>();
    List<NewDelivery> deliveries = new ArrayList<>();
    SendReceipt receipt = fanOut(event, orderingKey, clock.instant(), messages, deliveries);
    if (!deliveries.isEmpty()) {
      enqueue(connection, messages, deliveries);
    }
    return receipt;
  }

  /**
   * Fans many events out as {@link #send} does each, and stores them all in one call of the
   * store (one transaction): all or none. Every event is fanned out, hence checked, before
   * anything is written.
   */
  List<SendReceipt> sendAll(java.sql.Connection connection, Collection<? extends WebhookEvent<?>> events) {
    Objects.requireNonNull(events, "events == null");
    List<WebhookEvent<?>> all = new ArrayList<>(events.size());
    Set<String> ids = new HashSet<>();
    for (WebhookEvent<?> event : events) {
      Objects.requireNonNull(event, "events contains null");
      if (!ids.add(event.id())) {
        throw new IllegalArgumentException("event id appears twice in one sendAll: " + event.id());
      }
      all.add(event);
    }
    checkOpen();
    checkConnection(connection);
    Instant now = clock.instant();
    List<NewMessage> messages = new ArrayList<>();
    List<NewDelivery> deliveries = new ArrayList<>();
    List<SendReceipt> receipts = new ArrayList<>(all.size());
    for (WebhookEvent<?> event : all) {
      receipts.add(fanOut(event, Optional.empty(), now, messages, deliveries));
    }
    if (!deliveries.isEmpty()) {
      enqueue(connection, messages, deliveries);
    }
    return List.copyOf(receipts);
  }

  private void checkConnection(java.sql.Connection connection) {
    if (connection != null && !(store instanceof TransactionalDeliveryStore)) {
      throw new IllegalStateException(
          "send(connection, event) needs a store that writes through the host's transaction,"
              + " such as JdbcDeliveryStore; this dispatcher's store is " + store.getClass().getSimpleName());
    }
  }

  /**
   * Fans an event out against the registry's view: adds its messages (one per payload mapper)
   * and deliveries to the lists, and returns its receipt.
   */
  private SendReceipt fanOut(WebhookEvent<?> event, Optional<String> orderingKey, Instant now,
      List<NewMessage> allMessages, List<NewDelivery> allDeliveries) {
    Map<String, NewMessage> messages = new LinkedHashMap<>();
    List<NewDelivery> deliveries = new ArrayList<>();
    Optional<String> traceContext = Optional.empty();
    Map<String, EndpointRegistry.Entry> endpoints = registry.view().entries();
    if (endpoints.isEmpty() && warnedNoEndpoints.compareAndSet(false, true)) {
      log.warn("event {} ({}) went to no endpoint: the store holds none. Register endpoints before"
          + " sending; this is said once per dispatcher", event.id(), event.type());
    }
    for (EndpointRegistry.Entry entry : endpoints.values()) {
      if (entry.runtime() == null) {
        throw new IllegalStateException(
            "endpoint " + entry.id() + " cannot be read by this dispatcher (see the log: a payload"
                + " mapper or signature scheme it uses is not registered on this node, or its"
                + " payload template does not parse), so the"
                + " event cannot be fanned out to it; nothing was stored");
      }
      Endpoint endpoint = entry.runtime().endpoint();
      if (!endpoint.enabled() || !endpoint.subscribes(event.type())) {
        continue;
      }
      String mapperName = endpoint.payloadMapper().map(PayloadMapper::name).orElse("");
      NewMessage message = messages.get(mapperName);
      if (message == null) {
        byte[] body = body(endpoint, event);
        if (messages.isEmpty()) {
          traceContext = capture(event);
        }
        message = new NewMessage(Ids.messageId(), event.id(), event.type(), now, body, orderingKey, traceContext);
        messages.put(mapperName, message);
      }
      deliveries.add(new NewDelivery(Ids.deliveryId(), message.messageId(), endpoint.id()));
    }
    if (!deliveries.isEmpty()) {
      allMessages.addAll(messages.values());
      allDeliveries.addAll(deliveries);
    }
    List<String> ids = new ArrayList<>(deliveries.size());
    deliveries.forEach(d -> ids.add(d.deliveryId()));
    return new SendReceipt(event.id(), ids);
  }

  /**
   * Stores an event for one endpoint, as the store holds it now, whatever its subscriptions: a
   * delivery like any other, through the ambient transaction if there is one.
   */
  SendReceipt sendTo(String endpointId, WebhookEvent<?> event) {
    Objects.requireNonNull(endpointId, "endpointId == null");
    Objects.requireNonNull(event, "event == null");
    checkOpen();
    Endpoint endpoint = registry.read(endpointId).orElseThrow(() -> EndpointRegistry.unknown(endpointId));
    if (!endpoint.enabled()) {
      throw new IllegalStateException(
          "endpoint " + endpointId + " is disabled"
              + endpoint.disabledReason().map(r -> " (" + r + ")").orElse("")
              + "; enable it before sending to it; nothing was stored");
    }
    NewMessage message = new NewMessage(Ids.messageId(), event.id(), event.type(), clock.instant(),
        body(endpoint, event), Optional.empty(), capture(event));
    NewDelivery delivery = new NewDelivery(Ids.deliveryId(), message.messageId(), endpoint.id());
    enqueue(null, List.of(message), List.of(delivery));
    return new SendReceipt(event.id(), List.of(delivery.deliveryId()));
  }

  /** The bytes an endpoint receives for an event: its payload mapper's, or the encoded event. */
  private byte[] body(Endpoint endpoint, WebhookEvent<?> event) {
    return endpoint.payloadMapper().isPresent()
        ? endpoint.payloadMapper().get().map(event, codec)
        : codec.encode(event);
  }

  /**
   * Stores messages and their deliveries: through the host's connection if one is given (not
   * woken: the host has not committed yet, and the next poll finds the work), else through the
   * ambient transaction if one is open (woken after its commit), else on the store's own (woken
   * at once).
   */
  private void enqueue(java.sql.Connection connection, List<NewMessage> messages, List<NewDelivery> deliveries) {
    Optional<java.sql.Connection> ambient =
        connection == null ? config.ambientTransaction().flatMap(AmbientTransaction::currentConnection) : Optional.empty();
    if (connection != null) {
      ((TransactionalDeliveryStore) store).enqueue(connection, messages, deliveries);
    } else if (ambient.isPresent()) {
      ((TransactionalDeliveryStore) store).enqueue(ambient.get(), messages, deliveries);
      config.ambientTransaction().get().afterCommit(this::wakeForNewWork);
    } else {
      store.enqueue(messages, deliveries);
      wakeForNewWork();
    }
    if (state == State.NEW) {
      storedBeforeStart.addAndGet(deliveries.size());
    }
  }

  WebhookEvent<Map<String, Object>> testEvent(Endpoint endpoint) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("message", "This is a test event from Hookwire.");
    data.put("endpointId", endpoint.id());
    return WebhookEvent.create("hookwire.test", data, clock);
  }

  CompletableFuture<AttemptRecord> sendTest(Endpoint endpoint, WebhookEvent<?> event) {
    byte[] body = body(endpoint, event);
    Instant startedAt = clock.instant();
    long t0 = System.nanoTime();
    TransportRequest request = request(endpoint, new EndpointRuntime(endpoint), event.id(), body, startedAt, Map.of());
    return send(request)
        .handle(
            (response, error) ->
                AttemptJudge.record("test_" + event.id().substring(4), endpoint.id(), event.id(), 1,
                    startedAt, Duration.ofNanos(System.nanoTime() - t0), response, error));
  }

  // ---------------------------------------------------------------------------------------------
  // The pump

  void wake() {
    lookAheadWanted.set(true);
    queuePump();
  }

  /**
   * Wakes the pump for work just enqueued, which is due at once: the claim takes it, and the due
   * times the last look-ahead found still stand (a timer waits for the nearest, and the poll
   * looks again), so this pump does not ask the store for them.
   */
  private void wakeForNewWork() {
    queuePump();
  }

  private void queuePump() {
    if (state != State.RUNNING) {
      return;
    }
    if (pumpQueued.compareAndSet(false, true)) {
      try {
        scheduler.execute(this::pump);
      } catch (RejectedExecutionException e) {
        pumpQueued.set(false);
      }
    }
  }

  /** The store's call for work from elsewhere. */
  private void remoteWake() {
    storeWakes = true;
    wakeForNewWork();
  }

  private void pump() {
    pumpQueued.set(false);
    if (state != State.RUNNING) {
      return;
    }
    Instant now = clock.instant();
    Instant wakeAt = now.plus(config.pollInterval());
    boolean more = true; // until a claim says otherwise
    try {
      int capacity = config.maxInFlight() - inFlight.get();
      boolean lookAhead = lookAheadWanted.getAndSet(false);
      if (capacity > 0) {
        boolean capped = false;
        Set<String> excluded = Set.of(); // made a HashSet once an endpoint is excluded
        int endpointRoom = 0;
        Duration longestTimeout = config.timeout();
        for (EndpointRegistry.Entry entry : registry.view().entries().values()) {
          EndpointRuntime runtime = entry.runtime();
          if (runtime == null) {
            excluded = exclude(excluded, entry.id()); // unreadable here: left to nodes that can read it
            continue;
          }
          Instant blocked = runtime.blockedUntil(now, config.maxInFlightPerEndpoint());
          if (blocked != null) {
            excluded = exclude(excluded, entry.id());
            if (!blocked.equals(Instant.MAX) && blocked.isBefore(wakeAt)) {
              wakeAt = blocked;
            }
            // Full of requests (or probing): its results free room for what it has waiting.
            capped |= blocked.equals(Instant.MAX) && runtime.endpoint().enabled();
          } else {
            endpointRoom += runtime.capacity(now, config.maxInFlightPerEndpoint());
          }
          Optional<Duration> t = runtime.endpoint().timeout();
          if (t.isPresent() && t.get().compareTo(longestTimeout) > 0) {
            longestTimeout = t.get();
          }
        }
        // Deliveries to endpoints this view does not hold are claimed too: new ones are looked
        // up in the store, deleted ones marked dead.
        int limit = Math.min(BATCH, Math.min(capacity, Math.max(endpointRoom, 1)));
        // A configured lease is checked against every timeout set through this node; one that
        // another node stored may be longer, and a lease never ends before its request would.
        Duration needed = Limits.leaseFor(longestTimeout);
        Duration lease = config.lease().filter(l -> l.compareTo(needed) >= 0).orElse(longestTimeout.plusSeconds(20));
        List<ClaimedDelivery> claimed =
            store.claim(new ClaimRequest(config.nodeId(), now, lease, limit, excluded));
        List<ClaimedDelivery> surplus = new ArrayList<>();
        for (ClaimedDelivery delivery : claimed) {
          start(delivery, surplus);
        }
        if (!surplus.isEmpty()) {
          store.release(surplus, now, now);
        }
        more = capped || !surplus.isEmpty() || claimed.size() == limit;
        if (claimed.size() == limit && surplus.size() < claimed.size()) {
          wake();
          // More may be due now: the pump just queued claims again and looks ahead then.
          lookAhead = false;
        }
      }
      if (lookAhead) {
        Optional<Instant> due = store.nextDueAt(now);
        if (due.isPresent() && due.get().isAfter(now) && due.get().isBefore(wakeAt)) {
          wakeAt = due.get();
        }
      }
      storeBackoff = Duration.ZERO;
    } catch (StoreException e) {
      more = true;
      boolean first = storeBackoff.isZero();
      storeBackoff = first ? Duration.ofMillis(250) : AttemptJudge.min(storeBackoff.multipliedBy(2), STORE_RETRY_MAX);
      wakeAt = now.plus(storeBackoff);
      // The whole trace once per outage; after that one line per try.
      log.warn("store unavailable, retrying in {} ms: {}", storeBackoff.toMillis(), e.getMessage(),
          first ? e : null);
    } catch (RuntimeException e) {
      more = true;
      wakeAt = now.plusSeconds(1);
      log.error("unexpected failure in the dispatcher; continuing", e);
    }
    backlog = more;
    scheduleWake(wakeAt);
  }

  private static Set<String> exclude(Set<String> excluded, String endpointId) {
    Set<String> set = excluded.isEmpty() ? new HashSet<>() : excluded;
    set.add(endpointId);
    return set;
  }

  private void scheduleWake(Instant at) {
    synchronized (timerLock) {
      if (state != State.RUNNING) {
        return;
      }
      if (timer != null && !timer.isDone() && timerAt != null && !at.isBefore(timerAt)) {
        return;
      }
      if (timer != null) {
        timer.cancel(false);
      }
      long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
      timerAt = at;
      try {
        timer = scheduler.schedule(this::wake, delay, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        timer = null;
      }
    }
  }

  private void start(ClaimedDelivery delivery, List<ClaimedDelivery> surplus) {
    Optional<EndpointRegistry.Entry> found = registry.find(delivery.endpointId());
    // Read after the store was: the delivery's record must not say it died before the deletion
    // that killed it.
    Instant now = clock.instant();
    if (found.isEmpty()) {
      // The store holds no such endpoint: it was deleted.
      completeWithoutAttempt(delivery, now, "endpoint deleted");
      return;
    }
    EndpointRegistry.Entry entry = found.get();
    EndpointRuntime runtime = entry.runtime();
    if (runtime == null || !runtime.tryAcquire(now, config.maxInFlightPerEndpoint())) {
      surplus.add(delivery);
      return;
    }
    // Counted before the state is read, while close() sets the state before it counts: so either
    // close() waits for this request, or this request sees that close() began and is not sent
    // (a request started after close() could be cut off by the transport's close once the
    // receiver had it, and be sent again by another node).
    inFlight.incrementAndGet();
    if (state != State.RUNNING) {
      released(runtime); // wakes nothing now: the dispatcher is closing
      surplus.add(delivery);
      return;
    }
    Endpoint endpoint = runtime.endpoint();
    DeliveryTracer.AttemptTrace trace = announce(delivery, endpoint, now);
    long t0 = System.nanoTime();
    CompletableFuture<TransportResponse> response;
    try {
      response = send(request(endpoint, runtime, delivery.eventId(), delivery.body(), now, traceHeaders(trace)));
    } catch (RuntimeException e) {
      response = CompletableFuture.failedFuture(e);
    }
    response.whenComplete((r, error) -> finish(delivery, entry, endpoint, now, t0, r, error, trace));
  }

  /** What the tracer keeps with an event; nothing if it has none or fails. */
  private Optional<String> capture(WebhookEvent<?> event) {
    if (config.tracer().isEmpty()) {
      return Optional.empty();
    }
    try {
      Optional<String> context = Objects.requireNonNull(config.tracer().get().capture(event), "capture returned null");
      // Checked here, so that a bad context costs the trace, never the event.
      context.ifPresent(NewMessage::checkTraceContext);
      return context;
    } catch (RuntimeException e) {
      log.warn("tracer {} failed to capture the trace context of event {}; it is sent without",
          config.tracer().get(), event.id(), e);
      return Optional.empty();
    }
  }

  private static final DeliveryTracer.AttemptTrace NO_TRACE = new DeliveryTracer.AttemptTrace() {};

  /**
   * Tells the listeners and the tracer that an attempt starts, from one description of it;
   * returns what follows the attempt for the tracer.
   */
  private DeliveryTracer.AttemptTrace announce(ClaimedDelivery delivery, Endpoint endpoint, Instant now) {
    if (listeners.isEmpty() && config.tracer().isEmpty()) {
      return NO_TRACE;
    }
    AttemptStart start = new AttemptStart(delivery.deliveryId(), delivery.endpointId(),
        delivery.eventId(), delivery.eventType(), delivery.attempts() + 1, delivery.dueAt(), now);
    notify(l -> l.attemptStarted(start));
    if (config.tracer().isEmpty()) {
      return NO_TRACE;
    }
    try {
      return Objects.requireNonNull(
          config.tracer().get().attemptStarted(start, endpoint, delivery.traceContext()),
          "attemptStarted returned null");
    } catch (RuntimeException e) {
      log.warn("tracer {} failed at the start of an attempt of delivery {}", config.tracer().get(),
          start.deliveryId(), e);
      return NO_TRACE;
    }
  }

  /** The headers a tracer adds to an attempt; none if it fails. */
  private static Map<String, String> traceHeaders(DeliveryTracer.AttemptTrace trace) {
    if (trace == NO_TRACE) {
      return Map.of();
    }
    try {
      Map<String, String> extra = trace.headers();
      return extra == null ? Map.of() : extra;
    } catch (RuntimeException e) {
      log.warn("tracer failed to give an attempt's headers", e);
      return Map.of();
    }
  }

  private CompletableFuture<TransportResponse> send(TransportRequest request) {
    try {
      return transport.send(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private TransportRequest request(
      Endpoint endpoint, EndpointRuntime runtime, String eventId, byte[] body, Instant now,
      Map<String, String> traceHeaders) {
    return runtime.template(endpoint, config.timeout()).request(runtime.signer(now), eventId, body, now, traceHeaders);
  }

  /**
   * What every request to one endpoint shares: its method, URL, timeout, and its own headers and
   * credentials, checked once. Each attempt adds only what is its own (the signature headers, a
   * tracer's), and only those are checked per request. Immutable and thread-safe.
   */
  static final class RequestTemplate {
    private static final CheckedHeaders CONTENT_TYPE =
        CheckedHeaders.copyOf(Map.of(HeaderRules.CONTENT_TYPE, "application/json"));

    private final String method;
    private final java.net.URI uri;
    private final Duration timeout;
    private final CheckedHeaders fixed;

    RequestTemplate(Endpoint endpoint, Duration defaultTimeout) {
      this.method = endpoint.method();
      this.uri = endpoint.uri();
      this.timeout = endpoint.timeout().orElse(defaultTimeout);
      this.fixed = CheckedHeaders.copyOf(endpoint.requestHeaders());
    }

    /**
     * The request of one attempt: the endpoint's headers, its credentials, the signature and the
     * content type, then a tracer's headers where the request has none of that name. The
     * endpoint builder refuses every header that would clash, so what it accepted is always a
     * valid request; a tracer's header that is not valid is left out.
     */
    TransportRequest request(
        Optional<Signer> signer, String eventId, byte[] body, Instant now, Map<String, String> traceHeaders) {
      CheckedHeaders signature =
          signer.isPresent() ? CheckedHeaders.copyOf(signer.get().sign(eventId, now, body)) : CheckedHeaders.EMPTY;
      CheckedHeaders headers = CheckedHeaders.concat(fixed, signature, CONTENT_TYPE);
      if (!traceHeaders.isEmpty()) {
        headers = withTrace(headers, traceHeaders);
      }
      return new TransportRequest(method, uri, headers, body, timeout);
    }

    /** Adds a tracer's headers where the request has none of that name; leaves out invalid ones. */
    private static CheckedHeaders withTrace(CheckedHeaders headers, Map<String, String> traceHeaders) {
      for (Map.Entry<String, String> trace : traceHeaders.entrySet()) {
        try {
          CheckedHeaders one = CheckedHeaders.of(trace.getKey(), trace.getValue());
          if (headers.indexOf(trace.getKey()) < 0) {
            headers = CheckedHeaders.concat(headers, one);
          }
        } catch (IllegalArgumentException e) {
          log.warn("tracer header left out: {}", e.getMessage());
        }
      }
      return headers;
    }
  }

  private void runOnScheduler(Runnable task) {
    try {
      scheduler.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Results

  /**
   * Turns an attempt's response into its result, on the transport's thread, and queues it for the
   * next batched write. Nothing here touches the store.
   */
  private void finish(
      ClaimedDelivery delivery,
      EndpointRegistry.Entry entry,
      Endpoint endpoint,
      Instant startedAt,
      long t0,
      TransportResponse response,
      Throwable error,
      DeliveryTracer.AttemptTrace trace) {
    Result result;
    try {
      Instant now = clock.instant();
      AttemptRecord attempt =
          AttemptJudge.record(delivery.deliveryId(), delivery.endpointId(), delivery.eventId(),
              delivery.attempts() + 1, startedAt, Duration.ofNanos(System.nanoTime() - t0), response, error);
      if (trace != NO_TRACE) {
        try {
          trace.ended(attempt);
        } catch (RuntimeException e) {
          log.warn("tracer failed at the end of an attempt of delivery {}", delivery.deliveryId(), e);
        }
      }
      RetryPolicy policy = endpoint.retryPolicy().orElse(config.retryPolicy());
      result = new Result(delivery, entry, attempt, AttemptJudge.judge(attempt, response, policy, now), now);
    } catch (RuntimeException e) {
      // The delivery stays leased; when the lease expires it is attempted again.
      log.error("cannot judge the attempt of delivery {}; it will be retried after its lease",
          delivery.deliveryId(), e);
      released(entry.runtime());
      return;
    }
    results.add(result);
    requestFlush();
  }

  /** An attempt's judged result, waiting to be written with others in one store call. */
  private record Result(
      ClaimedDelivery delivery,
      EndpointRegistry.Entry entry,
      AttemptRecord attempt,
      AttemptJudge.Verdict verdict,
      Instant judgedAt) {

    Completion completion() {
      return new Completion(delivery, Optional.of(attempt), verdict.next(), verdict.nextAt());
    }

    EndpointRuntime runtime() {
      return entry.runtime();
    }
  }

  private void requestFlush() {
    if (flushQueued.compareAndSet(false, true)) {
      runOnScheduler(this::flush);
    }
  }

  /**
   * Writes every queued result in one store call, then acts on each. Results that arrive while
   * a write is under way wait for the next one, so the batch grows with the load and a quiet
   * dispatcher writes each result at once.
   */
  private void flush() {
    flushQueued.set(false);
    List<Result> batch = new ArrayList<>();
    for (Result r; batch.size() < BATCH && (r = results.poll()) != null; ) {
      batch.add(r);
    }
    if (batch.isEmpty()) {
      return;
    }
    if (!results.isEmpty()) {
      requestFlush();
    }
    List<Boolean> applied;
    try {
      List<Completion> completions = new ArrayList<>(batch.size());
      for (Result r : batch) {
        completions.add(r.completion());
      }
      applied = store.complete(completions, clock.instant());
      flushBackoff = Duration.ZERO;
    } catch (RuntimeException e) {
      retryFlush(batch, e);
      return;
    }
    boolean ordered = false;
    for (int i = 0; i < batch.size(); i++) {
      settle(batch.get(i), applied.get(i));
      ordered |= batch.get(i).delivery().orderingKey().isPresent();
    }
    // One pump for the whole batch, here on the scheduler thread, unless one is queued already,
    // and only if it may find something: the room these results freed is for work the last claim
    // left behind, or that the next in an ordering group now may go. New work wakes the pump
    // itself when the store tells of it; a store that does not is looked at after every batch.
    if (state == State.RUNNING && (backlog || ordered || !storeWakes)
        && pumpQueued.compareAndSet(false, true)) {
      pump();
    }
  }

  /**
   * Keeps results the store could not take and writes them again after a back-off, while their
   * leases last. A result whose lease has run out is dropped: its delivery is claimable again and
   * will be attempted once more, which is a duplicate but never a loss.
   */
  private void retryFlush(List<Result> batch, RuntimeException e) {
    Instant now = clock.instant();
    boolean first = flushBackoff.isZero();
    flushBackoff = first ? Duration.ofMillis(250) : AttemptJudge.min(flushBackoff.multipliedBy(2), STORE_RETRY_MAX);
    int kept = 0;
    for (Result r : batch) {
      if (state == State.RUNNING && r.delivery().leaseUntil().isAfter(now.plus(flushBackoff))) {
        results.add(r);
        kept++;
      } else {
        released(r.runtime());
      }
    }
    log.warn("cannot record {} attempt results ({} kept for another try in {} ms): {}",
        batch.size(), kept, flushBackoff.toMillis(), e.getMessage(), first ? e : null);
    if (kept > 0) {
      try {
        scheduler.schedule(this::requestFlush, flushBackoff.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException rejected) {
        log.debug("scheduler stopped; results left to their leases");
      }
    }
  }

  /** Acts on one written result: listeners, the endpoint's health, the next wake-up. */
  private void settle(Result r, boolean applied) {
    ClaimedDelivery delivery = r.delivery();
    AttemptRecord attempt = r.attempt();
    AttemptJudge.Verdict verdict = r.verdict();
    try {
      if (!applied) {
        log.info("delivery {}: lease lost to another node; its result was not recorded",
            delivery.deliveryId());
      } else {
        notify(l -> l.attemptRecorded(attempt));
        if (verdict.next() == DeliveryState.SUCCEEDED) {
          notify(l -> l.attemptSucceeded(attempt));
        } else if (verdict.next() == DeliveryState.PENDING) {
          notify(l -> l.attemptFailed(attempt, verdict.nextAt()));
        } else {
          dead(delivery, verdict.deadReason().orElse("dead"));
        }
      }
      EndpointRuntime runtime = r.runtime();
      if (attempt.succeeded()) {
        runtime.succeeded();
        registry.succeeded(r.entry());
      } else {
        runtime.failed(r.judgedAt(), config.breakerThreshold(), config.breakerOpenFor());
        judgeHealth(r);
        runtime.openUntil().ifPresent(this::scheduleWake);
      }
      if (verdict.next() == DeliveryState.PENDING) {
        scheduleWake(verdict.nextAt());
      }
      log.debug("attempt {} of {} to {}: {} {}", attempt.attemptNumber(), delivery.deliveryId(),
          delivery.endpointId(), attempt.outcome(), attempt.status());
    } catch (RuntimeException e) {
      log.error("failure after recording the attempt of delivery {}", delivery.deliveryId(), e);
    } finally {
      release(r.runtime()); // flush pumps once for the batch
    }
  }

  /**
   * After a failed attempt: disables the endpoint if it answered 410, or if it has failed without
   * a success on any node for the auto-disable time (the failure clock lives in the store).
   */
  private void judgeHealth(Result r) {
    String id = r.entry().id();
    if (r.verdict().gone()) {
      autoDisable(id, "answered 410 Gone", stored -> true);
      return;
    }
    Optional<Instant> since = registry.failed(r.entry(), r.judgedAt());
    if (since.isEmpty()) {
      return;
    }
    Duration failing = Duration.between(since.get(), r.judgedAt());
    if (failing.compareTo(config.autoDisableAfter()) >= 0) {
      // Disabled only if no node has recorded a success since.
      autoDisable(id, "failed without a success for " + failing,
          stored -> stored.failingSince().isPresent() && !stored.failingSince().get().isAfter(since.get()));
    }
  }

  private void autoDisable(String endpointId, String reason, java.util.function.Predicate<StoredEndpoint> stillDue) {
    Optional<Endpoint> disabled;
    try {
      disabled = registry.disableIf(endpointId, reason, stillDue);
    } catch (StoreException e) {
      log.error("cannot store that endpoint {} is disabled ({}); the next failure tries again",
          endpointId, reason, e);
      return;
    }
    disabled.ifPresent(
        endpoint -> {
          log.warn("endpoint {} disabled: {}", endpointId, reason);
          notify(l -> l.endpointDisabled(endpoint, reason));
        });
  }

  /** Gives back the slots an attempt held, and looks for more work. */
  private void released(EndpointRuntime runtime) {
    release(runtime);
    wake();
  }

  /** Gives back the slots an attempt held. */
  private void release(EndpointRuntime runtime) {
    runtime.released();
    if (inFlight.decrementAndGet() == 0) {
      synchronized (drained) {
        drained.notifyAll();
      }
    }
  }

  /** Marks a delivery dead without an attempt, such as one whose endpoint was deleted. */
  private void completeWithoutAttempt(ClaimedDelivery delivery, Instant now, String reason) {
    boolean applied =
        store.complete(
                List.of(new Completion(delivery, Optional.empty(), DeliveryState.DEAD, now)), now)
            .get(0);
    if (applied) {
      dead(delivery, reason);
    }
  }

  private void dead(ClaimedDelivery delivery, String reason) {
    log.warn("delivery {} to {} is dead: {}", delivery.deliveryId(), delivery.endpointId(), reason);
    notify(l -> l.deliveryDead(delivery.deliveryId(), delivery.endpointId(), reason));
  }

  private void notify(java.util.function.Consumer<DeliveryListener> call) {
    for (DeliveryListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        log.warn("delivery listener {} failed", listener, e);
      }
    }
  }
}
