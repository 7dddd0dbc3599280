package dev.hookwire.portal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookwire.dispatch.Authentication;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.PayloadTemplate;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryRecord;

/**
 * The JSON the API answers with. What an endpoint holds in secret (its signing keys, the value of
 * its credentials) is never written here; {@code api/endpoints/{id}/secret} reveals the signing
 * secret on request.
 */
final class Views {
  private Views() {}

  static ObjectNode endpoint(Endpoint e) {
    ObjectNode n = Responses.JSON.createObjectNode();
    n.put("id", e.id());
    n.put("url", e.url());
    n.put("method", e.method());
    n.put("description", e.description());
    ArrayNode types = n.putArray("eventTypes");
    e.eventTypes().forEach(types::add);
    ObjectNode headers = n.putObject("headers");
    e.headers().forEach(headers::put);
    if (e.authentication().isPresent()) {
      n.set("authentication", authentication(e.authentication().get()));
    } else {
      n.putNull("authentication");
    }
    n.put("template", e.payloadTemplate().map(PayloadTemplate::source).orElse(null));
    if (e.payloadTemplate().isEmpty()) {
      e.payloadMapper().ifPresent(m -> n.put("payloadMapper", m.name()));
    }
    n.put("enabled", e.enabled());
    n.put("disabledReason", e.disabledReason().orElse(null));
    n.put("signed", e.scheme().isPresent());
    n.put("scheme", e.scheme().map(SignatureScheme::name).orElse(null));
    return n;
  }

  private static ObjectNode authentication(Authentication a) {
    ObjectNode n = Responses.JSON.createObjectNode();
    switch (a.kind()) {
      case "basic" -> {
        n.put("kind", "basic");
        n.put("username", a.basicUser().orElse(""));
      }
      case "bearer" -> n.put("kind", "bearer");
      default -> {
        n.put("kind", "apiKey");
        n.put("header", a.headerName());
      }
    }
    return n;
  }

  static ObjectNode delivery(DeliveryRecord d) {
    ObjectNode n = Responses.JSON.createObjectNode();
    n.put("id", d.deliveryId());
    n.put("eventId", d.eventId());
    n.put("eventType", d.eventType());
    n.put("state", d.state().name());
    n.put("attempts", d.attempts());
    n.put("createdAt", d.createdAt().toString());
    n.put("nextAttemptAt", d.nextAttemptAt().toString());
    n.put("updatedAt", d.updatedAt().toString());
    if (d.lastAttempt().isPresent()) {
      n.set("lastAttempt", attempt(d.lastAttempt().get()));
    } else {
      n.putNull("lastAttempt");
    }
    return n;
  }

  static ObjectNode attempt(AttemptRecord a) {
    ObjectNode n = Responses.JSON.createObjectNode();
    n.put("attemptNumber", a.attemptNumber());
    n.put("startedAt", a.startedAt().toString());
    n.put("latencyMs", a.latency().toMillis());
    n.put("outcome", a.outcome().name());
    n.put("status", a.status());
    n.put("error", a.error().orElse(null));
    n.put("responseSnippet", a.responseSnippet());
    return n;
  }
}
