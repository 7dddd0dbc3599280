package dev.hookwire.receive;

import dev.hookwire.event.EventFormatException;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.internal.Encoding;
import dev.hookwire.signature.SignatureVerificationException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link WebhookReceiver#receive} did with one request, and what to answer the sender.
 *
 * <p>An adapter answers with {@link #status()}, the {@link #headers()} and the {@link #body()}
 * text, all safe to show the sender: they never hold a secret, a stack trace or the handler's
 * message. {@link #failure()} holds the detail for the host's own logs.
 *
 * <pre>{@code
 * ReceiveResult result = receiver.receive(requestHeaders, rawBody);
 * result.headers().forEach(response::setHeader);
 * response.setStatus(result.status());
 * response.getWriter().write(result.body());
 * }</pre>
 *
 * <p>Immutable, and thread-safe as long as the event's data is.
 *
 * @param outcome what happened
 * @param webhookId the id the request was de-duplicated by, once known
 * @param event the event, once parsed; its data is of the handler's class if a handler ran
 * @param failure what went wrong, for {@link Outcome}s that are failures: the verification,
 *     format or storage exception, or whatever the handler threw; empty otherwise (and for a
 *     successful handler whose completion the store failed to record, that store failure)
 */
public record ReceiveResult(
    Outcome outcome,
    Optional<String> webhookId,
    Optional<WebhookEvent<?>> event,
    Optional<Throwable> failure) {

  private static final Map<String, String> TEXT =
      Map.of("Content-Type", "text/plain; charset=utf-8");
  private static final Map<String, String> TEXT_RETRY_LATER =
      Map.of("Content-Type", "text/plain; charset=utf-8", "Retry-After", "5");

  /**
   * Checks the components.
   *
   * @param outcome what happened
   * @param webhookId the id the request was de-duplicated by, once known
   * @param event the event, once parsed
   * @param failure what went wrong, if anything
   */
  public ReceiveResult {
    Objects.requireNonNull(outcome, "outcome == null");
    Objects.requireNonNull(webhookId, "webhookId == null");
    Objects.requireNonNull(event, "event == null");
    Objects.requireNonNull(failure, "failure == null");
  }

  /**
   * Returns the HTTP status to answer with: {@link Outcome#status()}.
   *
   * @return the status code
   */
  public int status() {
    return outcome.status();
  }

  /**
   * Returns a short text for the response body, such as {@code processed}, {@code invalid
   * signature: timestamp too old}, or for a malformed event what is wrong with it and where
   * ({@code malformed event: cannot decode event: at data: ...}), so that a sender can fix it;
   * plain ASCII, at most about 500 characters. It holds no secret and nothing of the receiver's.
   *
   * @return the text
   */
  public String body() {
    Throwable e = failure.orElse(null);
    if (outcome == Outcome.INVALID_SIGNATURE && e instanceof SignatureVerificationException invalid) {
      return outcome.text + ": " + invalid.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
    if (outcome == Outcome.MALFORMED && e instanceof EventFormatException malformed) {
      // The codec's messages name a field and a position, never the body's source.
      return outcome.text + ": " + Encoding.printable(String.valueOf(malformed.getMessage()), 480);
    }
    return outcome.text;
  }

  /**
   * Returns {@link #body()} as UTF-8 bytes, for adapters that write bytes.
   *
   * @return the bytes; a new array on each call
   */
  public byte[] bodyBytes() {
    return body().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Returns the response headers to set: {@code Content-Type: text/plain; charset=utf-8}, and
   * {@code Retry-After} (seconds) when the sender should come back shortly.
   *
   * @return header names to values; immutable
   */
  public Map<String, String> headers() {
    return outcome.status() == 503 ? TEXT_RETRY_LATER : TEXT;
  }

  /**
   * What the receiver did with a request. Each outcome has one status: 2xx tells the sender to
   * stop (done, or nothing to do), 4xx that the request itself is wrong, 5xx to retry later.
   */
  public enum Outcome {
    /** Verified, parsed, new; its handler ran and returned. 200. */
    PROCESSED(200, "processed"),
    /** Verified and parsed, but its id was already processed; the handler did not run. 200. */
    DUPLICATE(200, "duplicate: already processed"),
    /**
     * Verified and parsed, but no handler is registered for its type; nothing was recorded. 200,
     * because a sender retrying an event nobody here wants would only waste both sides' time.
     */
    IGNORED(200, "ignored: no handler for this event type"),
    /** The body is not an event, or its data does not fit the handler's class. 400. */
    MALFORMED(400, "malformed event"),
    /**
     * The signature headers are missing or malformed, no signature matches, or the signed
     * timestamp is outside the tolerance (a replay, or a clock far off). 401.
     */
    INVALID_SIGNATURE(401, "invalid signature"),
    /** The body is larger than the receiver's limit; it was not examined. 413. */
    TOO_LARGE(413, "body too large"),
    /** The handler threw; the id was released, so the sender's retry will run it again. 500. */
    HANDLER_FAILED(500, "handler failed"),
    /**
     * Another delivery of the same id is being processed right now. 503 with {@code
     * Retry-After}: that delivery may still fail, so the sender must not take this one as done,
     * and every sender that retries at all retries a 5xx.
     */
    IN_PROGRESS(503, "in progress: another delivery of this webhook is being processed"),
    /** The idempotency store failed; the handler did not run. 503 with {@code Retry-After}. */
    STORE_UNAVAILABLE(503, "temporarily unavailable");

    private final int status;
    private final String text;

    Outcome(int status, String text) {
      this.status = status;
      this.text = text;
    }

    /**
     * Returns the HTTP status for this outcome.
     *
     * @return the status code
     */
    public int status() {
      return status;
    }

    /**
     * Returns whether the sender should take the webhook as delivered (a 2xx status).
     *
     * @return true for {@link #PROCESSED}, {@link #DUPLICATE} and {@link #IGNORED}
     */
    public boolean isSuccess() {
      return status < 300;
    }
  }
}
