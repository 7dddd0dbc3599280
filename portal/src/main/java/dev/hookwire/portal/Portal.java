package dev.hookwire.portal;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.event.EventCodec;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import java.time.Clock;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator portal: a JSON management API for a tenant's webhook endpoints and the web page
 * that uses it, served from this jar, for a host to mount at a path of its own.
 *
 * <p>What a tenant can do: list, create, edit, disable, enable and delete its endpoints; choose
 * their event types from the host's catalogue ({@link Builder#eventType}); set method, headers,
 * credentials and a {@linkplain dev.hookwire.dispatch.PayloadTemplate payload template}; reveal
 * and rotate the signing secret on an explicit action; send a test event and follow its
 * attempts; read the delivery log with filters, replay a delivery or everything that failed
 * since a time, and see the last 24 hours' statistics. The API is described by {@code
 * api/openapi.json}, served beside it.
 *
 * <p>Safety: every API request is scoped to the tenant that the host's {@link PortalAuthorizer}
 * returns (an endpoint belongs to the tenant named by its {@link
 * dev.hookwire.dispatch.Endpoint#ownerId() ownerId}; another tenant's endpoint, delivery or
 * secret answers 404, as if it did not exist); state-changing calls need the token of a
 * same-site session (protection against cross-site request forgery that keeps no state on the
 * server, so any node can answer); every response carries a Content-Security-Policy that allows
 * no inline script, and the page renders what strangers wrote (descriptions, response snippets,
 * payloads) as text only.
 *
 * <p>The portal keeps no state of its own: everything is in the dispatcher's store, so every
 * node of a cluster can serve it, and a change made on one node is seen by the others within
 * their {@link Dispatcher.Builder#endpointRefresh endpoint refresh}.
 *
 * <p>Thread-safe: {@link #handle} is called concurrently by the server's threads.
 */
public final class Portal {
  private static final Logger log = LoggerFactory.getLogger(Portal.class);

  /** The default cap on a request body: 256 KiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;

  private final Api api;
  private final Assets assets;
  private final int maxBodyBytes;

  private Portal(Builder b) {
    this.maxBodyBytes = b.maxBodyBytes;
    this.assets = new Assets();
    this.api =
        new Api(
            b.dispatcher, b.authorizer, Collections.unmodifiableMap(new LinkedHashMap<>(b.catalog)),
            b.scheme, b.newSecret, b.codec, b.clock, assets);
  }

  /**
   * Starts a portal over a dispatcher, which holds the endpoints and their deliveries; it need
   * not be started on this node.
   *
   * @param dispatcher the dispatcher
   * @return a builder
   */
  public static Builder builder(Dispatcher dispatcher) {
    return new Builder(dispatcher);
  }

  /**
   * Answers one request. Never throws for a bad request: refusals are answered with a status and
   * a JSON body saying what is wrong ({@code {"error": code, "message": text}}); an unexpected
   * failure is logged and answered 500 without its details.
   *
   * @param request the request
   * @return the response
   */
  public PortalResponse handle(PortalRequest request) {
    Objects.requireNonNull(request, "request == null");
    try {
      if (request.bodyLength() > maxBodyBytes) {
        throw new HttpError(413, "too_large", "the body is over " + maxBodyBytes + " bytes");
      }
      return route(request);
    } catch (HttpError e) {
      return Responses.error(e);
    } catch (RuntimeException e) {
      log.warn("portal: {} failed", request, e);
      return Responses.error(new HttpError(500, "internal", "the request failed; the server's log says why"));
    }
  }

  private PortalResponse route(PortalRequest request) {
    String path = request.path();
    String method = request.method();
    boolean read = method.equals("GET") || method.equals("HEAD");
    if (path.isEmpty()) {
      return Responses.status(302).header("Location", request.mountPath() + "/").build();
    }
    if (path.startsWith("/api/")) {
      return api.handle(request, path.substring("/api/".length()));
    }
    if (!read) {
      throw new HttpError(405, "method_not_allowed", method + " is not allowed on " + path);
    }
    String name = path.equals("/") ? "index.html" : path.startsWith("/assets/") ? path.substring("/assets/".length()) : null;
    if (name == null) {
      throw HttpError.notFound(path);
    }
    return assets.file(name).orElseThrow(() -> HttpError.notFound(path));
  }

  /**
   * Returns the largest request body accepted; adapters read no more than this and one byte.
   *
   * @return the cap in bytes
   */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  @Override
  public String toString() {
    return "Portal{" + api.catalogSize() + " event types}";
  }

  /** Builds a {@link Portal}. Not thread-safe. */
  public static final class Builder {
    private final Dispatcher dispatcher;
    private PortalAuthorizer authorizer;
    private final Map<String, EventType> catalog = new LinkedHashMap<>();
    private SignatureScheme scheme = SignatureScheme.standardWebhooks();
    private Supplier<String> newSecret = Secrets::newStandardSecret;
    private EventCodec codec = EventCodec.ofDefaults();
    private Clock clock = Clock.systemUTC();
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;

    private Builder(Dispatcher dispatcher) {
      this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher == null");
    }

    /**
     * Sets who may use the portal, and as which tenant. Required.
     *
     * @param authorizer the host's authorizer
     * @return this builder
     */
    public Builder authorizer(PortalAuthorizer authorizer) {
      this.authorizer = Objects.requireNonNull(authorizer, "authorizer == null");
      return this;
    }

    /**
     * Adds an event type to the catalogue that tenants subscribe from. With a catalogue, an
     * endpoint's subscriptions must each match one of its types.
     *
     * @param type the event type
     * @return this builder
     * @throws IllegalArgumentException if a type of that name is already in the catalogue
     */
    public Builder eventType(EventType type) {
      Objects.requireNonNull(type, "type == null");
      if (catalog.putIfAbsent(type.name(), type) != null) {
        throw new IllegalArgumentException("event type " + type.name() + " is in the catalogue twice");
      }
      return this;
    }

    /**
     * Adds event types to the catalogue.
     *
     * @param types the event types
     * @return this builder
     * @throws IllegalArgumentException if a name repeats
     */
    public Builder eventTypes(Collection<EventType> types) {
      Objects.requireNonNull(types, "types == null");
      types.forEach(this::eventType);
      return this;
    }

    /**
     * Sets how endpoints created in the portal are signed, and how their secrets are made (at
     * creation and rotation). Default: Standard Webhooks with {@link
     * Secrets#newStandardSecret()}.
     *
     * @param scheme the signature scheme
     * @param newSecret makes a new secret in the form the scheme takes
     * @return this builder
     */
    public Builder signing(SignatureScheme scheme, Supplier<String> newSecret) {
      this.scheme = Objects.requireNonNull(scheme, "scheme == null");
      this.newSecret = Objects.requireNonNull(newSecret, "newSecret == null");
      return this;
    }

    /**
     * Sets the codec that template previews write sample data with; use the dispatcher's.
     * Default: {@link EventCodec#ofDefaults()}.
     *
     * @param codec the codec
     * @return this builder
     */
    public Builder codec(EventCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec == null");
      return this;
    }

    /**
     * Sets the clock for statistics windows and test events. Default: the system's, in UTC.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Sets the largest request body accepted. Default: {@link #DEFAULT_MAX_BODY_BYTES}.
     *
     * @param bytes the cap, from 1 KiB to 16 MiB
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxBodyBytes(int bytes) {
      if (bytes < 1024 || bytes > 16 * 1024 * 1024) {
        throw new IllegalArgumentException("maxBodyBytes must be from 1 KiB to 16 MiB: " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * Builds the portal.
     *
     * @return the portal
     * @throws IllegalStateException if no authorizer was set
     */
    public Portal build() {
      if (authorizer == null) {
        throw new IllegalStateException(
            "a portal needs an authorizer: Portal.builder(dispatcher).authorizer(request -> ...)"
                + " that maps the host's signed-in user to a tenant");
      }
      return new Portal(this);
    }
  }
}
