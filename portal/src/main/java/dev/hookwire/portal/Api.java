package dev.hookwire.portal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookwire.dispatch.Authentication;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.EndpointValidationException;
import dev.hookwire.dispatch.PayloadTemplate;
import dev.hookwire.dispatch.PayloadTemplateException;
import dev.hookwire.dispatch.SendReceipt;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryQuery;
import dev.hookwire.store.DeliveryRecord;
import dev.hookwire.store.DeliveryState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API's routes. Every route first asks the authorizer for the tenant; every route that
 * names an endpoint loads it and answers 404 unless it belongs to that tenant, and every route
 * that names a delivery checks that it belongs to that endpoint.
 */
final class Api {
  private static final Logger log = LoggerFactory.getLogger(Api.class);

  static final int DEFAULT_PAGE = 50;
  static final String CURSOR_SEPARATOR = "~";
  /** Never requested: the URL of the endpoints that only match subscriptions to the catalogue. */
  private static final String CATALOGUE_PROBE = "https://catalogue.invalid/";
  static final int MAX_PAGE = 200;
  static final int MAX_DESCRIPTION = 1000;
  static final Duration DEFAULT_GRACE = Duration.ofHours(24);
  static final Duration MAX_GRACE = Duration.ofDays(30);

  private static final Pattern TENANT = Pattern.compile("[\\x21-\\x7e]{1,128}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  private final Dispatcher dispatcher;
  private final PortalAuthorizer authorizer;
  /** The host's catalogue by name, in the order the host gave it. */
  private final Map<String, EventType> catalog;
  private final SignatureScheme scheme;
  private final Supplier<String> newSecret;
  private final EventCodec codec;
  private final Clock clock;
  private final Assets assets;

  Api(Dispatcher dispatcher, PortalAuthorizer authorizer, Map<String, EventType> catalog,
      SignatureScheme scheme, Supplier<String> newSecret,
      EventCodec codec, Clock clock, Assets assets) {
    this.dispatcher = dispatcher;
    this.authorizer = authorizer;
    this.catalog = catalog;
    this.scheme = scheme;
    this.newSecret = newSecret;
    this.codec = codec;
    this.clock = clock;
    this.assets = assets;
  }

  int catalogSize() {
    return catalog.size();
  }

  PortalResponse handle(PortalRequest request, String route) {
    String method = request.method().equals("HEAD") ? "GET" : request.method();
    if (route.equals("openapi.json") && method.equals("GET")) {
      return assets.openApi();
    }
    String tenant = tenant(request);
    if (!method.equals("GET")) {
      Csrf.check(request);
      if (request.bodyLength() > 0
          && !request.header("Content-Type").orElse("").toLowerCase(Locale.ROOT).startsWith("application/json")) {
        throw new HttpError(415, "unsupported_media_type", "send the body as application/json");
      }
    }
    String[] parts = route.split("/", -1);
    for (String part : parts) {
      if (part.isEmpty()) {
        throw HttpError.notFound("api/" + route);
      }
    }
    switch (parts[0]) {
      case "session":
        return only(parts, 1, method, "GET", () -> session(request, tenant));
      case "event-types":
        return only(parts, 1, method, "GET", this::eventTypes);
      case "templates":
        if (parts.length == 2 && parts[1].equals("preview")) {
          return only(parts, 2, method, "POST", () -> preview(body(request)));
        }
        throw HttpError.notFound("api/" + route);
      case "endpoints":
        return endpoints(request, tenant, method, parts);
      default:
        throw HttpError.notFound("api/" + route);
    }
  }

  private PortalResponse endpoints(PortalRequest request, String tenant, String method, String[] parts) {
    if (parts.length == 1) {
      switch (method) {
        case "GET":
          return list(tenant);
        case "POST":
          return create(tenant, body(request));
        default:
          throw notAllowed(method);
      }
    }
    Endpoint endpoint = owned(tenant, parts[1]);
    if (parts.length == 2) {
      switch (method) {
        case "GET":
          return Responses.json(200, Views.endpoint(endpoint));
        case "PUT":
          return update(tenant, endpoint, body(request));
        case "DELETE":
          dispatcher.delete(endpoint.id());
          log.info("portal: tenant {} deleted endpoint {}", tenant, endpoint.id());
          return Responses.status(204).build();
        default:
          throw notAllowed(method);
      }
    }
    String action = parts[2];
    switch (action) {
      case "disable":
        return only(parts, 3, method, "POST", () -> {
          log.info("portal: tenant {} disabled endpoint {}", tenant, endpoint.id());
          return Responses.json(200, Views.endpoint(dispatcher.disable(endpoint.id())));
        });
      case "enable":
        return only(parts, 3, method, "POST", () -> {
          log.info("portal: tenant {} enabled endpoint {}", tenant, endpoint.id());
          return Responses.json(200, Views.endpoint(dispatcher.enable(endpoint.id())));
        });
      case "secret":
        if (parts.length == 4 && parts[3].equals("rotate")) {
          return only(parts, 4, method, "POST", () -> rotate(tenant, endpoint, body(request)));
        }
        return only(parts, 3, method, "POST", () -> reveal(tenant, endpoint));
      case "test":
        return only(parts, 3, method, "POST", () -> test(tenant, endpoint, body(request)));
      case "stats":
        return only(parts, 3, method, "GET", () -> stats(endpoint));
      case "recover":
        return only(parts, 3, method, "POST", () -> recover(tenant, endpoint, body(request)));
      case "deliveries":
        if (parts.length == 3) {
          return only(parts, 3, method, "GET", () -> deliveries(endpoint, request));
        }
        DeliveryRecord delivery = ownedDelivery(endpoint, parts[3]);
        if (parts.length == 4) {
          return only(parts, 4, method, "GET", () -> deliveryDetail(delivery));
        }
        if (parts[4].equals("replay")) {
          return only(parts, 5, method, "POST", () -> {
            boolean replayed = dispatcher.replay(delivery.deliveryId());
            log.info("portal: tenant {} replayed delivery {} ({})", tenant, delivery.deliveryId(), replayed);
            ObjectNode n = Responses.JSON.createObjectNode();
            n.put("replayed", replayed);
            return Responses.json(200, n);
          });
        }
        throw HttpError.notFound("api/" + String.join("/", parts));
      default:
        throw HttpError.notFound("api/" + String.join("/", parts));
    }
  }

  // -------------------------------------------------------------------------------------------
  // Tenant and ownership

  private String tenant(PortalRequest request) {
    Optional<String> tenant = authorizer.tenant(request);
    if (tenant == null || tenant.isEmpty()) {
      throw new HttpError(401, "unauthorized", "sign in to use the portal");
    }
    if (!TENANT.matcher(tenant.get()).matches()) {
      throw new IllegalStateException("the authorizer returned a tenant id that is blank, over 128"
          + " characters or not visible ASCII");
    }
    return tenant.get();
  }

  /** The endpoint, if the tenant owns it; otherwise 404, the same answer as for no endpoint. */
  private Endpoint owned(String tenant, String id) {
    if (!ID.matcher(id).matches()) {
      throw HttpError.notFound("endpoint");
    }
    return dispatcher.endpoint(id)
        .filter(e -> e.ownerId().equals(tenant))
        .orElseThrow(() -> HttpError.notFound("endpoint"));
  }

  private DeliveryRecord ownedDelivery(Endpoint endpoint, String deliveryId) {
    if (!ID.matcher(deliveryId).matches()) {
      throw HttpError.notFound("delivery");
    }
    return dispatcher.delivery(deliveryId)
        .filter(d -> d.endpointId().equals(endpoint.id()))
        .orElseThrow(() -> HttpError.notFound("delivery"));
  }

  // -------------------------------------------------------------------------------------------
  // Routes

  private PortalResponse session(PortalRequest request, String tenant) {
    String token = Csrf.tokenFor(request);
    ObjectNode n = Responses.JSON.createObjectNode();
    n.put("tenant", tenant);
    n.put("csrfToken", token);
    return Responses.status(200).json(n).header("Set-Cookie", Csrf.cookie(request, token)).build();
  }

  private PortalResponse eventTypes() {
    ArrayNode out = Responses.JSON.createArrayNode();
    for (EventType type : catalog.values()) {
      ObjectNode n = out.addObject();
      n.put("name", type.name());
      n.put("description", type.description());
      n.set("example", type.example());
      n.set("schema", type.schema().orElse(null));
    }
    return Responses.json(200, out);
  }

  private PortalResponse list(String tenant) {
    ArrayNode out = Responses.JSON.createArrayNode();
    for (Endpoint e : dispatcher.endpoints()) {
      if (e.ownerId().equals(tenant)) {
        out.add(Views.endpoint(e));
      }
    }
    return Responses.json(200, out);
  }

  private PortalResponse create(String tenant, JsonNode body) {
    EndpointInput input = EndpointInput.read(body, false);
    Endpoint.Builder b = builder(() -> Endpoint.builder(input.url()));
    b.ownerId(tenant);
    apply(input, b, Optional.empty());
    applying(() -> b.signing(scheme, newSecret.get()));
    Endpoint registered = register(() -> dispatcher.register(build(b)));
    log.info("portal: tenant {} created endpoint {}", tenant, registered.id());
    return Responses.json(201, Views.endpoint(registered));
  }

  private PortalResponse update(String tenant, Endpoint current, JsonNode body) {
    EndpointInput input = EndpointInput.read(body, true);
    Endpoint.Builder b = builder(() -> current.toBuilder(input.url()));
    apply(input, b, Optional.of(current));
    Endpoint updated = register(() -> dispatcher.update(build(b)));
    log.info("portal: tenant {} updated endpoint {}", tenant, updated.id());
    return Responses.json(200, Views.endpoint(updated));
  }

  private void apply(EndpointInput input, Endpoint.Builder b, Optional<Endpoint> current) {
    applying(() -> b.method(input.method()));
    b.description(input.description());
    b.clearSubscriptions();
    for (String type : input.eventTypes()) {
      applying(() -> b.subscribe(type));
      checkCatalogue(type);
    }
    b.clearHeaders();
    input.headers().forEach((name, value) -> applying(() -> b.header(name, value)));
    if (input.authentication().isPresent()) {
      Authentication auth = input.authentication().get();
      b.authentication(auth);
    } else if (!input.keepAuthentication()) {
      b.clearAuthentication();
    }
    if (input.template().isPresent()) {
      b.payloadMapper(template(input.template().get()));
    } else if (current.flatMap(Endpoint::payloadTemplate).isPresent()) {
      b.clearPayloadMapper(); // a host's own mapper (code) is kept: the portal cannot show it
    }
  }

  /**
   * Refuses a subscription that takes no type of the catalogue (when the host gave one), matched
   * as the dispatcher matches: by an endpoint that subscribes to it alone.
   */
  private void checkCatalogue(String type) {
    if (catalog.isEmpty()) {
      return;
    }
    Endpoint subscriber = Endpoint.builder(CATALOGUE_PROBE).subscribe(type).build();
    if (catalog.keySet().stream().noneMatch(subscriber::subscribes)) {
      throw notInCatalogue(type);
    }
  }

  private static HttpError notInCatalogue(String type) {
    return HttpError.invalid("event type " + type + " is not in the catalogue (see api/event-types)");
  }

  private PortalResponse reveal(String tenant, Endpoint endpoint) {
    if (endpoint.keys().isEmpty()) {
      throw new HttpError(409, "not_signed", "the endpoint is not signed, so it has no secret");
    }
    log.info("portal: tenant {} revealed the secret of endpoint {}", tenant, endpoint.id());
    return secret(endpoint.keys().get(0).secret());
  }

  private PortalResponse rotate(String tenant, Endpoint endpoint, JsonNode body) {
    if (endpoint.keys().isEmpty()) {
      throw new HttpError(409, "not_signed", "the endpoint is not signed, so it has no secret");
    }
    Duration grace = DEFAULT_GRACE;
    JsonNode g = body.get("graceSeconds");
    if (g != null && !g.isNull()) {
      if (!g.canConvertToLong() || g.asLong() < 0 || g.asLong() > MAX_GRACE.toSeconds()) {
        throw HttpError.invalid("graceSeconds must be a whole number from 0 to " + MAX_GRACE.toSeconds());
      }
      grace = Duration.ofSeconds(g.asLong());
    }
    String secret = newSecret.get();
    dispatcher.rotateSecret(endpoint.id(), secret, grace);
    log.info("portal: tenant {} rotated the secret of endpoint {} (old keys sign for {})", tenant, endpoint.id(), grace);
    return secret(secret);
  }

  private static PortalResponse secret(String secret) {
    ObjectNode n = Responses.JSON.createObjectNode();
    n.put("secret", secret);
    return Responses.json(200, n);
  }

  private PortalResponse test(String tenant, Endpoint endpoint, JsonNode body) {
    WebhookEvent<?> event = sample(text(body, "eventType").orElse(null));
    SendReceipt receipt;
    try {
      receipt = dispatcher.sendTo(endpoint.id(), event);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new HttpError(409, "cannot_send", e.getMessage());
    }
    log.info("portal: tenant {} sent test event {} to endpoint {}", tenant, event.id(), endpoint.id());
    ObjectNode n = Responses.JSON.createObjectNode();
    n.put("eventId", receipt.eventId());
    n.put("deliveryId", receipt.deliveryIds().get(0));
    return Responses.json(202, n);
  }

  /** A sample event of a catalogue type, with its example data; or Hookwire's test event. */
  private WebhookEvent<?> sample(String type) {
    if (type == null) {
      if (catalog.isEmpty()) {
        return WebhookEvent.create("hookwire.test", Map.of("message", "This is a test event."), clock);
      }
      type = catalog.keySet().iterator().next();
    }
    EventType known = catalog.get(type);
    if (known == null) {
      throw notInCatalogue(type);
    }
    return WebhookEvent.create(known.name(), known.example(), clock);
  }

  private PortalResponse preview(JsonNode body) {
    String source = text(body, "template").orElseThrow(() -> HttpError.invalid("template is required"));
    PayloadTemplate template = template(source);
    WebhookEvent<?> event = sample(text(body, "eventType").orElse(null));
    byte[] rendered;
    try {
      rendered = template.map(event, codec);
    } catch (RuntimeException e) {
      throw HttpError.invalid("the template cannot render the sample event: " + e.getMessage());
    }
    ObjectNode n = Responses.JSON.createObjectNode();
    try {
      n.put("body", Responses.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Responses.JSON.readTree(rendered)));
      n.set("event", Responses.JSON.readTree(codec.encode(event)));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a template or the codec wrote something that is not JSON", e);
    }
    ArrayNode placeholders = n.putArray("placeholders");
    template.placeholders().forEach(placeholders::add);
    return Responses.json(200, n);
  }

  private PortalResponse deliveries(Endpoint endpoint, PortalRequest request) {
    DeliveryQuery.Builder query = DeliveryQuery.builder().endpointId(endpoint.id());
    request.query("state").filter(s -> !s.isEmpty()).ifPresent(s -> query.state(state(s)));
    request.query("eventType").filter(s -> !s.isEmpty()).ifPresent(query::eventType);
    request.query("since").filter(s -> !s.isEmpty()).ifPresent(s -> query.createdSince(instant("since", s)));
    request.query("before").filter(s -> !s.isEmpty()).ifPresent(s -> before(query, s));
    int limit = request.query("limit").filter(s -> !s.isEmpty()).map(Api::limit).orElse(DEFAULT_PAGE);
    List<DeliveryRecord> rows;
    try {
      rows = dispatcher.deliveries(query.limit(limit + 1).build());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw HttpError.invalid(e.getMessage());
    }
    ObjectNode n = Responses.JSON.createObjectNode();
    ArrayNode out = n.putArray("deliveries");
    for (int i = 0; i < Math.min(limit, rows.size()); i++) {
      out.add(Views.delivery(rows.get(i)));
    }
    if (rows.size() > limit) {
      DeliveryRecord last = rows.get(limit - 1);
      n.put("next", last.createdAt() + CURSOR_SEPARATOR + last.deliveryId());
    } else {
      n.putNull("next");
    }
    return Responses.json(200, n);
  }

  private PortalResponse deliveryDetail(DeliveryRecord delivery) {
    ObjectNode n = Responses.JSON.createObjectNode();
    n.set("delivery", Views.delivery(delivery));
    ArrayNode attempts = n.putArray("attempts");
    for (AttemptRecord a : dispatcher.attempts(delivery.eventId())) {
      if (a.deliveryId().equals(delivery.deliveryId())) {
        attempts.add(Views.attempt(a));
      }
    }
    return Responses.json(200, n);
  }

  private PortalResponse recover(String tenant, Endpoint endpoint, JsonNode body) {
    Instant since =
        instant("since", text(body, "since").orElseThrow(() -> HttpError.invalid("since is required")));
    int replayed = dispatcher.replayDead(endpoint.id(), since);
    log.info("portal: tenant {} recovered {} dead deliveries of endpoint {} since {}", tenant, replayed, endpoint.id(), since);
    ObjectNode n = Responses.JSON.createObjectNode();
    n.put("replayed", replayed);
    return Responses.json(200, n);
  }

  private PortalResponse stats(Endpoint endpoint) {
    Instant now = clock.instant();
    Instant from = Stats.from(now);
    List<AttemptRecord> attempts = dispatcher.attempts(endpoint.id(), from, Stats.MAX_ATTEMPTS);
    return Responses.json(200, Stats.of(attempts, from, now));
  }

  // -------------------------------------------------------------------------------------------
  // Reading requests

  private static JsonNode body(PortalRequest request) {
    if (request.bodyLength() == 0) {
      return Responses.JSON.createObjectNode();
    }
    try {
      JsonNode node = Responses.JSON.readTree(request.bodyText());
      if (node == null || !node.isObject()) {
        throw HttpError.invalid("the body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw HttpError.invalid("the body is not JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
    }
  }

  static Optional<String> text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isTextual()) {
      throw HttpError.invalid(field + " must be a string");
    }
    return Optional.of(n.asText());
  }

  private static PayloadTemplate template(String source) {
    try {
      return PayloadTemplate.parse(source);
    } catch (PayloadTemplateException e) {
      throw new HttpError(400, "invalid_template", e.getMessage(), e.line(), e.column());
    }
  }

  private static DeliveryState state(String s) {
    try {
      return DeliveryState.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw HttpError.invalid("state must be PENDING, SUCCEEDED or DEAD: " + s);
    }
  }

  /**
   * A {@code before} bound: an instant from the filter, or the {@code next} of the previous page,
   * which also names the last delivery seen, so that a page never skips or repeats deliveries
   * created at the same instant.
   */
  private static void before(DeliveryQuery.Builder query, String s) {
    int at = s.indexOf(CURSOR_SEPARATOR);
    if (at < 0) {
      query.createdBefore(instant("before", s));
      return;
    }
    String id = s.substring(at + 1);
    if (!ID.matcher(id).matches()) {
      throw HttpError.invalid("before is not an instant or the next of a page: " + s);
    }
    query.after(new DeliveryQuery.Cursor(instant("before", s.substring(0, at)), id));
  }

  private static Instant instant(String name, String s) {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw HttpError.invalid(name + " must be an ISO-8601 instant such as 2026-12-03T10:15:30Z: " + s);
    }
  }

  private static int limit(String s) {
    try {
      int n = Integer.parseInt(s);
      if (n >= 1 && n <= MAX_PAGE) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw HttpError.invalid("limit must be from 1 to " + MAX_PAGE + ": " + s);
  }

  // -------------------------------------------------------------------------------------------
  // Helpers

  private static PortalResponse only(String[] parts, int length, String method, String allowed, Supplier<PortalResponse> route) {
    if (parts.length != length) {
      throw HttpError.notFound("api/" + String.join("/", parts));
    }
    if (!method.equals(allowed)) {
      throw notAllowed(method);
    }
    return route.get();
  }

  private static HttpError notAllowed(String method) {
    return new HttpError(405, "method_not_allowed", method + " is not allowed here");
  }

  private static Endpoint.Builder builder(Supplier<Endpoint.Builder> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      throw HttpError.invalid(e.getMessage());
    }
  }

  private static void applying(Runnable setting) {
    try {
      setting.run();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw HttpError.invalid(e.getMessage());
    }
  }

  private static Endpoint build(Endpoint.Builder b) {
    try {
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw HttpError.invalid(e.getMessage());
    }
  }

  private static Endpoint register(Supplier<Endpoint> call) {
    try {
      return call.get();
    } catch (EndpointValidationException e) {
      throw HttpError.invalid(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new HttpError(409, "conflict", e.getMessage());
    }
  }
}
