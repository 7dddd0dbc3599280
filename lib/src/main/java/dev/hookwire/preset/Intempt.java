package dev.hookwire.preset;

import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.PayloadMapper;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.EventFormatException;
import dev.hookwire.event.WebhookEvent;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Webhook destinations as Intempt's journeys configure them: a URL called with {@code POST},
 * {@code PUT} or {@code DELETE}, Basic or token authentication, custom properties added to the
 * JSON body and custom headers.
 *
 * <pre>{@code
 * dispatcher.register(Intempt.endpoint("https://crm.example.com/api/contacts", "PUT")
 *     .authentication(Authentication.basic("hookwire", password))    // or .bearer(token)
 *     .payloadMapper(Intempt.customPayload(Map.of("source", "hookwire", "list", "newsletter")))
 *     .header("X-Tenant", "acme")
 *     .build());
 * }</pre>
 *
 * <p>What Intempt documents, and how it maps here:
 *
 * <ul>
 *   <li>the request type, one of {@code POST}, {@code PUT} and {@code DELETE}: the {@code method}
 *       argument of {@link #endpoint};
 *   <li>Basic authentication with a user name and password: {@code
 *       Authentication.basic(user, password)}; token authentication with a token or API key:
 *       {@code Authentication.bearer(token)}, or {@code Authentication.apiKey(header, key)} for a
 *       key in a header of the destination's choosing;
 *   <li>a JSON body with the event's own information plus custom properties: the event envelope
 *       with the properties of {@link #customPayload} added to it;
 *   <li>custom headers: {@code .header(name, value)} on the builder.
 * </ul>
 *
 * <p>Intempt documents no signature, retry schedule or timeout: requests are unsigned (the
 * destination authenticates them by their credentials, so there is no verifier here), and the
 * dispatcher's retry schedule and timeout apply. Registration sends no {@code HEAD} request,
 * since destinations are third-party APIs that need not answer one.
 *
 * <p>Thread-safe: the factories keep no state, and what they return is documented on its type.
 */
public final class Intempt {
  /** The envelope's own fields, which custom properties may not replace. */
  private static final Set<String> ENVELOPE_FIELDS = Set.of("id", "type", "timestamp", "data");

  private Intempt() {}

  /**
   * Starts an unsigned endpoint called with {@code method}, checked by no {@code HEAD} request
   * and subscribed to every event type until the builder says otherwise. Add credentials, custom
   * properties and headers on the builder.
   *
   * @param url the destination's URL, an absolute http or https URL
   * @param method {@code POST}, {@code PUT} or {@code DELETE}, in any case
   * @return a builder holding the preset's settings
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code url} is not an absolute http(s) URL or {@code
   *     method} is another method; the message names the argument
   */
  public static Endpoint.Builder endpoint(String url, String method) {
    Endpoint.Builder builder = Endpoint.builder(Args.url(url, "url"));
    Objects.requireNonNull(method, "method == null");
    return Args.naming("method", () -> builder.method(method))
        .unsigned()
        .verifyOnRegistration(false);
  }

  /**
   * Returns a mapper that sends the event envelope with {@code properties} added to it, after
   * its own fields:
   *
   * <pre>{@code
   * {"id":"msg_...","type":"experience.started","timestamp":"...","data":{...},
   *  "source":"hookwire","list":"newsletter"}
   * }</pre>
   *
   * <p>The properties are copied and written once, here, so a value that cannot be JSON fails
   * at this call. Mappers with equal properties share a name ({@code preset:intempt:} and a
   * digest of the properties), so endpoints with the same properties share one body per event,
   * and a dispatcher loading stored endpoints knows the mapper once it is given the same
   * properties again ({@code Dispatcher.Builder.payloadMapper(...)}). Thread-safe.
   *
   * @param properties names to JSON-like values (strings, numbers, booleans, maps, lists, null),
   *     in the order they are to be written
   * @return the mapper
   * @throws NullPointerException if {@code properties} or one of its names is null
   * @throws IllegalArgumentException if a name is one of the envelope's ({@code id}, {@code
   *     type}, {@code timestamp}, {@code data}), or a value cannot be written as JSON
   */
  public static PayloadMapper customPayload(Map<String, ?> properties) {
    Objects.requireNonNull(properties, "properties == null");
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, ?> property : properties.entrySet()) {
      String name = Objects.requireNonNull(property.getKey(), "properties holds a null name");
      if (ENVELOPE_FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            "properties may not hold \"" + name + "\": it is a field of the event envelope"
                + " (id, type, timestamp, data)");
      }
      copy.put(name, property.getValue());
    }
    byte[] json;
    try {
      json = EventCodec.ofDefaults().encodeData(Collections.unmodifiableMap(copy));
    } catch (EventFormatException e) {
      throw new IllegalArgumentException(
          "properties cannot be written as JSON: " + e.getMessage(), e);
    }
    return new MergedProperties(json, copy.size());
  }

  /** The envelope as the codec writes it, with pre-written properties spliced in at its end. */
  private static final class MergedProperties extends Mapping.NamedMapper {
    private final byte[] properties;
    private final int count;

    MergedProperties(byte[] properties, int count) {
      super("preset:intempt:" + digest(properties));
      this.properties = properties;
      this.count = count;
    }

    @Override
    public byte[] map(WebhookEvent<?> event, EventCodec codec) {
      byte[] envelope = codec.encode(event);
      if (properties.length <= 2) {
        return envelope; // {}
      }
      // Both are JSON objects written compactly by the codec: "{...}" + "{...}" -> "{..., ...}".
      byte[] merged = Arrays.copyOf(envelope, envelope.length + properties.length - 1);
      merged[envelope.length - 1] = ',';
      System.arraycopy(properties, 1, merged, envelope.length, properties.length - 1);
      return merged;
    }

    private static String digest(byte[] bytes) {
      try {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
        return HexFormat.of().formatHex(hash, 0, 8);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from this JVM", e);
      }
    }

    @Override
    public String toString() {
      // Property values may be personal data: count them, never show them.
      return "PayloadMapper[" + name() + ", " + count + " custom properties]";
    }
  }
}
