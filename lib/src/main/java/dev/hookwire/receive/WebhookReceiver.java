package dev.hookwire.receive;

import dev.hookwire.event.EventCodec;
import dev.hookwire.event.EventFormatException;
import dev.hookwire.event.ExperienceAction;
import dev.hookwire.event.ExperienceEvent;
import dev.hookwire.event.GoalEvent;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.internal.EventDecoding;
import dev.hookwire.receive.IdempotencyStore.Claim;
import dev.hookwire.receive.ReceiveResult.Outcome;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.SignatureVerificationException;
import dev.hookwire.signature.VerifiedWebhook;
import dev.hookwire.signature.Verifier;
import dev.hookwire.signature.WebhookHeaders;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side's entry point: verifies a webhook request on its raw bytes, parses the
 * event, de-duplicates it by webhook id, runs the handler registered for its type, and tells the
 * web framework which status to answer with.
 *
 * <pre>{@code
 * WebhookReceiver receiver = WebhookReceiver.builder()
 *     .verifier(SignatureScheme.standardWebhooks(), "whsec_...")
 *     .onExperience(event -> experiments.record(event.data()))
 *     .onGoal(event -> goals.record(event.data()))
 *     .build();
 *
 * // In the web framework's handler, with the body exactly as received:
 * ReceiveResult result = receiver.receive(requestHeaders, rawBody);
 * // answer result.status(), result.headers(), result.body()
 * }</pre>
 *
 * <p><b>Steps</b>, each of which may end the request with a {@link ReceiveResult.Outcome}:
 *
 * <ol>
 *   <li>A body over {@link Builder#maxBodyBytes(int)} is refused unread: 413.
 *   <li>The signature is verified on the raw bytes, before anything reads them: 401 if any check
 *       fails (missing or malformed headers, no matching key, a timestamp outside the tolerance).
 *       The raw bytes matter: a body parsed and written again by a framework differs from what
 *       was signed.
 *   <li>The body is parsed with the {@link EventCodec}, or with the {@link PayloadReader} for
 *       senders with bodies of their own: 400 if it is not an event.
 *   <li>The handler is found by event type: exact types first, then the longest {@code prefix.*}
 *       pattern, then {@code *} ({@link Builder#onAny}). With none, the event is ignored: 200,
 *       because senders take anything else as a failure and retry for days, and nothing is
 *       recorded. The data is read as the handler's class: 400 if it does not fit.
 *   <li>The webhook id is claimed in the {@link IdempotencyStore}: 200 without running the
 *       handler if it was processed already; 503 if another delivery of it is being processed
 *       right now (that one may still fail, so the sender must retry this one); 503 if the store
 *       fails.
 *   <li>The handler runs. If it returns, the id is recorded for the {@link
 *       Builder#idempotencyTtl(Duration) TTL} and the answer is 200. If it throws, the id is
 *       released and the answer is 500, so that the sender's retry runs the handler again.
 * </ol>
 *
 * <p><b>Webhook id.</b> The id that the signature covers: the {@code webhook-id} header for
 * Standard Webhooks, otherwise the event's own {@code id} from the signed body. Delivery headers
 * that no signature covers (GitHub's {@code X-GitHub-Delivery}, Shopify's {@code
 * X-Shopify-Webhook-Id}) are not used: whoever replays a captured request could change them to
 * get past de-duplication, but cannot change the body.
 *
 * <p><b>Errors.</b> {@link #receive} never throws for anything a request holds, and nothing a
 * handler throws escapes it, except a {@link VirtualMachineError} (out of memory, stack
 * overflow), which is rethrown after the id is released: the JVM may not be able to go on, and
 * hiding that would be worse. Handler and store failures are logged at WARN through SLF4J, with
 * the exception; rejected requests at DEBUG.
 *
 * <p>Immutable and thread-safe: build one per endpoint and call it from every request thread.
 * Handlers run on the calling thread and must be thread-safe themselves.
 */
public final class WebhookReceiver {

  /**
   * The default time a processed webhook id is remembered: 7 days, longer than the retry
   * schedules of common senders (Standard Webhooks' spans a little over 3 days, Stripe's 3 days),
   * so that a late retry is still known as a duplicate.
   */
  public static final Duration DEFAULT_IDEMPOTENCY_TTL = Duration.ofDays(7);

  /**
   * The default time a claim holds off concurrent deliveries of its id while its handler runs:
   * 5 minutes. A handler still running after that no longer blocks a retry.
   */
  public static final Duration DEFAULT_PROCESSING_TIMEOUT = Duration.ofMinutes(5);

  private static final Logger log = LoggerFactory.getLogger(WebhookReceiver.class);

  /** The longest webhook id accepted: what the stores hold, and what events allow. */
  private static final int MAX_ID_LENGTH = 255;

  /** Verifiers built per request URL, kept for at most this many URLs. */
  private static final int MAX_URL_VERIFIERS = 16;

  private final Verifier verifier;
  private final List<Source> sources;
  private final boolean needsUrl;
  private final Map<String, Verifier> verifiersByUrl = new ConcurrentHashMap<>();
  private final EventCodec codec;
  private final PayloadReader reader;
  private final IdempotencyStore store;
  private final Duration idempotencyTtl;
  private final Duration processingTimeout;
  private final int maxBodyBytes;
  private final Clock clock;
  private final Map<String, Route> exactRoutes;
  private final List<Route> prefixRoutes;
  private final Route anyRoute;

  /** The class the handler for an event type reads data as; null if no handler takes the type. */
  private final Function<String, Class<?>> dataClassOf = this::dataClassOf;
  private final String ownerPrefix;
  private final AtomicLong claims = new AtomicLong();
  private final Duration pruneInterval;
  private final AtomicLong nextPruneAt;
  private final List<ReceiveListener> listeners;
  private final List<ReceiveInterceptor> interceptors;

  private WebhookReceiver(Builder b, List<Source> sources) {
    this.sources = sources;
    this.needsUrl = sources.stream().anyMatch(s -> s.verifier == null);
    this.verifier = needsUrl ? null : combine(sources, null);
    this.codec = b.codec;
    this.reader = b.reader;
    this.store = b.store != null ? b.store : InMemoryIdempotencyStore.create();
    this.idempotencyTtl = b.idempotencyTtl;
    this.processingTimeout = b.processingTimeout;
    this.maxBodyBytes = b.maxBodyBytes;
    this.clock = b.clock;
    this.pruneInterval = b.pruneInterval;
    this.listeners = List.copyOf(b.listeners);
    this.interceptors = List.copyOf(b.interceptors);
    this.nextPruneAt = new AtomicLong(b.clock.millis() + b.pruneInterval.toMillis());
    Map<String, Route> exact = new HashMap<>();
    List<Route> prefixes = new ArrayList<>();
    Route any = null;
    for (Route route : b.routes) {
      if (route.pattern.equals("*")) {
        any = route;
      } else if (route.pattern.endsWith(".*")) {
        prefixes.add(route);
      } else {
        exact.put(route.pattern, route);
      }
    }
    prefixes.sort(Comparator.comparingInt((Route r) -> r.pattern.length()).reversed());
    this.exactRoutes = Map.copyOf(exact);
    this.prefixRoutes = List.copyOf(prefixes);
    this.anyRoute = any;
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    this.ownerPrefix = HexFormat.of().formatHex(random) + "-";
  }

  /**
   * Starts building a receiver.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Receives one request whose headers are in a multi-valued map, such as the JDK {@code
   * HttpServer}'s {@code Headers} or Spring's {@code HttpHeaders}; names match in any case.
   *
   * @param headers the request headers
   * @param body the raw request body, byte for byte as received
   * @return what was done, and what to answer
   * @throws IllegalStateException if a verifier's scheme signs the URL: use {@link
   *     #receive(String, WebhookHeaders, byte[])}
   */
  public ReceiveResult receive(Map<String, ? extends Collection<String>> headers, byte[] body) {
    return receive(null, WebhookHeaders.ofMulti(headers), body);
  }

  /**
   * Receives one request.
   *
   * @param headers the request headers
   * @param body the raw request body, byte for byte as received
   * @return what was done, and what to answer
   * @throws IllegalStateException if a verifier's scheme signs the URL: use {@link
   *     #receive(String, WebhookHeaders, byte[])}
   */
  public ReceiveResult receive(WebhookHeaders headers, byte[] body) {
    return receive(null, headers, body);
  }

  /**
   * Receives one request to an endpoint whose URL some verifier's scheme signs ({@link
   * SignatureScheme#insightarc()}): verifiers added with {@link Builder#verifier(SignatureScheme,
   * String...)} check the signature over the body and this URL. Other verifiers ignore it.
   *
   * <p>The URL must be byte for byte the one the sender registered. A URL rebuilt from the
   * request can differ behind a proxy (scheme, host, port); when the registered URL is fixed,
   * prefer a {@link Verifier} built with {@link Verifier.Builder#url(String)}.
   *
   * @param requestUrl the endpoint URL as registered with the sender, or null when no verifier
   *     needs it
   * @param headers the request headers
   * @param body the raw request body, byte for byte as received
   * @return what was done, and what to answer
   * @throws IllegalStateException if {@code requestUrl} is null and a verifier's scheme signs the
   *     URL: a mistake in the set-up, not in the request
   */
  public ReceiveResult receive(String requestUrl, WebhookHeaders headers, byte[] body) {
    long t0 = System.nanoTime();
    ReceiveResult result = intercepted(0, requestUrl, headers, body);
    if (!listeners.isEmpty()) {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
      for (ReceiveListener listener : listeners) {
        try {
          listener.received(result, elapsed);
        } catch (RuntimeException e) {
          log.warn("receive listener {} failed", listener, e);
        }
      }
    }
    pruneIfDue();
    return result;
  }

  /** The handling of a request inside the interceptors from {@code index} on, the first outermost. */
  private ReceiveResult intercepted(int index, String requestUrl, WebhookHeaders headers, byte[] body) {
    if (index == interceptors.size()) {
      return receiveOnce(requestUrl, headers, body);
    }
    Objects.requireNonNull(headers, "headers == null");
    ReceiveResult result = interceptors.get(index).intercept(
        headers, () -> intercepted(index + 1, requestUrl, headers, body));
    return Objects.requireNonNull(result, "a receive interceptor returned null");
  }

  /**
   * Deletes expired idempotency records when {@link Builder#pruneInterval} has passed since the
   * last time, on the thread of the one request that finds it so; a failure is logged and
   * changes nothing about that request.
   */
  private void pruneIfDue() {
    long now = clock.millis();
    long due = nextPruneAt.get();
    if (now < due || !nextPruneAt.compareAndSet(due, now + pruneInterval.toMillis())) {
      return;
    }
    try {
      int pruned = pruneExpired();
      log.debug("pruned {} expired idempotency records", pruned);
    } catch (RuntimeException e) {
      log.warn("cannot prune expired idempotency records; trying again in {}", pruneInterval, e);
    }
  }

  private ReceiveResult receiveOnce(String requestUrl, WebhookHeaders headers, byte[] body) {
    Objects.requireNonNull(headers, "headers == null");
    Objects.requireNonNull(body, "body == null");
    Verifier v = verifierFor(requestUrl);
    if (body.length > maxBodyBytes) {
      log.debug("webhook refused: body of {} bytes is over the limit", body.length);
      return result(Outcome.TOO_LARGE, null, null, null);
    }

    VerifiedWebhook verified;
    try {
      verified = v.verify(headers, body);
    } catch (SignatureVerificationException e) {
      log.debug("webhook refused: {}", e.getMessage());
      Outcome outcome =
          e.reason() == SignatureVerificationException.Reason.BODY_TOO_LARGE
              ? Outcome.TOO_LARGE
              : Outcome.INVALID_SIGNATURE;
      return result(outcome, null, null, e);
    } catch (RuntimeException e) {
      // A verifier of the host's own that broke its contract: nothing was verified.
      log.warn("webhook refused: verifier {} failed", v, e);
      return result(Outcome.INVALID_SIGNATURE, null, null, e);
    }

    if (reader == null) {
      // The common case: one pass over the body, its data read as the handler wants it.
      WebhookEvent<?> event;
      try {
        event = EventDecoding.decode(codec, body, dataClassOf);
      } catch (EventFormatException e) {
        // Whatever failed, the steps one by one say it as they always have.
        return parsedStepwise(verified, body);
      }
      String id = verified.webhookId().orElse(event.id());
      Route route = route(event.type());
      if (route == null) {
        log.debug("webhook {} ignored: no handler for type {}", id, event.type());
        return result(Outcome.IGNORED, id, event, null);
      }
      return checkIdAndHandle(id, route, event);
    }
    return parsedStepwise(verified, body);
  }

  /**
   * Reads the body step by step: the event as the codec's class for its type, else its envelope
   * alone; then, for the handler of its type, its data as the handler's class. Used with a {@link
   * PayloadReader}, and to tell what is wrong with a body that the single pass refused.
   */
  private ReceiveResult parsedStepwise(VerifiedWebhook verified, byte[] body) {
    WebhookEvent<?> event;
    EventFormatException typedFailure = null;
    if (reader != null) {
      try {
        event = Objects.requireNonNull(reader.read(body, codec), "the payload reader returned null");
      } catch (RuntimeException e) {
        log.debug("webhook refused: {}", e.getMessage());
        return result(Outcome.MALFORMED, null, null, e);
      }
    } else {
      try {
        event = codec.decodeTyped(body);
      } catch (EventFormatException e) {
        // The codec's own class for this type may not be the handler's: read the envelope alone.
        typedFailure = e;
        try {
          event = codec.decode(body);
        } catch (EventFormatException envelope) {
          log.debug("webhook refused: {}", envelope.getMessage());
          return result(Outcome.MALFORMED, null, null, envelope);
        }
      }
    }
    String id = verified.webhookId().orElse(event.id());
    Route route = route(event.type());
    if (route == null) {
      log.debug("webhook {} ignored: no handler for type {}", id, event.type());
      return result(Outcome.IGNORED, id, event, null);
    }
    WebhookEvent<?> typed;
    try {
      if (typedFailure == null && route.dataClass.isInstance(event.data())) {
        typed = event;
      } else {
        // Read the data as the handler's class: from the body, or from what the reader made.
        typed = codec.decode(reader == null ? body : codec.encode(event), route.dataClass);
      }
    } catch (EventFormatException e) {
      log.debug("webhook {} refused: {}", id, e.getMessage());
      return result(Outcome.MALFORMED, id, event, e);
    }
    return checkIdAndHandle(id, route, typed);
  }

  private ReceiveResult checkIdAndHandle(String id, Route route, WebhookEvent<?> typed) {
    if (id.length() > MAX_ID_LENGTH) {
      return result(
          Outcome.MALFORMED,
          null,
          typed,
          new EventFormatException("webhook id is longer than " + MAX_ID_LENGTH + " characters"));
    }
    return claimAndHandle(id, route, typed);
  }

  private ReceiveResult claimAndHandle(String id, Route route, WebhookEvent<?> event) {
    String owner = ownerPrefix + Long.toString(claims.incrementAndGet(), 36);
    Instant now = clock.instant();
    Claim claim;
    try {
      claim = store.claim(id, owner, now, plus(now, processingTimeout));
    } catch (RuntimeException e) {
      log.warn("webhook {} not processed: the idempotency store failed to claim it", id, e);
      return result(Outcome.STORE_UNAVAILABLE, id, event, e);
    }
    if (claim == Claim.COMPLETED) {
      log.debug("webhook {} is a duplicate", id);
      return result(Outcome.DUPLICATE, id, event, null);
    }
    if (claim == Claim.IN_PROGRESS) {
      log.debug("webhook {} is being processed by another delivery", id);
      return result(Outcome.IN_PROGRESS, id, event, null);
    }

    try {
      route.handle(event);
    } catch (VirtualMachineError e) {
      release(id, owner, e);
      throw e;
    } catch (Throwable e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.warn(
          "handler of {} failed on webhook {}; answered 500 so that the sender retries",
          event.type(),
          id,
          e);
      release(id, owner, e);
      return result(Outcome.HANDLER_FAILED, id, event, e);
    }

    try {
      store.complete(id, plus(clock.instant(), idempotencyTtl));
    } catch (RuntimeException e) {
      // The handler did its work: a 5xx would make the sender deliver it again.
      log.warn(
          "webhook {} processed, but the idempotency store failed to record it; a repeated"
              + " delivery would run its handler again",
          id,
          e);
      return result(Outcome.PROCESSED, id, event, e);
    }
    return result(Outcome.PROCESSED, id, event, null);
  }

  private void release(String id, String owner, Throwable handlerFailure) {
    try {
      store.release(id, owner);
    } catch (RuntimeException e) {
      handlerFailure.addSuppressed(e);
      log.warn(
          "the idempotency store failed to release webhook {}; retries answer 503 until its claim"
              + " expires",
          id,
          e);
    }
  }

  private Class<?> dataClassOf(String type) {
    Route route = route(type);
    return route == null ? null : route.dataClass;
  }

  private Route route(String type) {
    Route route = exactRoutes.get(type);
    if (route != null) {
      return route;
    }
    for (Route prefix : prefixRoutes) {
      if (type.startsWith(prefix.typePrefix)) {
        return prefix;
      }
    }
    return anyRoute;
  }

  private Verifier verifierFor(String url) {
    if (!needsUrl) {
      return verifier;
    }
    if (url == null) {
      throw new IllegalStateException(
          "a verifier's scheme signs the endpoint URL: call receive(requestUrl, headers, body)");
    }
    Verifier cached = verifiersByUrl.get(url);
    if (cached == null) {
      if (verifiersByUrl.size() >= MAX_URL_VERIFIERS) {
        verifiersByUrl.clear();
      }
      cached = combine(sources, url);
      verifiersByUrl.put(url, cached);
    }
    return cached;
  }

  private static Verifier combine(List<Source> sources, String url) {
    List<Verifier> verifiers = new ArrayList<>(sources.size());
    for (Source source : sources) {
      verifiers.add(source.verifier != null ? source.verifier : source.build(url));
    }
    return verifiers.size() == 1 ? verifiers.get(0) : Verifier.anyOf(verifiers.toArray(new Verifier[0]));
  }

  private static Instant plus(Instant t, Duration d) {
    try {
      return t.plus(d);
    } catch (DateTimeException | ArithmeticException e) {
      return Instant.MAX;
    }
  }

  private static ReceiveResult result(
      Outcome outcome, String id, WebhookEvent<?> event, Throwable failure) {
    return new ReceiveResult(
        outcome, Optional.ofNullable(id), Optional.ofNullable(event), Optional.ofNullable(failure));
  }

  /**
   * Returns the largest body accepted, in bytes: adapters that read the request stream can stop
   * one byte past it.
   *
   * @return the limit
   */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /**
   * Deletes the idempotency records that have expired by the receiver's clock: {@link
   * IdempotencyStore#prune(Instant)}. Expired records are ignored anyway; pruning frees their
   * space. The receiver calls it by itself every {@link Builder#pruneInterval}; call it directly
   * to prune at a time of your choosing.
   *
   * @return how many records were deleted
   * @throws RuntimeException whatever the store throws when it fails, such as {@code
   *     dev.hookwire.store.StoreException}
   */
  public int pruneExpired() {
    return store.prune(clock.instant());
  }

  /**
   * Returns the idempotency store.
   *
   * @return the store
   */
  public IdempotencyStore idempotencyStore() {
    return store;
  }

  @Override
  public String toString() {
    return "WebhookReceiver[verifiers="
        + sources.size()
        + ", handlers="
        + (exactRoutes.size() + prefixRoutes.size() + (anyRoute == null ? 0 : 1))
        + ", store="
        + store
        + "]";
  }

  /** A verifier given whole, or a scheme and keys to build one from per URL. */
  private static final class Source {
    final Verifier verifier;
    final SignatureScheme scheme;
    final List<String> keys;
    final Duration tolerance;
    final Clock clock;
    final int maxBodyBytes;

    Source(Verifier verifier) {
      this.verifier = verifier;
      this.scheme = null;
      this.keys = null;
      this.tolerance = null;
      this.clock = null;
      this.maxBodyBytes = 0;
    }

    Source(SignatureScheme scheme, List<String> keys, Builder settings) {
      this.scheme = scheme;
      this.keys = keys;
      this.tolerance = settings.tolerance;
      this.clock = settings.clock;
      this.maxBodyBytes = settings.maxBodyBytes;
      // Built now even when the URL comes later, so that a bad key fails at build().
      Verifier built = build(scheme.signsUrl() ? "https://localhost/" : null);
      this.verifier = scheme.signsUrl() ? null : built;
    }

    Verifier build(String url) {
      Verifier.Builder b =
          Verifier.builder(scheme).keys(keys).tolerance(tolerance).clock(clock);
      b.maxBodyBytes(maxBodyBytes);
      if (url != null) {
        b.url(url);
      }
      return b.build();
    }

    @Override
    public String toString() {
      return verifier != null ? verifier.toString() : "Verifier[" + scheme.name() + ", per URL]";
    }
  }

  /** A scheme and its keys, as given to the builder. */
  private record SchemeKeys(SignatureScheme scheme, List<String> keys) {
    @Override
    public String toString() {
      return "SchemeKeys[" + scheme.name() + ", " + keys.size() + " key(s)]";
    }
  }

  /** A handler and the class of the data it takes. */
  private static final class Route {
    final String pattern;
    final String typePrefix;
    final Class<?> dataClass;
    final EventHandler<?> handler;

    Route(String pattern, Class<?> dataClass, EventHandler<?> handler) {
      this.pattern = pattern;
      this.typePrefix = pattern.endsWith(".*") ? pattern.substring(0, pattern.length() - 1) : null;
      this.dataClass = dataClass;
      this.handler = handler;
    }

    @SuppressWarnings("unchecked")
    void handle(WebhookEvent<?> event) throws Exception {
      ((EventHandler<Object>) handler).handle((WebhookEvent<Object>) event);
    }
  }

  /**
   * Builds a {@link WebhookReceiver}. Not thread-safe; the receiver it builds is.
   *
   * <p>At least one verifier and one handler are required. Defaults: {@link
   * EventCodec#ofDefaults()}, an {@link InMemoryIdempotencyStore}, a TTL of {@link
   * #DEFAULT_IDEMPOTENCY_TTL}, a processing timeout of {@link #DEFAULT_PROCESSING_TIMEOUT}, bodies
   * up to {@link Verifier#DEFAULT_MAX_BODY_BYTES}, the system UTC clock.
   */
  public static final class Builder {
    private static final Pattern TYPE_PATTERN =
        Pattern.compile("[a-zA-Z0-9_]+(\\.[a-zA-Z0-9_]+)*(\\.\\*)?|\\*");

    /** Each a {@link Verifier}, or a {@link SchemeKeys} built at {@link #build()}. */
    private final List<Object> verifiers = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();
    private EventCodec codec = EventCodec.ofDefaults();
    private PayloadReader reader;
    private IdempotencyStore store;
    private Duration idempotencyTtl = DEFAULT_IDEMPOTENCY_TTL;
    private Duration processingTimeout = DEFAULT_PROCESSING_TIMEOUT;
    private Duration tolerance = Verifier.DEFAULT_TOLERANCE;
    private int maxBodyBytes = Verifier.DEFAULT_MAX_BODY_BYTES;
    private Clock clock = Clock.systemUTC();
    private Duration pruneInterval = Duration.ofHours(1);
    private final List<ReceiveListener> listeners = new ArrayList<>();
    private final List<ReceiveInterceptor> interceptors = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a ready verifier, used as built: its own keys, tolerance, clock and body limit. A
     * request is accepted if any verifier accepts it, tried in the order added.
     *
     * @param verifier the verifier
     * @return this builder
     */
    public Builder verifier(Verifier verifier) {
      verifiers.add(Objects.requireNonNull(verifier, "verifier == null"));
      return this;
    }

    /**
     * Adds a verifier for a scheme and one or more keys (several during a rotation), built with
     * this builder's {@link #tolerance}, {@link #clock} and {@link #maxBodyBytes}. For a scheme
     * that signs the URL, a verifier is made per request URL: call {@link
     * WebhookReceiver#receive(String, WebhookHeaders, byte[])}.
     *
     * @param scheme the signature scheme
     * @param keys the keys, written as the scheme expects them; the receiver keeps them to build
     *     verifiers and never shows them
     * @return this builder
     * @throws IllegalArgumentException if no key is given (a malformed key fails at {@link
     *     #build()})
     */
    public Builder verifier(SignatureScheme scheme, String... keys) {
      Objects.requireNonNull(scheme, "scheme == null");
      Objects.requireNonNull(keys, "keys == null");
      if (keys.length == 0) {
        throw new IllegalArgumentException("no key for scheme " + scheme.name());
      }
      verifiers.add(new SchemeKeys(scheme, List.of(keys)));
      return this;
    }

    /**
     * Registers a handler for an event type, its data read as {@code dataClass}.
     *
     * @param type an exact type ({@code order.paid}), a pattern ({@code order.*}, matching every
     *     type that starts with {@code order.}) or {@code *} for every type no other handler
     *     takes. Exact types win over patterns, longer patterns over shorter ones.
     * @param dataClass the class the event's data is read as: a record, a bean, {@code Map},
     *     {@code JsonNode}, {@code Object}; a body whose data does not fit is answered 400
     * @param handler the handler
     * @param <T> the type of the data
     * @return this builder
     * @throws IllegalArgumentException if {@code type} is not a type or pattern, or already has a
     *     handler
     */
    public <T> Builder on(String type, Class<T> dataClass, EventHandler<? super T> handler) {
      Objects.requireNonNull(type, "type == null");
      Objects.requireNonNull(dataClass, "dataClass == null");
      Objects.requireNonNull(handler, "handler == null");
      if (type.length() > MAX_ID_LENGTH || !TYPE_PATTERN.matcher(type).matches()) {
        throw new IllegalArgumentException(
            "type \""
                + type
                + "\" is neither an event type (dot-separated [a-zA-Z0-9_] segments), nor such a"
                + " type followed by .*, nor *");
      }
      for (Route route : routes) {
        if (route.pattern.equals(type)) {
          throw new IllegalArgumentException("type \"" + type + "\" already has a handler");
        }
      }
      routes.add(new Route(type, dataClass, handler));
      return this;
    }

    /**
     * Registers a handler for every experience lifecycle event ({@code experience.*}), its data
     * read as {@link ExperienceEvent}.
     *
     * @param handler the handler
     * @return this builder
     * @throws IllegalArgumentException if {@code experience.*} already has a handler
     */
    public Builder onExperience(EventHandler<ExperienceEvent> handler) {
      return on("experience.*", ExperienceEvent.class, handler);
    }

    /**
     * Registers a handler for one experience action, such as {@code experience.started}.
     *
     * @param action the action
     * @param handler the handler
     * @return this builder
     * @throws IllegalArgumentException if that type already has a handler
     */
    public Builder onExperience(ExperienceAction action, EventHandler<ExperienceEvent> handler) {
      Objects.requireNonNull(action, "action == null");
      return on(action.eventType(), ExperienceEvent.class, handler);
    }

    /**
     * Registers a handler for goal events ({@value GoalEvent#TYPE}), their data read as {@link
     * GoalEvent}.
     *
     * @param handler the handler
     * @return this builder
     * @throws IllegalArgumentException if that type already has a handler
     */
    public Builder onGoal(EventHandler<GoalEvent> handler) {
      return on(GoalEvent.TYPE, GoalEvent.class, handler);
    }

    /**
     * Registers the fallback handler, for every type no other handler takes; its data is what
     * {@link EventCodec#decodeTyped(byte[])} reads (a {@code JsonNode} for unmapped types).
     * Without one, such events are answered 200 and ignored.
     *
     * @param handler the handler
     * @return this builder
     * @throws IllegalArgumentException if a fallback is already registered
     */
    public Builder onAny(EventHandler<Object> handler) {
      return on("*", Object.class, handler);
    }

    /**
     * Sets the codec that reads events. Default {@link EventCodec#ofDefaults()}.
     *
     * @param codec the codec
     * @return this builder
     */
    public Builder codec(EventCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec == null");
      return this;
    }

    /**
     * Sets how bodies that are not Hookwire's envelope are read into events, such as a preset's
     * {@code Intelligems.reader()}. Default: none; bodies are read as envelopes by the {@link
     * #codec}.
     *
     * @param reader the reader
     * @return this builder
     */
    public Builder payloadReader(PayloadReader reader) {
      this.reader = Objects.requireNonNull(reader, "reader == null");
      return this;
    }

    /**
     * Sets where processed webhook ids are kept. Default: a new {@link InMemoryIdempotencyStore}
     * per receiver. Use a {@code JdbcIdempotencyStore} for several nodes, or to remember ids
     * across restarts; one store per receiver.
     *
     * @param store the store
     * @return this builder
     */
    public Builder idempotencyStore(IdempotencyStore store) {
      this.store = Objects.requireNonNull(store, "store == null");
      return this;
    }

    /**
     * Sets how long a processed webhook id is remembered. Default {@link
     * #DEFAULT_IDEMPOTENCY_TTL}. Make it longer than the sender's whole retry schedule.
     *
     * @param ttl the time to live
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder idempotencyTtl(Duration ttl) {
      this.idempotencyTtl = positive(ttl, "idempotencyTtl");
      return this;
    }

    /**
     * Sets how long a delivery's claim holds off other deliveries of its id (answered 503) while
     * its handler runs. Default {@link #DEFAULT_PROCESSING_TIMEOUT}. After it, a retry may run
     * the handler even if the first run has not finished (it is not interrupted); with a
     * persistent store, it is also how long an id stays blocked after a process died in its
     * handler.
     *
     * @param timeout the timeout
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder processingTimeout(Duration timeout) {
      this.processingTimeout = positive(timeout, "processingTimeout");
      return this;
    }

    /**
     * Sets how far a signed timestamp may be from the clock, for verifiers built from a scheme
     * and keys. Default {@link Verifier#DEFAULT_TOLERANCE}.
     *
     * @param tolerance the tolerance
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder tolerance(Duration tolerance) {
      Objects.requireNonNull(tolerance, "tolerance == null");
      if (tolerance.isNegative()) {
        throw new IllegalArgumentException("tolerance is negative: " + tolerance);
      }
      this.tolerance = tolerance;
      return this;
    }

    /**
     * Sets the largest body accepted, in bytes; larger ones are answered 413 unread. Default
     * {@link Verifier#DEFAULT_MAX_BODY_BYTES}. Applies to verifiers built from a scheme and keys
     * too.
     *
     * @param maxBodyBytes the limit
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes <= 0) {
        throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * Sets how often expired idempotency records are deleted. Once an interval has passed, the
     * next request, after its own answer is decided, deletes them ({@link
     * WebhookReceiver#pruneExpired()}), so that a persistent store does not grow without bound.
     * Default 1 hour.
     *
     * @param interval the interval
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder pruneInterval(Duration interval) {
      this.pruneInterval = positive(interval, "pruneInterval");
      return this;
    }

    /**
     * Sets the clock read for idempotency times, and by verifiers built from a scheme and keys
     * for timestamps. Default the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Adds a listener that hears every request's outcome, for metrics or an audit log.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(ReceiveListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener == null"));
      return this;
    }

    /**
     * Adds an interceptor around the handling of every request, such as a tracer's; the first
     * added is the outermost.
     *
     * @param interceptor the interceptor
     * @return this builder
     */
    public Builder interceptor(ReceiveInterceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor == null"));
      return this;
    }

    /**
     * Builds the receiver, and the verifiers given as a scheme and keys.
     *
     * @return an immutable, thread-safe receiver
     * @throws IllegalStateException if no verifier or no handler was added
     * @throws IllegalArgumentException if a key is malformed for its scheme; the message never
     *     contains the key
     */
    public WebhookReceiver build() {
      if (verifiers.isEmpty()) {
        throw new IllegalStateException(
            "no verifier: add one with verifier(scheme, key) or verifier(Verifier)");
      }
      if (routes.isEmpty()) {
        throw new IllegalStateException(
            "no handler: register one with on(...), onExperience(...), onGoal(...) or onAny(...)");
      }
      List<Source> sources = new ArrayList<>();
      for (Object v : verifiers) {
        if (v instanceof Verifier verifier) {
          sources.add(new Source(verifier));
        } else {
          SchemeKeys sk = (SchemeKeys) v;
          sources.add(new Source(sk.scheme(), sk.keys(), this));
        }
      }
      return new WebhookReceiver(this, List.copyOf(sources));
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name + " == null");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }
  }
}
