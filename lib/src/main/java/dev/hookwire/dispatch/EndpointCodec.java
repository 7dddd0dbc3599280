package dev.hookwire.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookwire.HookwireException;
import dev.hookwire.signature.SignatureScheme;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes endpoints as the JSON documents a store keeps, and reads them back. Payload mappers and
 * custom signature schemes are stored by name and looked up in the dispatcher's registries; a
 * {@link PayloadTemplate} is data, stored whole ({@code payloadTemplate}: its source) and parsed
 * again on reading, so no dispatcher needs it registered.
 */
final class EndpointCodec {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Map<String, PayloadMapper> mappers;
  private final Map<String, SignatureScheme> schemes;

  EndpointCodec(Map<String, PayloadMapper> mappers, Map<String, SignatureScheme> schemes) {
    this.mappers = mappers;
    this.schemes = schemes;
  }

  String write(Endpoint e) {
    return tree(e).toString();
  }

  private ObjectNode tree(Endpoint e) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("v", 1);
    n.put("id", e.id());
    n.put("url", e.url());
    n.put("method", e.method());
    ArrayNode types = n.putArray("eventTypes");
    e.eventTypes().forEach(types::add);
    e.scheme().ifPresent(s -> n.put("scheme", s.name()));
    ArrayNode keys = n.putArray("keys");
    for (SigningKey key : e.keys()) {
      ObjectNode k = keys.addObject();
      k.put("secret", key.secret());
      key.expiresAt().ifPresent(t -> k.put("expiresAt", t.toString()));
    }
    ObjectNode headers = n.putObject("headers");
    e.headers().forEach(headers::put);
    e.authentication()
        .ifPresent(
            a -> {
              ObjectNode auth = n.putObject("auth");
              auth.put("kind", a.kind());
              auth.put("header", a.headerName());
              auth.put("value", a.headerValue());
            });
    e.timeout().ifPresent(t -> n.put("timeoutMs", t.toMillis()));
    e.retryPolicy()
        .ifPresent(
            p -> {
              ObjectNode r = n.putObject("retry");
              ArrayNode delays = r.putArray("delaysMs");
              p.delays().forEach(d -> delays.add(d.toMillis()));
              r.put("jitter", p.jitter());
              r.put("maxRetryAfterMs", p.maxRetryAfter().toMillis());
            });
    e.maxInFlight().ifPresent(m -> n.put("maxInFlight", m));
    if (e.rateLimitPerNode() > 0) {
      n.put("rateLimit", e.rateLimitPerNode());
    }
    n.put("enabled", e.enabled());
    e.disabledReason().ifPresent(r -> n.put("disabledReason", r));
    e.payloadMapper()
        .ifPresent(
            m -> {
              if (m instanceof PayloadTemplate template) {
                n.put("payloadTemplate", template.source());
              } else {
                n.put("payloadMapper", m.name());
              }
            });
    n.put("description", e.description());
    n.put("ownerId", e.ownerId());
    e.verifyOnRegistration().ifPresent(v -> n.put("verifyOnRegistration", v));
    if (e.sendsTraceContext()) {
      n.put("sendTraceContext", true);
    }
    e.registrationStatus().ifPresent(status -> n.put("registrationStatus", status));
    return n;
  }

  /**
   * Whether two endpoints have the same settings, leaving out the control state the dispatcher
   * changes after registration: enabled or disabled, and the signing keys ({@code rotateSecret}).
   */
  boolean sameSettings(Endpoint a, Endpoint b) {
    return settings(a).equals(settings(b));
  }

  private ObjectNode settings(Endpoint e) {
    ObjectNode n = tree(e);
    n.remove(List.of("keys", "enabled", "disabledReason"));
    return n;
  }

  Endpoint read(String json) {
    JsonNode n;
    try {
      n = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new HookwireException("stored endpoint is not valid JSON", e);
    }
    String id = n.path("id").asText();
    Endpoint.Builder b = Endpoint.builder(n.path("url").asText()).id(id);
    b.method(n.path("method").asText("POST"));
    n.path("eventTypes").forEach(t -> b.subscribe(t.asText()));
    if (n.hasNonNull("scheme")) {
      String name = n.get("scheme").asText();
      SignatureScheme scheme = schemes.get(name);
      if (scheme == null) {
        scheme = SignatureScheme.forName(name);
      }
      List<SigningKey> keys = new ArrayList<>();
      for (JsonNode k : n.path("keys")) {
        keys.add(
            new SigningKey(
                k.path("secret").asText(),
                k.hasNonNull("expiresAt")
                    ? Optional.of(Instant.parse(k.get("expiresAt").asText()))
                    : Optional.empty()));
      }
      b.restoreSigning(scheme, keys);
    }
    n.path("headers").properties().forEach(h -> b.header(h.getKey(), h.getValue().asText()));
    if (n.hasNonNull("auth")) {
      JsonNode a = n.get("auth");
      b.authentication(
          Authentication.restore(
              a.path("kind").asText(), a.path("header").asText(), a.path("value").asText()));
    }
    if (n.hasNonNull("timeoutMs")) {
      b.timeout(Duration.ofMillis(n.get("timeoutMs").asLong()));
    }
    if (n.hasNonNull("retry")) {
      JsonNode r = n.get("retry");
      List<Duration> delays = new ArrayList<>();
      r.path("delaysMs").forEach(d -> delays.add(Duration.ofMillis(d.asLong())));
      b.retryPolicy(
          RetryPolicy.of(delays.toArray(new Duration[0]))
              .withJitter(r.path("jitter").asDouble(0.1))
              .withMaxRetryAfter(Duration.ofMillis(r.path("maxRetryAfterMs").asLong(3_600_000))));
    }
    if (n.hasNonNull("maxInFlight")) {
      b.maxInFlight(n.get("maxInFlight").asInt());
    }
    if (n.hasNonNull("rateLimit")) {
      b.rateLimitPerNode(n.get("rateLimit").asDouble());
    }
    if (n.hasNonNull("payloadMapper")) {
      String name = n.get("payloadMapper").asText();
      PayloadMapper mapper = mappers.get(name);
      if (mapper == null) {
        throw new HookwireException(
            "stored endpoint "
                + id
                + " uses payload mapper \""
                + name
                + "\", which this dispatcher does not know: register it with"
                + " Dispatcher.Builder.payloadMapper");
      }
      b.payloadMapper(mapper);
    }
    if (n.hasNonNull("payloadTemplate")) {
      try {
        b.payloadMapper(PayloadTemplate.parse(n.get("payloadTemplate").asText()));
      } catch (PayloadTemplateException e) {
        throw new HookwireException(
            "stored endpoint " + id + " has a payload template that does not parse (" + e.getMessage()
                + "); Dispatcher.update cannot read it either: delete the endpoint and register it"
                + " again with a corrected template",
            e);
      }
    }
    b.description(n.path("description").asText(""));
    b.ownerId(n.path("ownerId").asText(""));
    if (n.hasNonNull("sendTraceContext")) {
      b.sendTraceContext(n.get("sendTraceContext").asBoolean());
    }
    if (n.hasNonNull("verifyOnRegistration")) {
      b.verifyOnRegistration(n.get("verifyOnRegistration").asBoolean());
    }
    if (n.hasNonNull("registrationStatus")) {
      b.registrationStatus(n.get("registrationStatus").asInt());
    }
    if (!n.path("enabled").asBoolean(true)) {
      b.disabled(n.hasNonNull("disabledReason") ? n.get("disabledReason").asText() : null);
    }
    return b.build();
  }
}
