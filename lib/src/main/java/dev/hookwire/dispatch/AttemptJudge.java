package dev.hookwire.dispatch;

import dev.hookwire.store.AttemptOutcome;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.transport.Transport;
import dev.hookwire.transport.TransportResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The rules that turn an HTTP outcome into an attempt record and the delivery's next state: 2xx
 * succeeds; 410 kills the delivery and disables the endpoint; 429, 502, 503 and 504 wait as long
 * as {@code Retry-After} asks (up to the policy's limit); everything else is retried on the
 * policy's schedule until the last attempt. Pure functions of their arguments: no I/O, no clock.
 */
final class AttemptJudge {
  private static final int MAX_ERROR_LENGTH = 500;

  private AttemptJudge() {}

  /**
   * What follows an attempt.
   *
   * @param next the delivery's next state
   * @param nextAt when it is due next (for {@link DeliveryState#PENDING}), or the time judged
   * @param deadReason why it is dead, for {@link DeliveryState#DEAD}
   * @param gone whether the endpoint answered 410 Gone and must be disabled
   */
  record Verdict(DeliveryState next, Instant nextAt, Optional<String> deadReason, boolean gone) {}

  /** Judges an attempt whose response (null if none) was judged at {@code now}. */
  static Verdict judge(AttemptRecord attempt, TransportResponse response, RetryPolicy policy, Instant now) {
    if (attempt.succeeded()) {
      return new Verdict(DeliveryState.SUCCEEDED, now, Optional.empty(), false);
    }
    if (attempt.status() == 410) {
      return new Verdict(DeliveryState.DEAD, now, Optional.of("endpoint answered 410 Gone"), true);
    }
    Optional<Duration> delay = policy.delayBefore(attempt.attemptNumber() + 1);
    if (delay.isEmpty()) {
      String reason =
          "all " + policy.maxAttempts() + " attempts failed; last: " + attempt.error().orElse("?");
      return new Verdict(DeliveryState.DEAD, now, Optional.of(reason), false);
    }
    Duration wait = delay.get();
    Optional<Duration> retryAfter = retryAfter(response, now);
    if (retryAfter.isPresent()) {
      wait = min(retryAfter.get(), policy.maxRetryAfter());
    }
    return new Verdict(DeliveryState.PENDING, now.plus(wait), Optional.empty(), false);
  }

  /** The record of one attempt, from its response or its failure. */
  static AttemptRecord record(
      String deliveryId,
      String endpointId,
      String eventId,
      int number,
      Instant startedAt,
      Duration latency,
      TransportResponse response,
      Throwable error) {
    if (error != null) {
      Throwable cause = unwrap(error);
      AttemptOutcome outcome =
          Transport.isTimeout(cause)
              ? AttemptOutcome.TIMEOUT
              : Transport.isRefused(error) ? AttemptOutcome.REFUSED : AttemptOutcome.NETWORK_ERROR;
      return new AttemptRecord(
          deliveryId, endpointId, eventId, number, startedAt, latency, outcome, 0,
          Optional.of(describe(cause)), "");
    }
    int status = response.status();
    boolean ok = status >= 200 && status <= 299;
    Optional<String> failure =
        ok
            ? Optional.empty()
            : Optional.of("HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : ""));
    return new AttemptRecord(
        deliveryId, endpointId, eventId, number, startedAt, latency,
        ok ? AttemptOutcome.SUCCEEDED : AttemptOutcome.HTTP_ERROR, status, failure,
        response.bodySnippet());
  }

  /** The delay a 429, 502, 503 or 504 response asks for, as seconds or an HTTP date. */
  static Optional<Duration> retryAfter(TransportResponse response, Instant now) {
    if (response == null || !asksToWait(response.status())) {
      return Optional.empty();
    }
    Optional<String> header = response.header("Retry-After");
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String value = header.get().trim();
    if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      if (value.length() > 9) {
        return Optional.of(Duration.ofSeconds(999_999_999L));
      }
      return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static boolean asksToWait(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    String text = t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
  }

  static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
