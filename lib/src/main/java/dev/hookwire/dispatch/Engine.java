package dev.hookwire.dispatch;

import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.store.AttemptOutcome;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.ClaimRequest;
import dev.hookwire.store.ClaimedDelivery;
import dev.hookwire.store.Completion;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.DeliveryStore;
import dev.hookwire.store.NewDelivery;
import dev.hookwire.store.NewMessage;
import dev.hookwire.store.StoreException;
import dev.hookwire.store.StoredEndpoint;
import dev.hookwire.store.TransactionalDeliveryStore;
import dev.hookwire.transport.DestinationRefusedException;
import dev.hookwire.transport.NetworkPolicy;
import dev.hookwire.transport.Transport;
import dev.hookwire.transport.TransportRequest;
import dev.hookwire.transport.TransportResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's machinery: fan-out at send, the pump that claims due deliveries and starts
 * them within the caps, and the handling of each attempt's result.
 *
 * <p>The pump runs on the scheduler, one run at a time (a run asked for while one is queued is
 * folded into it). Attempt results are judged on transport threads and queued; the scheduler
 * writes what has queued in one store call (a batch that grows with the load), then acts on each.
 */
final class Engine {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final int BATCH = 256;
  private static final Duration STORE_RETRY_MAX = Duration.ofSeconds(30);
  private static final int PRUNE_STEP = 1_000;
  private static final Duration KEEP_FOR_GOOD = ChronoUnit.CENTURIES.getDuration();

  enum State { NEW, RUNNING, CLOSING, CLOSED }

  final DeliveryStore store;
  final Transport transport;
  final Clock clock;
  final String nodeId;
  final Duration drainTimeout;
  final ConcurrentHashMap<String, EndpointRuntime> endpoints = new ConcurrentHashMap<>();
  final AtomicInteger inFlight = new AtomicInteger();
  volatile State state = State.NEW;

  private final boolean ownsTransport;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final EventCodec codec;
  private final NetworkPolicy networkPolicy;
  private final RetryPolicy retryPolicy;
  private final Duration timeout;
  private final int maxInFlight;
  private final int maxInFlightPerEndpoint;
  private final int breakerThreshold;
  private final Duration breakerOpenFor;
  private final Duration autoDisableAfter;
  private final Duration pollInterval;
  private final Duration configuredLease;
  private final Duration retainSucceeded;
  private final List<DeliveryListener> listeners;
  private final Map<String, PayloadMapper> mappers;
  private final EndpointCodec endpointCodec;

  private final AtomicBoolean pumpQueued = new AtomicBoolean();
  private final Object timerLock = new Object();
  private ScheduledFuture<?> timer; // guarded by timerLock
  private Instant timerAt; // guarded by timerLock
  private Duration storeBackoff = Duration.ZERO; // pump thread only
  private final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushQueued = new AtomicBoolean();
  private volatile Duration flushBackoff = Duration.ZERO;
  private final Object drained = new Object();

  Engine(
      Dispatcher.Builder b,
      DeliveryStore store,
      Transport transport,
      boolean ownsTransport,
      ScheduledExecutorService scheduler,
      boolean ownsScheduler,
      String nodeId) {
    this.store = store;
    this.transport = transport;
    this.ownsTransport = ownsTransport;
    this.scheduler = scheduler;
    this.ownsScheduler = ownsScheduler;
    this.nodeId = nodeId;
    this.clock = b.clock;
    this.codec = b.codec;
    this.networkPolicy = b.networkPolicy;
    this.retryPolicy = b.retryPolicy;
    this.timeout = b.timeout;
    this.maxInFlight = b.maxInFlight;
    this.maxInFlightPerEndpoint = b.maxInFlightPerEndpoint;
    this.breakerThreshold = b.breakerThreshold;
    this.breakerOpenFor = b.breakerOpenFor;
    this.autoDisableAfter = b.autoDisableAfter;
    this.pollInterval = b.pollInterval;
    this.drainTimeout = b.drainTimeout;
    this.configuredLease = b.lease;
    this.retainSucceeded = b.retainSucceeded;
    this.listeners = List.copyOf(b.listeners);
    this.mappers = new ConcurrentHashMap<>(b.mappers);
    this.endpointCodec = new EndpointCodec(mappers, new HashMap<>(b.schemes));
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  synchronized void start() {
    if (state != State.NEW) {
      throw new IllegalStateException("dispatcher already " + state.name().toLowerCase());
    }
    for (Endpoint endpoint : Dispatcher.load(store.endpoints(), endpointCodec)) {
      endpoints.putIfAbsent(endpoint.id(), new EndpointRuntime(endpoint));
    }
    state = State.RUNNING;
    log.info("dispatcher {} started with {} endpoint(s)", nodeId, endpoints.size());
    wake();
    schedulePrune(pruneInterval());
  }

  // ---------------------------------------------------------------------------------------------
  // Retention

  /** A tenth of the retention age, between a minute and an hour. */
  Duration pruneInterval() {
    Duration tenth = retainSucceeded.dividedBy(10);
    if (tenth.compareTo(Duration.ofMinutes(1)) < 0) {
      return Duration.ofMinutes(1);
    }
    return min(tenth, Duration.ofHours(1));
  }

  private void schedulePrune(Duration delay) {
    if (retainSucceeded.compareTo(KEEP_FOR_GOOD) >= 0 || state != State.RUNNING) {
      return;
    }
    try {
      scheduler.schedule(this::prune, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("scheduler stopped; no more pruning");
    }
  }

  /**
   * Deletes one step of succeeded deliveries older than the retention age. A full step is
   * followed at once by another, queued behind the work already waiting on the scheduler.
   */
  private void prune() {
    if (state != State.RUNNING) {
      return;
    }
    Duration next = pruneInterval();
    try {
      int pruned = store.prune(clock.instant().minus(retainSucceeded), PRUNE_STEP);
      if (pruned > 0) {
        log.debug("pruned {} succeeded deliveries older than {}", pruned, retainSucceeded);
      }
      if (pruned >= PRUNE_STEP) {
        next = Duration.ZERO;
      }
    } catch (RuntimeException e) {
      log.warn("cannot prune succeeded deliveries; trying again in {}", next, e);
    }
    schedulePrune(next);
  }

  void close(Duration wait) {
    synchronized (this) {
      if (state == State.CLOSED || state == State.CLOSING) {
        return;
      }
      state = State.CLOSING;
    }
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
          log.warn("dispatcher {} closing with {} request(s) still in flight", nodeId, inFlight.get());
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
    if (ownsScheduler) {
      scheduler.shutdown();
    }
    if (ownsTransport) {
      transport.close();
    }
    log.info("dispatcher {} closed", nodeId);
  }

  private void checkOpen() {
    State s = state;
    if (s == State.CLOSING || s == State.CLOSED) {
      throw new IllegalStateException("dispatcher is closed; events can no longer be sent");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sending

  SendReceipt send(WebhookEvent<?> event, Optional<String> orderingKey) {
    return send(null, event, orderingKey);
  }

  /** Fans out and stores an event; through the host's connection if one is given. */
  SendReceipt send(java.sql.Connection connection, WebhookEvent<?> event, Optional<String> orderingKey) {
    java.util.Objects.requireNonNull(event, "event == null");
    checkOpen();
    if (connection != null && !(store instanceof TransactionalDeliveryStore)) {
      throw new IllegalStateException(
          "send(connection, event) needs a store that writes through the host's transaction,"
              + " such as JdbcDeliveryStore; this dispatcher's store is " + store.getClass().getSimpleName());
    }
    Instant now = clock.instant();
    Map<String, NewMessage> messages = new LinkedHashMap<>();
    List<NewDelivery> deliveries = new ArrayList<>();
    for (EndpointRuntime runtime : endpoints.values()) {
      Endpoint endpoint = runtime.endpoint();
      if (!endpoint.enabled() || !endpoint.subscribes(event.type())) {
        continue;
      }
      String mapperName = endpoint.payloadMapper().map(PayloadMapper::name).orElse("");
      NewMessage message = messages.get(mapperName);
      if (message == null) {
        byte[] body =
            endpoint.payloadMapper().isPresent()
                ? endpoint.payloadMapper().get().map(event, codec)
                : codec.encode(event);
        message = new NewMessage(Ids.messageId(), event.id(), event.type(), now, body, orderingKey);
        messages.put(mapperName, message);
      }
      deliveries.add(new NewDelivery(Ids.deliveryId(), message.messageId(), endpoint.id()));
    }
    if (!deliveries.isEmpty()) {
      if (connection != null) {
        // Not woken here: the host has not committed yet. The next poll finds the work.
        ((TransactionalDeliveryStore) store).enqueue(connection, new ArrayList<>(messages.values()), deliveries);
      } else {
        store.enqueue(new ArrayList<>(messages.values()), deliveries);
        wake();
      }
    }
    List<String> ids = new ArrayList<>(deliveries.size());
    deliveries.forEach(d -> ids.add(d.deliveryId()));
    return new SendReceipt(event.id(), ids);
  }

  // ---------------------------------------------------------------------------------------------
  // Endpoints

  Endpoint register(Endpoint endpoint, boolean replace) {
    java.util.Objects.requireNonNull(endpoint, "endpoint == null");
    checkOpen();
    EndpointRuntime existing = endpoints.get(endpoint.id());
    if (!replace && existing != null) {
      throw new IllegalArgumentException("an endpoint with id " + endpoint.id() + " is already registered");
    }
    if (replace && existing == null) {
      throw Dispatcher.unknown(endpoint.id());
    }
    if (existing == null || !existing.endpoint().url().equals(endpoint.url())) {
      validate(endpoint);
    }
    endpoint.payloadMapper().ifPresent(m -> mappers.put(m.name(), m));
    save(endpoint);
    if (existing != null) {
      existing.update(endpoint);
    } else {
      endpoints.put(endpoint.id(), new EndpointRuntime(endpoint));
    }
    log.info("endpoint {} {}", endpoint, replace ? "updated" : "registered");
    wake();
    return endpoint;
  }

  Endpoint setEnabled(String endpointId, boolean enabled, String reason) {
    EndpointRuntime runtime = endpoints.get(endpointId);
    if (runtime == null) {
      throw Dispatcher.unknown(endpointId);
    }
    Endpoint.Builder b = runtime.endpoint().toBuilder();
    Endpoint updated = enabled ? b.enabled(true).build() : b.disabled(reason).build();
    save(updated);
    runtime.update(updated);
    wake();
    return updated;
  }

  boolean delete(String endpointId) {
    EndpointRuntime removed = endpoints.remove(endpointId);
    boolean stored = store.deleteEndpoint(endpointId);
    return removed != null || stored;
  }

  private void save(Endpoint endpoint) {
    String config = endpointCodec.write(endpoint);
    if (!store.insertEndpoint(StoredEndpoint.of(endpoint.id(), config, clock.instant()))) {
      StoredEndpoint current = store.endpoint(endpoint.id()).orElseThrow();
      store.updateEndpoint(current.with(config, current.failingSince(), clock.instant()), current.version());
    }
  }

  private void validate(Endpoint endpoint) {
    try {
      networkPolicy.checkUrl(endpoint.uri());
      if (!networkPolicy.allowsPrivateNetworks()) {
        String host = endpoint.uri().getHost();
        List<InetAddress> addresses;
        try {
          addresses = Arrays.asList(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
          throw new EndpointValidationException(
              EndpointValidationException.Check.REACHABILITY,
              "endpoint " + endpoint.url() + ": host " + host + " does not resolve",
              e);
        }
        networkPolicy.checkAddresses(host, addresses);
      }
    } catch (DestinationRefusedException e) {
      throw new EndpointValidationException(
          EndpointValidationException.Check.DESTINATION,
          "endpoint " + endpoint.url() + " refused by the network policy: " + e.getMessage(),
          e);
    }
    boolean head =
        endpoint.verifyOnRegistration().orElse("https".equalsIgnoreCase(endpoint.uri().getScheme()));
    if (!head) {
      return;
    }
    Map<String, String> headers = new LinkedHashMap<>(endpoint.headers());
    endpoint.authentication().ifPresent(a -> headers.put(a.headerName(), a.headerValue()));
    Duration limit = endpoint.timeout().orElse(timeout);
    TransportRequest request =
        new TransportRequest("HEAD", endpoint.uri(), headers, new byte[0], limit);
    TransportResponse response;
    try {
      response = transport.send(request).get(limit.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String hint =
          cause instanceof SSLException
              ? " (the TLS certificate is not valid for this host, or not trusted)"
              : "";
      throw new EndpointValidationException(
          cause instanceof DestinationRefusedException
              ? EndpointValidationException.Check.DESTINATION
              : EndpointValidationException.Check.REACHABILITY,
          "endpoint " + endpoint.url() + ": HEAD request failed: " + cause + hint,
          cause);
    } catch (TimeoutException e) {
      throw new EndpointValidationException(
          EndpointValidationException.Check.REACHABILITY,
          "endpoint " + endpoint.url() + ": HEAD request timed out",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EndpointValidationException(
          EndpointValidationException.Check.REACHABILITY, "interrupted while checking " + endpoint.url(), e);
    }
    if (response.status() < 200 || response.status() > 299) {
      throw new EndpointValidationException(
          EndpointValidationException.Check.STATUS,
          "endpoint " + endpoint.url() + " answered HEAD with " + response.status()
              + "; it must answer 2xx to be registered (or set verifyOnRegistration(false))",
          null);
    }
  }

  WebhookEvent<Map<String, Object>> testEvent(Endpoint endpoint) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("message", "This is a test event from Hookwire.");
    data.put("endpointId", endpoint.id());
    return WebhookEvent.create("hookwire.test", data, clock);
  }

  CompletableFuture<AttemptRecord> sendTest(Endpoint endpoint, WebhookEvent<?> event) {
    byte[] body =
        endpoint.payloadMapper().isPresent()
            ? endpoint.payloadMapper().get().map(event, codec)
            : codec.encode(event);
    Instant startedAt = clock.instant();
    long t0 = System.nanoTime();
    TransportRequest request = request(endpoint, new EndpointRuntime(endpoint), event.id(), body, startedAt);
    return send(request)
        .handle(
            (response, error) ->
                attempt("test_" + event.id().substring(4), endpoint.id(), event.id(), 1, startedAt, t0, response, error));
  }

  // ---------------------------------------------------------------------------------------------
  // The pump

  void wake() {
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

  private void pump() {
    pumpQueued.set(false);
    if (state != State.RUNNING) {
      return;
    }
    Instant now = clock.instant();
    Instant wakeAt = now.plus(pollInterval);
    try {
      int capacity = maxInFlight - inFlight.get();
      if (capacity > 0) {
        Set<String> excluded = new HashSet<>();
        int endpointRoom = 0;
        Duration longestTimeout = timeout;
        for (Map.Entry<String, EndpointRuntime> entry : endpoints.entrySet()) {
          EndpointRuntime runtime = entry.getValue();
          Instant blocked = runtime.blockedUntil(now, maxInFlightPerEndpoint);
          if (blocked != null) {
            excluded.add(entry.getKey());
            if (!blocked.equals(Instant.MAX) && blocked.isBefore(wakeAt)) {
              wakeAt = blocked;
            }
          } else {
            endpointRoom += runtime.capacity(now, maxInFlightPerEndpoint);
          }
          Optional<Duration> t = runtime.endpoint().timeout();
          if (t.isPresent() && t.get().compareTo(longestTimeout) > 0) {
            longestTimeout = t.get();
          }
        }
        // Deliveries to endpoints unknown here (deleted) are claimed too, and marked dead.
        int limit = Math.min(BATCH, Math.min(capacity, Math.max(endpointRoom, 1)));
        Duration lease = configuredLease != null ? configuredLease : longestTimeout.plusSeconds(20);
        List<ClaimedDelivery> claimed = store.claim(new ClaimRequest(nodeId, now, lease, limit, excluded));
        List<ClaimedDelivery> surplus = new ArrayList<>();
        for (ClaimedDelivery delivery : claimed) {
          start(delivery, surplus);
        }
        if (!surplus.isEmpty()) {
          store.release(surplus, now, now);
        }
        if (claimed.size() == limit && surplus.size() < claimed.size()) {
          wake();
        }
      }
      Optional<Instant> due = store.nextDueAt(now);
      if (due.isPresent() && due.get().isAfter(now) && due.get().isBefore(wakeAt)) {
        wakeAt = due.get();
      }
      storeBackoff = Duration.ZERO;
    } catch (StoreException e) {
      boolean first = storeBackoff.isZero();
      storeBackoff = first ? Duration.ofMillis(250) : min(storeBackoff.multipliedBy(2), STORE_RETRY_MAX);
      wakeAt = now.plus(storeBackoff);
      // The whole trace once per outage; after that one line per try.
      log.warn("store unavailable, retrying in {} ms: {}", storeBackoff.toMillis(), e.getMessage(),
          first ? e : null);
    } catch (RuntimeException e) {
      wakeAt = now.plusSeconds(1);
      log.error("unexpected failure in the dispatcher; continuing", e);
    }
    scheduleWake(wakeAt);
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
    Instant now = clock.instant();
    EndpointRuntime runtime = endpoints.get(delivery.endpointId());
    if (runtime == null) {
      completeWithoutAttempt(delivery, now, "endpoint deleted");
      return;
    }
    if (!runtime.tryAcquire(now, maxInFlightPerEndpoint)) {
      surplus.add(delivery);
      return;
    }
    inFlight.incrementAndGet();
    Endpoint endpoint = runtime.endpoint();
    long t0 = System.nanoTime();
    CompletableFuture<TransportResponse> response;
    try {
      response = send(request(endpoint, runtime, delivery.eventId(), delivery.body(), now));
    } catch (RuntimeException e) {
      response = CompletableFuture.failedFuture(e);
    }
    response.whenComplete((r, error) -> finish(delivery, runtime, endpoint, now, t0, r, error));
  }

  private CompletableFuture<TransportResponse> send(TransportRequest request) {
    try {
      return transport.send(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private TransportRequest request(
      Endpoint endpoint, EndpointRuntime runtime, String eventId, byte[] body, Instant now) {
    Map<String, String> headers = new LinkedHashMap<>(endpoint.headers());
    endpoint.authentication().ifPresent(a -> headers.put(a.headerName(), a.headerValue()));
    runtime.signer(now).ifPresent(s -> headers.putAll(s.sign(eventId, now, body)));
    headers.put("Content-Type", "application/json");
    return new TransportRequest(endpoint.method(), endpoint.uri(), headers, body, endpoint.timeout().orElse(timeout));
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
      EndpointRuntime runtime,
      Endpoint endpoint,
      Instant startedAt,
      long t0,
      TransportResponse response,
      Throwable error) {
    Result result;
    try {
      result = result(delivery, runtime, endpoint, startedAt, t0, response, error);
    } catch (RuntimeException e) {
      // The delivery stays leased; when the lease expires it is attempted again.
      log.error("cannot judge the attempt of delivery {}; it will be retried after its lease",
          delivery.deliveryId(), e);
      released(runtime);
      return;
    }
    results.add(result);
    requestFlush();
  }

  private Result result(
      ClaimedDelivery delivery,
      EndpointRuntime runtime,
      Endpoint endpoint,
      Instant startedAt,
      long t0,
      TransportResponse response,
      Throwable error) {
    Instant now = clock.instant();
    AttemptRecord attempt =
        attempt(
            delivery.deliveryId(),
            delivery.endpointId(),
            delivery.eventId(),
            delivery.attempts() + 1,
            startedAt,
            t0,
            response,
            error);
    RetryPolicy policy = endpoint.retryPolicy().orElse(retryPolicy);
    if (attempt.succeeded()) {
      return new Result(delivery, runtime, attempt, DeliveryState.SUCCEEDED, now, null, false, now);
    }
    if (attempt.status() == 410) {
      return new Result(
          delivery, runtime, attempt, DeliveryState.DEAD, now, "endpoint answered 410 Gone", true, now);
    }
    Optional<Duration> delay = policy.delayBefore(attempt.attemptNumber() + 1);
    if (delay.isEmpty()) {
      String reason =
          "all " + policy.maxAttempts() + " attempts failed; last: " + attempt.error().orElse("?");
      return new Result(delivery, runtime, attempt, DeliveryState.DEAD, now, reason, false, now);
    }
    Duration wait = delay.get();
    Optional<Duration> retryAfter = retryAfter(response, now);
    if (retryAfter.isPresent()) {
      wait = min(retryAfter.get(), policy.maxRetryAfter());
    }
    return new Result(
        delivery, runtime, attempt, DeliveryState.PENDING, now.plus(wait), null, false, now);
  }

  /** An attempt's judged result, waiting to be written with others in one store call. */
  private record Result(
      ClaimedDelivery delivery,
      EndpointRuntime runtime,
      AttemptRecord attempt,
      DeliveryState next,
      Instant nextAt,
      String deadReason,
      boolean gone,
      Instant judgedAt) {

    Completion completion() {
      return new Completion(delivery, Optional.of(attempt), next, nextAt);
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
      applied = store.complete(batch.stream().map(Result::completion).toList(), clock.instant());
      flushBackoff = Duration.ZERO;
    } catch (RuntimeException e) {
      retryFlush(batch, e);
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      settle(batch.get(i), applied.get(i));
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
    flushBackoff = first ? Duration.ofMillis(250) : min(flushBackoff.multipliedBy(2), STORE_RETRY_MAX);
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
    try {
      if (!applied) {
        log.info("delivery {}: lease lost to another node; its result was not recorded",
            delivery.deliveryId());
      } else if (r.next() == DeliveryState.SUCCEEDED) {
        notify(l -> l.attemptSucceeded(attempt));
      } else if (r.next() == DeliveryState.PENDING) {
        notify(l -> l.attemptFailed(attempt, r.nextAt()));
      } else {
        dead(delivery, r.deadReason());
      }
      EndpointRuntime runtime = r.runtime();
      if (attempt.succeeded()) {
        runtime.succeeded();
      } else {
        Duration failing = runtime.failed(r.judgedAt(), breakerThreshold, breakerOpenFor);
        if (r.gone()) {
          autoDisable(runtime, "answered 410 Gone");
        } else if (failing.compareTo(autoDisableAfter) >= 0) {
          autoDisable(runtime, "failed without a success for " + failing);
        }
        runtime.openUntil().ifPresent(this::scheduleWake);
      }
      if (r.next() == DeliveryState.PENDING) {
        scheduleWake(r.nextAt());
      }
      log.debug("attempt {} of {} to {}: {} {}", attempt.attemptNumber(), delivery.deliveryId(),
          delivery.endpointId(), attempt.outcome(), attempt.status());
    } catch (RuntimeException e) {
      log.error("failure after recording the attempt of delivery {}", delivery.deliveryId(), e);
    } finally {
      released(r.runtime());
    }
  }

  /** Gives back the slots an attempt held, and looks for more work. */
  private void released(EndpointRuntime runtime) {
    runtime.released();
    if (inFlight.decrementAndGet() == 0) {
      synchronized (drained) {
        drained.notifyAll();
      }
    }
    wake();
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

  private void autoDisable(EndpointRuntime runtime, String reason) {
    Endpoint current = runtime.endpoint();
    if (!current.enabled()) {
      return;
    }
    Endpoint disabled = current.toBuilder().disabled(reason).build();
    try {
      save(disabled);
    } catch (StoreException e) {
      log.error("cannot store that endpoint {} is disabled", current.id(), e);
    }
    runtime.update(disabled);
    log.warn("endpoint {} disabled: {}", current.id(), reason);
    notify(l -> l.endpointDisabled(disabled, reason));
  }

  private AttemptRecord attempt(
      String deliveryId,
      String endpointId,
      String eventId,
      int number,
      Instant startedAt,
      long t0,
      TransportResponse response,
      Throwable error) {
    Duration latency = Duration.ofNanos(System.nanoTime() - t0);
    if (error != null) {
      Throwable cause = unwrap(error);
      AttemptOutcome outcome = Transport.isTimeout(cause) ? AttemptOutcome.TIMEOUT : AttemptOutcome.NETWORK_ERROR;
      return new AttemptRecord(
          deliveryId, endpointId, eventId, number, startedAt, latency, outcome, 0,
          Optional.of(describe(cause)), "");
    }
    int status = response.status();
    boolean ok = status >= 200 && status <= 299;
    return new AttemptRecord(
        deliveryId, endpointId, eventId, number, startedAt, latency,
        ok ? AttemptOutcome.SUCCEEDED : AttemptOutcome.HTTP_ERROR, status,
        ok ? Optional.empty() : Optional.of("HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : "")),
        response.bodySnippet());
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

  // ---------------------------------------------------------------------------------------------
  // Helpers

  static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    String text = t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    return text.length() > 500 ? text.substring(0, 500) : text;
  }

  private static final List<Integer> RETRY_AFTER_STATUSES = List.of(429, 502, 503, 504);

  /** The delay a 429/502/503/504 response asks for, as seconds or an HTTP date. */
  static Optional<Duration> retryAfter(TransportResponse response, Instant now) {
    if (response == null || !RETRY_AFTER_STATUSES.contains(response.status())) {
      return Optional.empty();
    }
    Optional<String> header = response.header("Retry-After");
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String value = header.get().trim();
    if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
      if (value.length() > 9) {
        return Optional.of(Duration.ofSeconds(999_999_999L));
      }
      return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

}
