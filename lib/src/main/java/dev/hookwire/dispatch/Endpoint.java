package dev.hookwire.dispatch;

import dev.hookwire.internal.HeaderRules;
import dev.hookwire.internal.UrlRules;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.Signer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where and how to deliver events: a URL, the event types it wants, how requests are signed and
 * authenticated, and its own limits.
 *
 * <pre>{@code
 * Endpoint endpoint = Endpoint.builder("https://hooks.example.com/experiments")
 *     .subscribe("experience.*")
 *     .signing(SignatureScheme.standardWebhooks(), "whsec_...")
 *     .header("X-Team", "growth")
 *     .timeout(Duration.ofSeconds(5))
 *     .build();
 * dispatcher.register(endpoint);
 * }</pre>
 *
 * <p>Unset limits take the dispatcher's defaults. Immutable and thread-safe; {@code toString()}
 * shows neither secrets nor credentials.
 */
public final class Endpoint {
  private static final Pattern TYPE_PATTERN =
      Pattern.compile("[a-zA-Z0-9_]+(\\.[a-zA-Z0-9_]+)*(\\.\\*)?|\\*");
  private static final Set<String> METHODS = Set.of("POST", "PUT", "DELETE");

  private final String id;
  private final String url;
  private final URI uri;
  private final String method;
  private final Set<String> eventTypes;
  private final Optional<SignatureScheme> scheme;
  private final List<SigningKey> keys;
  private final Map<String, String> headers;
  /** The headers, then the credentials: what every request carries before it is signed. */
  private final Map<String, String> requestHeaders;
  private final Optional<Authentication> authentication;
  private final Optional<Duration> timeout;
  private final Optional<RetryPolicy> retryPolicy;
  private final OptionalInt maxInFlight;
  private final double rateLimit;
  private final boolean enabled;
  private final Optional<String> disabledReason;
  private final Optional<PayloadMapper> payloadMapper;
  private final String description;
  private final String ownerId;
  private final Optional<Boolean> verifyOnRegistration;
  private final OptionalInt registrationStatus;
  private final boolean sendTraceContext;

  private Endpoint(Builder b) {
    this.id = b.id != null ? b.id : Ids.endpointId();
    this.url = b.url;
    this.uri = b.uri;
    this.method = b.method;
    this.eventTypes = Collections.unmodifiableSet(new LinkedHashSet<>(b.eventTypes));
    this.scheme = Optional.ofNullable(b.scheme);
    this.keys = List.copyOf(b.keys);
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    this.authentication = Optional.ofNullable(b.authentication);
    Map<String, String> fixed = new LinkedHashMap<>(headers);
    authentication.ifPresent(a -> fixed.put(a.headerName(), a.headerValue()));
    this.requestHeaders = Collections.unmodifiableMap(fixed);
    this.timeout = Optional.ofNullable(b.timeout);
    this.retryPolicy = Optional.ofNullable(b.retryPolicy);
    this.maxInFlight = b.maxInFlight > 0 ? OptionalInt.of(b.maxInFlight) : OptionalInt.empty();
    this.rateLimit = b.rateLimit;
    this.enabled = b.enabled;
    this.disabledReason = b.enabled ? Optional.empty() : Optional.ofNullable(b.disabledReason);
    this.payloadMapper = Optional.ofNullable(b.payloadMapper);
    this.description = b.description;
    this.ownerId = b.ownerId;
    this.verifyOnRegistration = Optional.ofNullable(b.verifyOnRegistration);
    this.registrationStatus = b.registrationStatus == 0 ? OptionalInt.empty() : OptionalInt.of(b.registrationStatus);
    this.sendTraceContext = b.sendTraceContext;
  }

  /**
   * Starts an endpoint.
   *
   * @param url an absolute {@code http} or {@code https} URL; kept exactly as given (schemes
   *     that sign the URL sign this text)
   * @return a builder
   * @throws IllegalArgumentException if the URL is not an absolute http(s) URL with a host
   */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /**
   * Returns a builder holding this endpoint's settings, to make a changed copy.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    return toBuilder(url);
  }

  /**
   * Returns a builder holding this endpoint's settings (its id, keys and state included) with
   * another URL, to move the endpoint. {@link Dispatcher#update} checks the new destination.
   *
   * @param url the new URL, as for {@link #builder(String)}
   * @return a builder
   * @throws IllegalArgumentException if the URL is not an absolute http(s) URL with a host
   */
  public Builder toBuilder(String url) {
    Builder b = new Builder(url);
    b.id = id;
    b.method = method;
    b.eventTypes.addAll(eventTypes);
    b.scheme = scheme.orElse(null);
    b.keys.addAll(keys);
    b.headers.putAll(headers);
    b.authentication = authentication.orElse(null);
    b.timeout = timeout.orElse(null);
    b.retryPolicy = retryPolicy.orElse(null);
    b.maxInFlight = maxInFlight.orElse(0);
    b.rateLimit = rateLimit;
    b.enabled = enabled;
    b.disabledReason = disabledReason.orElse(null);
    b.payloadMapper = payloadMapper.orElse(null);
    b.description = description;
    b.ownerId = ownerId;
    b.verifyOnRegistration = verifyOnRegistration.orElse(null);
    b.registrationStatus = registrationStatus.orElse(0);
    b.sendTraceContext = sendTraceContext;
    return b;
  }

  /**
   * Returns the endpoint's id: given, or generated ({@code ep_...}).
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  /**
   * Returns the URL exactly as given.
   *
   * @return the URL
   */
  public String url() {
    return url;
  }

  /**
   * Returns the URL, parsed once when the endpoint was built: for a tracer or a metric that
   * needs its host or port without parsing it again.
   *
   * @return the absolute http or https URL
   */
  public URI uri() {
    return uri;
  }

  /**
   * Returns the HTTP method: {@code POST} (default), {@code PUT} or {@code DELETE}.
   *
   * @return the method
   */
  public String method() {
    return method;
  }

  /**
   * Returns the subscribed event types: exact types, {@code prefix.*} patterns, or empty for
   * every type.
   *
   * @return the subscriptions
   */
  public Set<String> eventTypes() {
    return eventTypes;
  }

  /**
   * Returns whether this endpoint wants events of a type.
   *
   * @param eventType the event's type
   * @return true if subscribed
   */
  public boolean subscribes(String eventType) {
    if (eventTypes.isEmpty() || eventTypes.contains(eventType) || eventTypes.contains("*")) {
      return true;
    }
    for (String pattern : eventTypes) {
      if (pattern.endsWith(".*")
          && eventType.startsWith(pattern.substring(0, pattern.length() - 1))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the signature scheme, or empty if requests are not signed.
   *
   * @return the scheme
   */
  public Optional<SignatureScheme> scheme() {
    return scheme;
  }

  /**
   * Returns the signing keys, the primary one first.
   *
   * @return the keys
   */
  public List<SigningKey> keys() {
    return keys;
  }

  /**
   * Returns the extra headers sent with every request.
   *
   * @return header names to values
   */
  public Map<String, String> headers() {
    return headers;
  }

  /** The headers and the credentials, as every request carries them before it is signed. */
  Map<String, String> requestHeaders() {
    return requestHeaders;
  }

  /**
   * Returns the credentials sent with every request, if any.
   *
   * @return the authentication
   */
  public Optional<Authentication> authentication() {
    return authentication;
  }

  /**
   * Returns this endpoint's request timeout, if it overrides the dispatcher's.
   *
   * @return the timeout
   */
  public Optional<Duration> timeout() {
    return timeout;
  }

  /**
   * Returns this endpoint's retry policy, if it overrides the dispatcher's.
   *
   * @return the policy
   */
  public Optional<RetryPolicy> retryPolicy() {
    return retryPolicy;
  }

  /**
   * Returns this endpoint's cap on requests in flight, if it overrides the dispatcher's.
   *
   * @return the cap
   */
  public OptionalInt maxInFlight() {
    return maxInFlight;
  }

  /**
   * Returns the most requests per second each dispatcher node sends to this endpoint, or 0 for
   * no limit. With N nodes sharing a store the endpoint may receive up to N times this rate.
   *
   * @return the per-node rate limit
   */
  public double rateLimitPerNode() {
    return rateLimit;
  }

  /**
   * Returns whether deliveries to this endpoint are attempted.
   *
   * @return true if enabled
   */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Returns why the endpoint is disabled, if it is and a reason was given.
   *
   * @return the reason
   */
  public Optional<String> disabledReason() {
    return disabledReason;
  }

  /**
   * Returns the mapper that makes this endpoint's bodies, if it does not take the envelope.
   *
   * @return the mapper
   */
  public Optional<PayloadMapper> payloadMapper() {
    return payloadMapper;
  }

  /**
   * Returns the template that makes this endpoint's bodies, if its mapper is one: for an editor
   * that shows the source and its placeholders.
   *
   * @return the template
   */
  public Optional<PayloadTemplate> payloadTemplate() {
    return payloadMapper.filter(PayloadTemplate.class::isInstance).map(PayloadTemplate.class::cast);
  }

  /**
   * Returns the free-text description; empty if none.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /**
   * Returns the id of the tenant or owner this endpoint belongs to; empty if none.
   *
   * @return the owner id
   */
  public String ownerId() {
    return ownerId;
  }

  /**
   * Returns whether registration sends a HEAD request first, if set; by default it does for
   * {@code https} endpoints.
   *
   * @return the setting
   */
  public Optional<Boolean> verifyOnRegistration() {
    return verifyOnRegistration;
  }

  /**
   * Returns whether this endpoint's requests may carry the sender's trace context (W3C {@code
   * traceparent}) when the dispatcher has a {@link DeliveryTracer}; off by default, since it
   * shows trace ids to whoever runs the endpoint.
   *
   * @return the setting
   */
  public boolean sendsTraceContext() {
    return sendTraceContext;
  }

  /**
   * Returns the one status the registration HEAD request must answer with, if set; otherwise any
   * status below 500 will do.
   *
   * @return the status
   */
  public OptionalInt registrationStatus() {
    return registrationStatus;
  }

  /** Builds a signer from the keys active at {@code now}, or answers empty if unsigned. */
  Optional<Signer> signerAt(Instant now) {
    if (scheme.isEmpty()) {
      return Optional.empty();
    }
    Signer.Builder signer = Signer.builder(scheme.get()).url(url);
    int active = 0;
    for (SigningKey key : keys) {
      if (key.activeAt(now)) {
        signer.existingKey(key.secret());
        active++;
      }
    }
    if (active == 0) {
      // Every key expired: keep signing with the newest rather than send unsigned requests.
      signer.existingKey(keys.get(0).secret());
    }
    return Optional.of(signer.build());
  }

  /** When the set of active keys next changes, if ever. */
  Optional<Instant> nextKeyExpiry(Instant now) {
    Instant next = null;
    for (SigningKey key : keys) {
      if (key.expiresAt().isPresent() && key.expiresAt().get().isAfter(now)) {
        if (next == null || key.expiresAt().get().isBefore(next)) {
          next = key.expiresAt().get();
        }
      }
    }
    return Optional.ofNullable(next);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Endpoint other)) {
      return false;
    }
    return id.equals(other.id)
        && url.equals(other.url)
        && method.equals(other.method)
        && eventTypes.equals(other.eventTypes)
        && scheme.equals(other.scheme)
        && keys.equals(other.keys)
        && headers.equals(other.headers)
        && authentication.equals(other.authentication)
        && timeout.equals(other.timeout)
        && retryPolicy.equals(other.retryPolicy)
        && maxInFlight.equals(other.maxInFlight)
        && rateLimit == other.rateLimit
        && enabled == other.enabled
        && disabledReason.equals(other.disabledReason)
        && payloadMapper.map(PayloadMapper::name).equals(other.payloadMapper.map(PayloadMapper::name))
        && description.equals(other.description)
        && ownerId.equals(other.ownerId)
        && verifyOnRegistration.equals(other.verifyOnRegistration)
        && registrationStatus.equals(other.registrationStatus)
        && sendTraceContext == other.sendTraceContext;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, url, method, eventTypes, enabled);
  }

  @Override
  public String toString() {
    return "Endpoint["
        + id
        + ", "
        + method
        + " "
        + url
        + (eventTypes.isEmpty() ? "" : ", types=" + eventTypes)
        + scheme.map(s -> ", " + s.name() + " with " + keys.size() + " key(s)").orElse(", unsigned")
        + (enabled ? "" : ", disabled" + disabledReason.map(r -> " (" + r + ")").orElse(""))
        + "]";
  }

  /** Builds an {@link Endpoint}. Not thread-safe; the endpoint it builds is. */
  public static final class Builder {
    private final String url;
    private final URI uri;
    private String id;
    private String method = "POST";
    private final Set<String> eventTypes = new LinkedHashSet<>();
    private SignatureScheme scheme;
    private final List<SigningKey> keys = new ArrayList<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Authentication authentication;
    private Duration timeout;
    private RetryPolicy retryPolicy;
    private int maxInFlight;
    private double rateLimit;
    private boolean enabled = true;
    private String disabledReason;
    private PayloadMapper payloadMapper;
    private String description = "";
    private String ownerId = "";
    private Boolean verifyOnRegistration;
    private int registrationStatus;
    private boolean sendTraceContext;

    private Builder(String url) {
      this.uri = UrlRules.parse(url);
      this.url = url;
    }

    /**
     * Sets the endpoint's id. Default: a generated {@code ep_...} id.
     *
     * @param id 1 to 128 visible ASCII characters
     * @return this builder
     * @throws IllegalArgumentException if the id is empty, too long or has other characters
     */
    public Builder id(String id) {
      Objects.requireNonNull(id, "id == null");
      if (id.isEmpty() || id.length() > 128 || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException(
            "id must be 1 to 128 visible ASCII characters: \"" + id + "\"");
      }
      this.id = id;
      return this;
    }

    /**
     * Sets the HTTP method. Default {@code POST}.
     *
     * @param method {@code POST}, {@code PUT} or {@code DELETE}, in any case
     * @return this builder
     * @throws IllegalArgumentException for another method
     */
    public Builder method(String method) {
      Objects.requireNonNull(method, "method == null");
      String m = method.toUpperCase(Locale.ROOT);
      if (!METHODS.contains(m)) {
        throw new IllegalArgumentException("method must be POST, PUT or DELETE: " + method);
      }
      this.method = m;
      return this;
    }

    /**
     * Subscribes to event types. Without any subscription the endpoint gets every event.
     *
     * @param types exact types ({@code experience.started}) or patterns ({@code experience.*},
     *     or {@code *} for all)
     * @return this builder
     * @throws IllegalArgumentException if a type is not dot-separated {@code [a-zA-Z0-9_]}
     *     segments, optionally ending in {@code .*}
     */
    public Builder subscribe(String... types) {
      Objects.requireNonNull(types, "types == null");
      for (String type : types) {
        Objects.requireNonNull(type, "type == null");
        if (!TYPE_PATTERN.matcher(type).matches()) {
          throw new IllegalArgumentException(
              "event type \"" + type + "\" is not dot-separated [a-zA-Z0-9_] segments"
                  + " (optionally ending in .*)");
        }
        eventTypes.add(type);
      }
      return this;
    }

    /**
     * Signs requests with a scheme and one or more secrets, the first being the primary.
     * Replaces earlier signing settings.
     *
     * @param scheme the scheme
     * @param secrets the secrets, written as the scheme expects them
     * @return this builder
     * @throws IllegalArgumentException if no secret is given, or one is malformed for the
     *     scheme or too short to sign with ({@link Signer#MIN_HMAC_KEY_BYTES})
     */
    public Builder signing(SignatureScheme scheme, String... secrets) {
      Objects.requireNonNull(scheme, "scheme == null");
      Objects.requireNonNull(secrets, "secrets == null");
      if (secrets.length == 0) {
        throw new IllegalArgumentException("signing needs at least one secret");
      }
      List<SigningKey> parsed = new ArrayList<>();
      for (String secret : secrets) {
        parsed.add(SigningKey.of(secret));
      }
      checkKeys(scheme, parsed);
      this.scheme = scheme;
      this.keys.clear();
      this.keys.addAll(parsed);
      return this;
    }

    /**
     * Makes {@code newSecret} the primary secret; the current secrets keep signing until {@code
     * oldKeysExpireAt}, so receivers can move to the new one.
     *
     * @param newSecret the new secret
     * @param oldKeysExpireAt when the current secrets stop signing
     * @return this builder
     * @throws IllegalStateException if signing is not set up
     * @throws IllegalArgumentException if the secret is malformed for the scheme or too short to
     *     sign with ({@link Signer#MIN_HMAC_KEY_BYTES})
     */
    public Builder rotateSecret(String newSecret, Instant oldKeysExpireAt) {
      Objects.requireNonNull(newSecret, "newSecret == null");
      Objects.requireNonNull(oldKeysExpireAt, "oldKeysExpireAt == null");
      if (scheme == null) {
        throw new IllegalStateException("rotateSecret needs signing(...) first");
      }
      List<SigningKey> rotated = new ArrayList<>();
      rotated.add(SigningKey.of(newSecret));
      for (SigningKey key : keys) {
        Instant expiry =
            key.expiresAt().filter(t -> t.isBefore(oldKeysExpireAt)).orElse(oldKeysExpireAt);
        if (expiry.isAfter(Instant.EPOCH)) {
          rotated.add(new SigningKey(key.secret(), Optional.of(expiry)));
        }
      }
      checkKeys(scheme, rotated.subList(0, 1));
      keys.clear();
      keys.addAll(rotated);
      return this;
    }

    /**
     * Sends requests unsigned, for endpoints that authenticate by credentials alone. Default
     * when {@link #signing} is not called.
     *
     * @return this builder
     */
    public Builder unsigned() {
      this.scheme = null;
      this.keys.clear();
      return this;
    }

    /**
     * Adds a header sent with every request, or replaces one of the same name in any case. The
     * headers Hookwire writes cannot be set here: {@code Content-Type}, the signature scheme's
     * headers and the {@link #authentication} header are refused at {@link #build()}, and the
     * headers the HTTP client writes ({@code Host}, {@code Content-Length}, {@code
     * Transfer-Encoding}, {@code Connection} and the like) at once. A {@code User-Agent} set here
     * replaces the transport's.
     *
     * @param name the header name, an HTTP token
     * @param value the value: visible ASCII, spaces and tabs inside
     * @return this builder
     * @throws IllegalArgumentException if the name or value is not valid in a header, or the name
     *     is one the HTTP client or Hookwire writes
     */
    public Builder header(String name, String value) {
      HeaderRules.checkValue(HeaderRules.checkName(name), value);
      if (HeaderRules.isManaged(name) || name.equalsIgnoreCase(HeaderRules.CONTENT_TYPE)) {
        throw new IllegalArgumentException(
            "header " + name + " is " + (HeaderRules.isManaged(name) ? "managed by the HTTP client" : "written by Hookwire")
                + " and cannot be set on an endpoint");
      }
      headers.keySet().removeIf(present -> present.equalsIgnoreCase(name));
      headers.put(name, value);
      return this;
    }

    /**
     * Removes every subscription, so that {@link #subscribe} can set them anew (without any, the
     * endpoint gets every event).
     *
     * @return this builder
     */
    public Builder clearSubscriptions() {
      eventTypes.clear();
      return this;
    }

    /**
     * Removes every header set with {@link #header}, so that they can be set anew.
     *
     * @return this builder
     */
    public Builder clearHeaders() {
      headers.clear();
      return this;
    }

    /**
     * Removes the credentials set with {@link #authentication}.
     *
     * @return this builder
     */
    public Builder clearAuthentication() {
      authentication = null;
      return this;
    }

    /**
     * Removes the payload mapper set with {@link #payloadMapper}: the endpoint gets Hookwire's
     * envelope again.
     *
     * @return this builder
     */
    public Builder clearPayloadMapper() {
      payloadMapper = null;
      return this;
    }

    /**
     * Sets the credentials sent with every request.
     *
     * @param authentication Basic, bearer or API key
     * @return this builder
     */
    public Builder authentication(Authentication authentication) {
      this.authentication = Objects.requireNonNull(authentication, "authentication == null");
      return this;
    }

    /**
     * Sets the per-request timeout. Default: the dispatcher's (10 s).
     *
     * @param timeout the timeout, positive and at most 5 minutes
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Limits.timeout(timeout);
      return this;
    }

    /**
     * Sets the retry policy. Default: the dispatcher's.
     *
     * @param retryPolicy the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy == null");
      return this;
    }

    /**
     * Caps the requests each dispatcher node has in flight to this endpoint. Default: the
     * dispatcher's {@code maxInFlightPerEndpoint}. Per node: N nodes sharing a store may have N
     * times as many in flight.
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
     * Limits the requests per second that each dispatcher node sends to this endpoint (a token
     * bucket with a burst of one second's worth). The limit holds per node, not for the whole
     * cluster: with N nodes sharing a store, the endpoint may receive up to N times this rate, so
     * divide a receiver's limit by the number of nodes. Default: no limit.
     *
     * @param requestsPerSecond the limit, positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder rateLimitPerNode(double requestsPerSecond) {
      if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
        throw new IllegalArgumentException("rateLimitPerNode must be positive: " + requestsPerSecond);
      }
      this.rateLimit = requestsPerSecond;
      return this;
    }

    /**
     * Enables or disables the endpoint. Default enabled.
     *
     * @param enabled whether deliveries are attempted
     * @return this builder
     */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      if (enabled) {
        this.disabledReason = null;
      }
      return this;
    }

    /**
     * Restores stored signing keys with their expiry. They signed before, so they sign again
     * even if shorter than a new key may be (an earlier version took such keys).
     */
    void restoreSigning(SignatureScheme scheme, List<SigningKey> stored) {
      if (stored.isEmpty()) {
        throw new IllegalArgumentException("a signed endpoint needs at least one key");
      }
      this.scheme = Objects.requireNonNull(scheme, "scheme == null");
      this.keys.clear();
      this.keys.addAll(stored);
      signer(scheme, keys); // malformed keys still fail here
    }

    Builder disabled(String reason) {
      this.enabled = false;
      this.disabledReason = reason;
      return this;
    }

    /**
     * Sets the mapper that makes this endpoint's bodies. Default: the event envelope as JSON.
     *
     * @param mapper the mapper
     * @return this builder
     */
    public Builder payloadMapper(PayloadMapper mapper) {
      this.payloadMapper = Objects.requireNonNull(mapper, "mapper == null");
      return this;
    }

    /**
     * Makes this endpoint's bodies from a template, stored with the endpoint: the same as {@code
     * payloadMapper(PayloadTemplate.parse(source))}. Default: the event envelope as JSON.
     *
     * @param source the template's source (see {@link PayloadTemplate})
     * @return this builder
     * @throws PayloadTemplateException if the source is not a valid template; the exception
     *     gives the line and column
     */
    public Builder payloadTemplate(String source) {
      return payloadMapper(PayloadTemplate.parse(source));
    }

    /**
     * Sets a free-text description.
     *
     * @param description the description
     * @return this builder
     */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description == null");
      return this;
    }

    /**
     * Sets the id of the tenant or owner this endpoint belongs to.
     *
     * @param ownerId the owner id
     * @return this builder
     */
    public Builder ownerId(String ownerId) {
      this.ownerId = Objects.requireNonNull(ownerId, "ownerId == null");
      return this;
    }

    /**
     * Sets whether registration first sends a HEAD request that a server must answer, over a
     * valid TLS certificate for https, with a status below 500 (or exactly {@link
     * #registrationStatus(int)}). It catches a mistyped host and a bad certificate when the
     * endpoint is added rather than at its first delivery; a receiver that takes only POST may
     * answer 404 or 405 and still passes. Default: on for {@code https} URLs, off for {@code
     * http}.
     *
     * @param verify whether to check
     * @return this builder
     */
    public Builder verifyOnRegistration(boolean verify) {
      this.verifyOnRegistration = verify;
      return this;
    }

    /**
     * Lets this endpoint's requests carry the sender's trace context ({@code traceparent} and
     * {@code tracestate}) when the dispatcher has a {@link DeliveryTracer}, so that a receiver
     * that traces too joins the sender's trace. It shows trace ids to whoever runs the endpoint:
     * turn it on for endpoints of your own. Default: off.
     *
     * @param send whether to send it
     * @return this builder
     */
    public Builder sendTraceContext(boolean send) {
      this.sendTraceContext = send;
      return this;
    }

    /**
     * Requires the registration HEAD request to answer with exactly this status, as some
     * platforms do (Insightarc creates a webhook only on 200), and turns the check on. Default:
     * any status below 500.
     *
     * @param status the status, 200 to 299
     * @return this builder
     * @throws IllegalArgumentException if not a 2xx status
     */
    public Builder registrationStatus(int status) {
      if (status < 200 || status > 299) {
        throw new IllegalArgumentException("registrationStatus must be a 2xx status: " + status);
      }
      this.registrationStatus = status;
      this.verifyOnRegistration = true;
      return this;
    }

    /**
     * Builds the endpoint.
     *
     * @return an immutable endpoint
     * @throws IllegalStateException if the scheme signs the URL and the URL was changed, or
     *     another combination is inconsistent
     */
    public Endpoint build() {
      Map<String, String> writtenBy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      if (scheme != null) {
        // Build a signer once, so that a key the scheme cannot use fails here, not at send; its
        // signature on an empty body names the headers it writes.
        for (String name : signer(scheme, keys).sign("msg_check", Instant.EPOCH, new byte[0]).keySet()) {
          writtenBy.put(name, "the " + scheme.name() + " signature scheme");
        }
      }
      if (authentication != null) {
        writtenBy.put(authentication.headerName(), "authentication(...)");
      }
      for (String name : headers.keySet()) {
        String writer = writtenBy.get(name);
        if (writer != null) {
          throw new IllegalStateException(
              "header " + name + " is written by " + writer + " and cannot also be set with header(...)");
        }
      }
      return new Endpoint(this);
    }

    private Signer checkKeys(SignatureScheme s, List<SigningKey> candidates) {
      Signer.Builder signer = Signer.builder(s).url(url);
      for (SigningKey key : candidates) {
        signer.key(key.secret());
      }
      return signer.build();
    }

    /**
     * A signer of keys that are already the endpoint's: checked when they were set (or stored by
     * an earlier version), so a short old key does not stop a rotation away from it.
     */
    private Signer signer(SignatureScheme s, List<SigningKey> current) {
      Signer.Builder signer = Signer.builder(s).url(url);
      for (SigningKey key : current) {
        signer.existingKey(key.secret());
      }
      return signer.build();
    }
  }
}
