package dev.hookwire.receive;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hookwire.preset.Intelligems;
import dev.hookwire.receive.ReceiveResult.Outcome;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.Signer;
import dev.hookwire.signature.WebhookHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fuzz test of the receiver's contract for any body a genuine sender signed: {@code receive}
 * returns a result and never throws, the status matches the outcome, the handler runs at most
 * once for a webhook id however often it is delivered, and a body the handler accepted is
 * processed, then a duplicate.
 *
 * <p>Without {@code JAZZER_FUZZ} each target runs once per file in {@code
 * ReceiverFuzzTestInputs/<target>}. To fuzz:
 *
 * <pre>
 * JAZZER_FUZZ=1 JAZZER_MAX_DURATION=5m mvn -pl lib test -Dtest='ReceiverFuzzTest'
 * </pre>
 */
class ReceiverFuzzTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);
  private static final String KEY = "whsec_6wNWXD/yGPOskc8FgsSZ4+zQyxhLLa+6EYxRfGPXx/M=";
  private static final String TEXT_KEY = "It's a Secret to Everybody";
  private static final Signer STANDARD = SignatureScheme.standardWebhooks().signer(KEY);
  private static final Signer INTELLIGEMS = SignatureScheme.intelligems().signer(TEXT_KEY);
  private static final Set<Outcome> ANSWERS_TO_SIGNED_BODIES =
      EnumSet.of(Outcome.PROCESSED, Outcome.IGNORED, Outcome.MALFORMED);

  @FuzzTest
  void anyBody(byte[] body) {
    AtomicInteger runs = new AtomicInteger();
    WebhookReceiver envelopes =
        WebhookReceiver.builder()
            .verifier(SignatureScheme.standardWebhooks(), KEY)
            .clock(CLOCK)
            .onExperience(event -> runs.incrementAndGet())
            .onGoal(event -> runs.incrementAndGet())
            .build();
    check(envelopes, STANDARD.sign("msg_fuzz", CLOCK.instant(), body), body, runs);

    AtomicInteger columns = new AtomicInteger();
    WebhookReceiver intelligems =
        WebhookReceiver.builder()
            .verifier(Intelligems.verifier(TEXT_KEY))
            .payloadReader(Intelligems.reader())
            .clock(CLOCK)
            .onExperience(event -> columns.incrementAndGet())
            .build();
    check(intelligems, INTELLIGEMS.sign("unused", CLOCK.instant(), body), body, columns);
  }

  private static void check(
      WebhookReceiver receiver, Map<String, String> headers, byte[] body, AtomicInteger runs) {
    ReceiveResult first = receiver.receive(WebhookHeaders.of(headers), body);
    assertThat(first.outcome()).isIn(ANSWERS_TO_SIGNED_BODIES);
    assertThat(first.status()).isEqualTo(first.outcome() == Outcome.MALFORMED ? 400 : 200);
    assertThat(first.body()).doesNotContain(TEXT_KEY).doesNotContain(KEY);
    assertThat(first.body().getBytes(StandardCharsets.UTF_8).length).isLessThan(1_000);

    ReceiveResult second = receiver.receive(WebhookHeaders.of(headers), body);
    if (first.outcome() == Outcome.PROCESSED) {
      assertThat(runs.get()).isEqualTo(1);
      assertThat(second.outcome()).isEqualTo(Outcome.DUPLICATE);
    } else {
      assertThat(second.outcome()).isEqualTo(first.outcome());
    }
    assertThat(runs.get()).isLessThanOrEqualTo(1);
  }
}
