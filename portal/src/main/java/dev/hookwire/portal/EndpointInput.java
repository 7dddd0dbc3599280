package dev.hookwire.portal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookwire.dispatch.Authentication;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a POST or PUT of an endpoint says, checked field by field. */
record EndpointInput(
    String url, String method, String description, List<String> eventTypes,
    Map<String, String> headers, Optional<Authentication> authentication,
    boolean keepAuthentication, Optional<String> template) {

  static EndpointInput read(JsonNode body, boolean editing) {
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!List.of("url", "method", "description", "eventTypes", "headers", "authentication", "template").contains(name)) {
        throw HttpError.invalid("unknown field " + name);
      }
    }
    String url = Api.text(body, "url").filter(s -> !s.isBlank()).orElseThrow(() -> HttpError.invalid("url is required"));
    String method = Api.text(body, "method").orElse("POST");
    String description = Api.text(body, "description").orElse("");
    if (description.length() > Api.MAX_DESCRIPTION) {
      throw HttpError.invalid("description is over " + Api.MAX_DESCRIPTION + " characters");
    }
    List<String> types = new ArrayList<>();
    JsonNode t = body.get("eventTypes");
    if (t != null && !t.isNull()) {
      if (!t.isArray()) {
        throw HttpError.invalid("eventTypes must be an array of strings");
      }
      for (JsonNode type : t) {
        if (!type.isTextual()) {
          throw HttpError.invalid("eventTypes must be an array of strings");
        }
        types.add(type.asText());
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    JsonNode h = body.get("headers");
    if (h != null && !h.isNull()) {
      if (!h.isObject()) {
        throw HttpError.invalid("headers must be an object of names to string values");
      }
      h.properties().forEach(entry -> {
        if (!entry.getValue().isTextual()) {
          throw HttpError.invalid("header " + entry.getKey() + " must have a string value");
        }
        headers.put(entry.getKey(), entry.getValue().asText());
      });
    }
    Optional<Authentication> auth = Optional.empty();
    boolean keep = false;
    JsonNode a = body.get("authentication");
    if (a != null && !a.isNull()) {
      if (!a.isObject()) {
        throw HttpError.invalid("authentication must be an object with a kind");
      }
      String kind = Api.text(a, "kind").orElseThrow(() -> HttpError.invalid("authentication.kind is required"));
      try {
        switch (kind) {
          case "keep" -> {
            if (!editing) {
              throw HttpError.invalid("authentication kind keep is only for an edit");
            }
            keep = true;
          }
          case "basic" -> auth = Optional.of(Authentication.basic(
              required(a, "username"), required(a, "password")));
          case "bearer" -> auth = Optional.of(Authentication.bearer(required(a, "token")));
          case "apiKey" -> auth = Optional.of(Authentication.apiKey(required(a, "header"), required(a, "value")));
          default -> throw HttpError.invalid("authentication.kind must be basic, bearer, apiKey or keep: " + kind);
        }
      } catch (IllegalArgumentException e) {
        throw HttpError.invalid("authentication: " + e.getMessage());
      }
    }
    Optional<String> template = Api.text(body, "template").filter(s -> !s.isBlank());
    return new EndpointInput(url, method, description, List.copyOf(types), headers, auth, keep, template);
  }

  private static String required(JsonNode auth, String field) {
    return Api.text(auth, field).orElseThrow(() -> HttpError.invalid("authentication." + field + " is required"));
  }
}
