// Run: mvn -B -q -pl examples -am compile exec:java -Dexec.mainClass=dev.hookwire.examples.PresetIntelligems
package dev.hookwire.examples;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.event.ExperienceAction;
import dev.hookwire.event.ExperienceEvent;
import dev.hookwire.event.ExperienceType;
import dev.hookwire.preset.Intelligems;
import dev.hookwire.signature.Verifier;
import dev.hookwire.transport.NetworkPolicy;
import java.time.Duration;
import java.time.Instant;

/**
 * Sends two experience events as Intelligems does (its six payload columns, signed in {@code
 * X-Intelligems-Signature}) to a local receiver that checks them with {@link
 * Intelligems#verifier}.
 */
public final class PresetIntelligems {
  private PresetIntelligems() {}

  /**
   * Runs the example.
   *
   * @param args ignored
   * @throws Exception if the receiver cannot start, or a request does not arrive or verify
   */
  public static void main(String[] args) throws Exception {
    String secret = "ig-example-secret"; // shared by Intelligems's settings and the receiver
    try (LocalReceiver receiver = LocalReceiver.start();
        Dispatcher dispatcher =
            Dispatcher.builder()
                // The receiver is on loopback, which a dispatcher refuses to call unless allowed.
                .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build())
                .build()) {
      Verifier verifier = Intelligems.verifier(secret);
      receiver.check((path, headers, body) -> "signature verified, " + verifier.verify(headers, body).scheme().name());
      dispatcher.register(Intelligems.endpoint(receiver.url("/hooks/intelligems"), secret).build());
      dispatcher.start();

      ExperienceEvent.Builder experience =
          ExperienceEvent.builder()
              .experienceId("exp_8c1f")
              .name("Free shipping over $50")
              .experienceType(ExperienceType.SHIPPING)
              .timestamp(Instant.now());
      // The experience id as ordering key: "ended" is not sent before "started" is done.
      dispatcher.send(
          experience.action(ExperienceAction.STARTED).triggeredBy("ana@example.com").build().toEvent(), "exp_8c1f");
      dispatcher.send(experience.action(ExperienceAction.ENDED).triggeredBySystem().build().toEvent(), "exp_8c1f");

      receiver.awaitAndPrint(2, Duration.ofSeconds(30));
    }
  }
}
