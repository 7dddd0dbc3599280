package dev.hookwire.preset;

import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.PayloadMapper;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.receive.PayloadReader;
import dev.hookwire.signature.Verifier;
import java.time.Clock;
import java.util.Objects;

/**
 * Insightarc's webhooks: a signal (a shopper's buying-intent figures) posted as JSON, signed over
 * the body and the URL the webhook was created with.
 *
 * <p>Sending, as Insightarc does:
 *
 * <pre>{@code
 * dispatcher.register(Insightarc.endpoint("https://crm.example.com/hooks/insightarc", secret).build());
 * dispatcher.send(WebhookEvent.create("signal.updated", Map.of("drop_proba", 0.95, "num_events", 10)));
 * }</pre>
 *
 * <p>Receiving, with the URL exactly as it was given to the sender:
 *
 * <pre>{@code
 * Verifier verifier = Insightarc.verifier("https://crm.example.com/hooks/insightarc", secret);
 * verifier.verify(WebhookHeaders.ofMulti(requestHeaders), rawBody);   // throws if not authentic
 * }</pre>
 *
 * <p>What Insightarc documents, and this preset does:
 *
 * <ul>
 *   <li>when the webhook is created, a {@code HEAD} request to the URL must succeed, over a valid
 *       TLS certificate for {@code https}, or the webhook is not created: {@code
 *       dispatcher.register(...)} sends it and throws {@code EndpointValidationException} if it
 *       fails. Like Insightarc, it must answer exactly 200 ({@code registrationStatus(200)});
 *   <li>each signal is a {@code POST} whose body is the signal's JSON itself, with no envelope
 *       (see {@link #payload()});
 *   <li>{@code x-insightarc-signature} holds the base64 HMAC-SHA1 of the raw body followed by the
 *       URL exactly as registered, keyed with the secret's text ({@link
 *       SignatureScheme#insightarc()}). Any change to the URL (a trailing slash, the case of the
 *       host, a query) makes every signature fail, so the verifier must be given the very text
 *       the sender was.
 * </ul>
 *
 * <p>Insightarc documents no retry schedule or timeout, so the dispatcher's defaults apply.
 * Insightarc's own sample check re-serialises the parsed body; Hookwire's verifier works on the
 * raw bytes, which is what was signed. The signature covers no timestamp or id, so it cannot
 * reveal a replayed request.
 *
 * <p>Thread-safe: the factories keep no state, and what they return is documented on its type.
 */
public final class Insightarc {
  /** The event type {@link #reader()} gives a signal. */
  public static final String SIGNAL_TYPE = "insightarc.signal";

  private static final PayloadMapper PAYLOAD = new SignalBody();

  private Insightarc() {}

  /**
   * Starts an endpoint that receives signals as Insightarc sends them: the body made by {@link
   * #payload()}, signed with {@code secret} over the body and {@code url}, and checked with a
   * {@code HEAD} request when registered. It is subscribed to every event type until the builder
   * says otherwise; the builder can change any setting before {@code build()}.
   *
   * @param url the receiver's URL, an absolute http or https URL; signed byte for byte as given
   * @param secret the webhook secret; its UTF-8 bytes are the HMAC key
   * @return a builder holding the preset's settings
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code url} is not an absolute http(s) URL, or {@code
   *     secret} is blank; the message names the argument, never its value
   */
  public static Endpoint.Builder endpoint(String url, String secret) {
    return Args.signedEndpoint(url, SignatureScheme.insightarc(), secret, "secret")
        .payloadMapper(PAYLOAD)
        .registrationStatus(200);
  }

  /**
   * Returns a verifier of {@code x-insightarc-signature} for the endpoint at {@code url} that
   * accepts a request signed with any of the given secrets (several while a secret is being
   * replaced). It compares in constant time and refuses bodies over 5 MiB; for other limits use
   * {@code Verifier.builder(SignatureScheme.insightarc()).url(url)}.
   *
   * @param url this endpoint's URL exactly as it was registered with the sender
   * @param secrets one or more webhook secrets
   * @return an immutable, thread-safe verifier
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code url} is not an absolute http(s) URL, no secret is
   *     given or one is blank
   */
  public static Verifier verifier(String url, String... secrets) {
    return Args.verifier(SignatureScheme.insightarc(), Args.url(url, "url"), secrets, "secrets");
  }

  /**
   * Returns the mapper that sends an event's data alone, as Insightarc sends a signal: the JSON
   * of {@code event.data()} written by the dispatcher's codec, without the envelope's id, type
   * and timestamp. Register it with {@code Dispatcher.Builder.payloadMapper(...)} when endpoints
   * are loaded from a durable store. Thread-safe.
   *
   * @return the mapper, named {@code preset:insightarc}
   */
  public static PayloadMapper payload() {
    return PAYLOAD;
  }

  /**
   * Returns the reader that turns an Insightarc signal into an event for a {@code
   * WebhookReceiver}: type {@link #SIGNAL_TYPE}, the signal's JSON object as its data (a handler
   * registered with its own class gets it read as that class), timestamped when received by the
   * system clock. The body carries no id, so the event's id is {@code ia_} and a hash of the body.
   *
   * <pre>{@code
   * WebhookReceiver receiver = WebhookReceiver.builder()
   *     .verifier(Insightarc.verifier(registeredUrl, secret))
   *     .payloadReader(Insightarc.reader())
   *     .on(Insightarc.SIGNAL_TYPE, ShopperSignal.class, event -> signals.save(event.data()))
   *     .build();
   * }</pre>
   *
   * @return the reader; thread-safe
   */
  public static PayloadReader reader() {
    return reader(Clock.systemUTC());
  }

  /**
   * Returns the reader of {@link #reader()}, timestamping signals by the given clock.
   *
   * @param clock the clock, the receiver's
   * @return the reader; thread-safe
   */
  public static PayloadReader reader(Clock clock) {
    Objects.requireNonNull(clock, "clock == null");
    return (body, codec) ->
        new WebhookEvent<>(
            Mapping.bodyId("ia_", body), SIGNAL_TYPE, clock.instant(), Mapping.object(body, codec, "Insightarc"));
  }

  /** The event's data, without the envelope. */
  private static final class SignalBody extends Mapping.NamedMapper {
    SignalBody() {
      super("preset:insightarc");
    }

    @Override
    public byte[] map(WebhookEvent<?> event, EventCodec codec) {
      return codec.encodeData(event.data());
    }
  }
}
