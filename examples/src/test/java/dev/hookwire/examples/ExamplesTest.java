package dev.hookwire.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The README's example commands, run in process: each program does what the README says it
 * prints. Each starts its servers on loopback and stops them.
 */
class ExamplesTest {
  /** What a program prints on standard output. */
  private static String run(ThrowingMain main) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(original);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    original.print(text);
    return text;
  }

  @FunctionalInterface
  private interface ThrowingMain {
    void run() throws Exception;
  }

  @Test
  void quickstart_verifiesRefusesAndDeliversThroughAFlakyReceiver() throws Exception {
    String out = run(() -> Quickstart.main(new String[0]));

    assertThat(out).contains("verified: id msg_", "tampered body: rejected, NO_MATCHING_SIGNATURE",
        "replayed an hour late: rejected, TIMESTAMP_TOO_OLD");
    assertThat(out.split("SUCCEEDED 200", -1)).hasSize(4);
  }

  @Test
  void eachReceivingAdapter_answersProcessedDuplicateAndRefused() throws Exception {
    for (ThrowingMain main : new ThrowingMain[] {
        () -> ReceiveWithJdkServer.main(new String[0]),
        () -> ReceiveWithServlet.main(new String[0]),
        () -> ReceiveWithSpringBoot.main(new String[0])}) {
      String out = run(main);

      assertThat(out).contains("200 processed", "200 duplicate", "401 invalid signature");
    }
  }

  @Test
  void eachPreset_deliversWhatItsReceiverAccepts() throws Exception {
    for (ThrowingMain main : new ThrowingMain[] {
        () -> PresetStandardWebhooks.main(new String[0]),
        () -> PresetIntelligems.main(new String[0]),
        () -> PresetAbsmartly.main(new String[0]),
        () -> PresetInsightarc.main(new String[0]),
        () -> PresetIntempt.main(new String[0])}) {
      String out = run(main);

      assertThat(out).contains("arrived, every one accepted.");
    }
  }
}
