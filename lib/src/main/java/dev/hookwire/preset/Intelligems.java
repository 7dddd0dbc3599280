package dev.hookwire.preset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.PayloadMapper;
import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.EventFormatException;
import dev.hookwire.event.ExperienceAction;
import dev.hookwire.event.ExperienceEvent;
import dev.hookwire.event.ExperienceType;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.receive.PayloadReader;
import dev.hookwire.signature.Verifier;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Intelligems's webhooks: experience lifecycle events (created, started, paused, ended, updated,
 * deleted), signed in {@code X-Intelligems-Signature}.
 *
 * <p>Sending, as Intelligems does:
 *
 * <pre>{@code
 * dispatcher.register(Intelligems.endpoint("https://hooks.example.com/intelligems", secret).build());
 * dispatcher.send(experienceEvent.toEvent());
 * }</pre>
 *
 * <p>Receiving what Intelligems (or such an endpoint) sends:
 *
 * <pre>{@code
 * Verifier verifier = Intelligems.verifier(secret);
 * verifier.verify(WebhookHeaders.ofMulti(requestHeaders), rawBody);   // throws if not authentic
 * }</pre>
 *
 * <p>What Intelligems documents, and this preset does:
 *
 * <ul>
 *   <li>each event is a {@code POST} of JSON whose fields are the columns Intelligems lists for
 *       an experience event, in its order and under its names (see {@link #payload()});
 *   <li>{@code X-Intelligems-Signature} holds the hexadecimal HMAC-SHA256 of the raw body, keyed
 *       with the secret's text ({@link SignatureScheme#intelligems()});
 *   <li>a 2xx answer is a success; every request may take up to 10 seconds; a delivery gets at
 *       most 5 attempts in all. Intelligems does not say how far apart they are: here they follow
 *       the start of the Standard Webhooks schedule, at once, then after 5 s, 5 min, 30 min and
 *       2 h (with 10% jitter).
 * </ul>
 *
 * <p>The signature covers the body only, with no timestamp or id, so a verifier cannot tell a
 * replayed request from a new one; the body's own {@code timestamp} says when the action
 * happened.
 *
 * <p>Thread-safe: the factories keep no state, and what they return is documented on its type.
 */
public final class Intelligems {
  /** Attempts in all, per Intelligems's documentation. */
  static final int MAX_ATTEMPTS = 5;

  /** Request timeout, per Intelligems's documentation. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final RetryPolicy RETRY_POLICY = Mapping.firstAttemptsOfStandardSchedule(MAX_ATTEMPTS);

  private static final PayloadMapper PAYLOAD = new ExperienceColumns();

  private Intelligems() {}

  /**
   * Starts an endpoint that receives experience events as Intelligems sends them: subscribed to
   * {@code experience.*}, the body made by {@link #payload()}, signed with {@code secret}, a 10 s
   * timeout and 5 attempts in all. The builder can change any of it before {@code build()}.
   *
   * @param url the receiver's URL, an absolute http or https URL
   * @param secret the shared secret; its UTF-8 bytes are the HMAC key
   * @return a builder holding the preset's settings
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code url} is not an absolute http(s) URL, or {@code
   *     secret} is blank; the message names the argument, never its value
   */
  public static Endpoint.Builder endpoint(String url, String secret) {
    return Args.signedEndpoint(url, SignatureScheme.intelligems(), secret, "secret")
        .subscribe("experience.*")
        .payloadMapper(PAYLOAD)
        .timeout(TIMEOUT)
        .retryPolicy(RETRY_POLICY);
  }

  /**
   * Returns a verifier of {@code X-Intelligems-Signature} that accepts a request signed with any
   * of the given secrets (several while a secret is being replaced). It compares in constant
   * time and refuses bodies over 5 MiB; for other limits use {@code
   * Verifier.builder(SignatureScheme.intelligems())}.
   *
   * @param secrets one or more shared secrets
   * @return an immutable, thread-safe verifier
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if no secret is given or one is blank
   */
  public static Verifier verifier(String... secrets) {
    return Args.verifier(SignatureScheme.intelligems(), null, secrets, "secrets");
  }

  /**
   * Returns the mapper that writes an experience event as Intelligems's payload: a JSON object
   * with the six columns Intelligems documents for an experience event, in its order:
   *
   * <pre>{@code
   * {"experienceName":"Free shipping over $50","actionType":"started","experienceType":"shipping",
   *  "timestamp":"2024-05-01T11:59:58.500Z","experienceId":"exp_8f2c41",
   *  "triggeredByEmail":"ana@example.com"}
   * }</pre>
   *
   * <p>{@code actionType} is the action's name in lower case, {@code timestamp} when the action
   * happened in ISO-8601 UTC, and {@code triggeredByEmail} is {@code null} when the system, not a
   * person, triggered the action (the field is always present, so that a receiver mapping
   * columns finds every one). The envelope's id and type are not sent.
   *
   * <p>The event's data must be an {@link ExperienceEvent}, or a map or JSON tree that reads as
   * one; anything else fails the {@code send} with an {@link IllegalArgumentException}.
   * Register it with {@code Dispatcher.Builder.payloadMapper(...)} when endpoints are loaded from
   * a durable store. Thread-safe.
   *
   * @return the mapper, named {@code preset:intelligems}
   */
  public static PayloadMapper payload() {
    return PAYLOAD;
  }

  /**
   * Returns the reader that turns an Intelligems body back into an experience event, for a
   * {@code WebhookReceiver}: the six columns become an {@link ExperienceEvent} of type {@code
   * experience.<actionType>}, timestamped by the body's {@code timestamp}. The body carries no id,
   * so the event's id is {@code ig_} and a hash of the body: a redelivered request is known as a
   * duplicate.
   *
   * <pre>{@code
   * WebhookReceiver receiver = WebhookReceiver.builder()
   *     .verifier(Intelligems.verifier(secret))
   *     .payloadReader(Intelligems.reader())
   *     .onExperience(event -> experiments.record(event.data()))
   *     .build();
   * }</pre>
   *
   * @return the reader; thread-safe
   */
  public static PayloadReader reader() {
    return READER;
  }

  private static final PayloadReader READER = Intelligems::read;

  private static WebhookEvent<ExperienceEvent> read(byte[] body, EventCodec codec) {
    String system = "Intelligems";
    JsonNode columns = Mapping.object(body, codec, system);
    ExperienceAction action;
    Instant timestamp;
    try {
      action = ExperienceAction.fromEventType("experience." + Mapping.text(columns, "actionType", system));
      timestamp = Instant.parse(Mapping.text(columns, "timestamp", system));
    } catch (IllegalArgumentException | DateTimeException e) {
      throw new EventFormatException(system + " body: " + e.getMessage(), e);
    }
    JsonNode email = columns.get("triggeredByEmail");
    ExperienceEvent.Builder experience =
        ExperienceEvent.builder()
            .experienceId(Mapping.text(columns, "experienceId", system))
            .name(Mapping.text(columns, "experienceName", system))
            .experienceType(ExperienceType.of(Mapping.text(columns, "experienceType", system)))
            .action(action)
            .timestamp(timestamp);
    if (email != null && email.isTextual()) {
      experience.triggeredBy(email.asText());
    } else {
      experience.triggeredBySystem();
    }
    try {
      return new WebhookEvent<>(
          Mapping.bodyId("ig_", body), action.eventType(), timestamp, experience.build());
    } catch (IllegalArgumentException e) {
      throw new EventFormatException(system + " body: " + e.getMessage(), e);
    }
  }

  /** The six experience columns, in Intelligems's order and under its names. */
  private static final class ExperienceColumns extends Mapping.NamedMapper {
    ExperienceColumns() {
      super("preset:intelligems");
    }

    @Override
    public byte[] map(WebhookEvent<?> event, EventCodec codec) {
      ExperienceEvent experience = Mapping.data(event, codec, ExperienceEvent.class, "Intelligems");
      Map<String, Object> columns = new LinkedHashMap<>();
      columns.put("experienceName", experience.name());
      columns.put("actionType", experience.action());
      columns.put("experienceType", experience.experienceType().value());
      columns.put("timestamp", experience.timestamp());
      columns.put("experienceId", experience.experienceId());
      columns.put("triggeredByEmail", experience.triggeredBy());
      return codec.encodeData(columns);
    }
  }
}
