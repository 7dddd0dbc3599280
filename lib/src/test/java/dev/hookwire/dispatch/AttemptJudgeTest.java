package dev.hookwire.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.store.AttemptOutcome;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.transport.TransportResponse;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The outcome rules, without HTTP: each status and failure, and {@code Retry-After}. */
class AttemptJudgeTest {
  static final Instant NOW = TestEvents.T0;
  static final RetryPolicy THREE = RetryPolicy.of(Duration.ofSeconds(5), Duration.ofMinutes(5)).withJitter(0);

  static TransportResponse response(int status, String... header) {
    Map<String, List<String>> headers =
        header.length == 0 ? Map.of() : Map.of(header[0], List.of(header[1]));
    return new TransportResponse(status, headers, "body");
  }

  static AttemptRecord attempt(int number, TransportResponse response, Throwable error) {
    return AttemptJudge.record("dl_1", "ep_1", "msg_1", number, NOW, Duration.ofMillis(3), response, error);
  }

  static AttemptJudge.Verdict judge(int number, TransportResponse response) {
    return AttemptJudge.judge(attempt(number, response, null), response, THREE, NOW);
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 204, 299})
  void twoHundreds_succeed(int status) {
    AttemptRecord a = attempt(1, response(status), null);
    assertThat(a.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
    assertThat(a.error()).isEmpty();
    assertThat(judge(1, response(status)).next()).isEqualTo(DeliveryState.SUCCEEDED);
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 400, 404, 500, 418})
  void otherStatuses_retryOnTheSchedule_untilTheLastAttempt(int status) {
    AttemptJudge.Verdict first = judge(1, response(status));
    assertThat(first.next()).isEqualTo(DeliveryState.PENDING);
    assertThat(first.nextAt()).isEqualTo(NOW.plusSeconds(5));
    assertThat(judge(2, response(status)).nextAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));

    AttemptJudge.Verdict last = judge(3, response(status));
    assertThat(last.next()).isEqualTo(DeliveryState.DEAD);
    assertThat(last.deadReason()).hasValueSatisfying(r -> assertThat(r).contains("all 3 attempts failed; last: HTTP " + status));
    assertThat(last.gone()).isFalse();
  }

  @Test
  void redirects_areNamedAsNotFollowed() {
    assertThat(attempt(1, response(302), null).error()).contains("HTTP 302 (redirects are not followed)");
  }

  @Test
  void gone_killsTheDeliveryAtOnce_andAsksToDisable() {
    AttemptJudge.Verdict v = judge(1, response(410));
    assertThat(v.next()).isEqualTo(DeliveryState.DEAD);
    assertThat(v.gone()).isTrue();
  }

  @Test
  void timeoutsAndNetworkErrors_areTold_apart_andRetried() {
    AttemptRecord timeout = attempt(1, null, new CompletionException(new SocketTimeoutException("read timed out")));
    assertThat(timeout.outcome()).isEqualTo(AttemptOutcome.TIMEOUT);
    assertThat(timeout.error()).contains("SocketTimeoutException: read timed out");
    AttemptRecord refused = attempt(1, null, new IOException("connection refused"));
    assertThat(refused.outcome()).isEqualTo(AttemptOutcome.NETWORK_ERROR);
    assertThat(AttemptJudge.judge(refused, null, THREE, NOW).next()).isEqualTo(DeliveryState.PENDING);
  }

  @Test
  void longErrorMessages_areCut() {
    AttemptRecord a = attempt(1, null, new IOException("x".repeat(2_000)));
    assertThat(a.error().orElseThrow()).hasSize(500);
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 502, 503, 504})
  void retryAfterInSeconds_replacesTheSchedule_clampedToThePolicy(int status) {
    assertThat(judge(1, response(status, "Retry-After", "42")).nextAt()).isEqualTo(NOW.plusSeconds(42));
    Duration limit = THREE.maxRetryAfter();
    assertThat(judge(1, response(status, "Retry-After", "9999999999")).nextAt()).isEqualTo(NOW.plus(limit));
  }

  @Test
  void retryAfterAsAnHttpDate_countsFromNow_andAPastDateMeansNow() {
    String in2Minutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(120).atOffset(ZoneOffset.UTC));
    assertThat(AttemptJudge.retryAfter(response(503, "Retry-After", in2Minutes), NOW)).contains(Duration.ofSeconds(120));
    String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(120).atOffset(ZoneOffset.UTC));
    assertThat(AttemptJudge.retryAfter(response(503, "Retry-After", past), NOW)).contains(Duration.ZERO);
  }

  @Test
  void retryAfter_isIgnored_onOtherStatuses_andWhenMalformed() {
    assertThat(AttemptJudge.retryAfter(response(500, "Retry-After", "42"), NOW)).isEmpty();
    assertThat(AttemptJudge.retryAfter(response(429, "Retry-After", "soon"), NOW)).isEmpty();
    assertThat(AttemptJudge.retryAfter(response(429, "Retry-After", "-5"), NOW)).isEmpty();
    assertThat(AttemptJudge.retryAfter(response(429, "Retry-After", "٤٢"), NOW)).isEmpty();
    assertThat(AttemptJudge.retryAfter(response(429), NOW)).isEmpty();
    assertThat(AttemptJudge.retryAfter(null, NOW)).isEqualTo(Optional.empty());
    assertThat(judge(1, response(429, "Retry-After", "soon")).nextAt()).isEqualTo(NOW.plusSeconds(5));
  }
}
