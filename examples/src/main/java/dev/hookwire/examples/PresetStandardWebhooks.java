// Run: mvn -B -q -pl examples -am compile exec:java -Dexec.mainClass=dev.hookwire.examples.PresetStandardWebhooks
package dev.hookwire.examples;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.event.ExperienceAction;
import dev.hookwire.event.ExperienceEvent;
import dev.hookwire.event.ExperienceType;
import dev.hookwire.preset.StandardWebhooks;
import dev.hookwire.signature.Ed25519KeyPair;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.VerifiedWebhook;
import dev.hookwire.signature.Verifier;
import dev.hookwire.transport.NetworkPolicy;
import java.time.Duration;
import java.time.Instant;

/**
 * Sends an experience event to two local endpoints in Standard Webhooks format: one signed with a
 * shared secret (v1, HMAC-SHA256), one with an Ed25519 key whose public half is all the receiver
 * holds (v1a). The receiver checks each with the matching {@link StandardWebhooks} verifier.
 */
public final class PresetStandardWebhooks {
  private PresetStandardWebhooks() {}

  /**
   * Runs the example.
   *
   * @param args ignored
   * @throws Exception if the receiver cannot start, or a request does not arrive or verify
   */
  public static void main(String[] args) throws Exception {
    String secret = Secrets.newStandardSecret(); // whsec_...: shared with the v1 receiver
    Ed25519KeyPair keys = Secrets.newEd25519KeyPair(); // whsk_... signs; the receiver gets whpk_...
    Verifier v1 = StandardWebhooks.verifier(secret);
    Verifier v1a = StandardWebhooks.ed25519Verifier(keys.publicKey());
    try (LocalReceiver receiver = LocalReceiver.start();
        Dispatcher dispatcher =
            Dispatcher.builder()
                // The receiver is on loopback, which a dispatcher refuses to call unless allowed.
                .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build())
                .build()) {
      receiver.check((path, headers, body) -> {
        VerifiedWebhook verified = (path.equals("/v1a") ? v1a : v1).verify(headers, body);
        return "signature verified, " + verified.scheme().name() + ", webhook-id " + verified.webhookId().orElseThrow();
      });
      dispatcher.register(StandardWebhooks.endpoint(receiver.url("/v1"), secret).build());
      dispatcher.register(StandardWebhooks.ed25519Endpoint(receiver.url("/v1a"), keys.secretKey()).build());
      dispatcher.start();

      dispatcher.send(
          ExperienceEvent.builder()
              .experienceId("exp_8c1f")
              .name("Free shipping over $50")
              .experienceType(ExperienceType.SHIPPING)
              .action(ExperienceAction.STARTED)
              .timestamp(Instant.now())
              .triggeredBy("ana@example.com")
              .build()
              .toEvent());

      receiver.awaitAndPrint(2, Duration.ofSeconds(30));
    }
  }
}
