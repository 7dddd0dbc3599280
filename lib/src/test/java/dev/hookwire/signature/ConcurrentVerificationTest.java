package dev.hookwire.signature;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Signers and verifiers keep a MAC per thread; shared between threads they must give every
 * thread the right answer for its own request.
 */
class ConcurrentVerificationTest {

  @Test
  void oneVerifierSharedByManyThreads_acceptsGoodAndRejectsBadRequests() throws Exception {
    Instant now = Instant.ofEpochSecond(1_700_000_000L);
    String secret = Secrets.newStandardSecret();
    Signer signer = SignatureScheme.standardWebhooks().signer(secret);
    Verifier verifier =
        Verifier.builder(SignatureScheme.standardWebhooks())
            .key(Secrets.newStandardSecret())
            .key(secret)
            .clock(Clock.fixed(now, ZoneOffset.UTC))
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<int[]>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  int accepted = 0;
                  int rejected = 0;
                  for (int i = 0; i < 2_000; i++) {
                    byte[] body = ("{\"thread\":" + thread + ",\"i\":" + i + "}").getBytes(UTF_8);
                    Map<String, String> headers = signer.sign("msg_" + thread + "_" + i, now, body);
                    byte[] verified = i % 2 == 0 ? body : ("{\"i\":" + i + "}").getBytes(UTF_8);
                    try {
                      assertThat(verifier.verify(headers, verified).keyIndex()).isEqualTo(1);
                      accepted++;
                    } catch (SignatureVerificationException e) {
                      rejected++;
                    }
                  }
                  return new int[] {accepted, rejected};
                }));
      }
      for (Future<int[]> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).containsExactly(1_000, 1_000);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
