// Run: mvn -B -q -pl examples -am compile exec:java
package dev.hookwire.examples;

import dev.hookwire.event.EventCodec;
import dev.hookwire.event.ExperienceAction;
import dev.hookwire.event.ExperienceEvent;
import dev.hookwire.event.ExperienceType;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.SignatureVerificationException;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.Signer;
import dev.hookwire.signature.VerifiedWebhook;
import dev.hookwire.signature.Verifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Signs an experience event the way a sender does, verifies it the way a receiver does, and
 * shows what a receiver sees when the body is tampered with or the signature is replayed late.
 */
public final class Quickstart {
  private Quickstart() {}

  /**
   * Runs the walk-through.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    // One secret per endpoint, shared with the receiver out of band.
    String secret = Secrets.newStandardSecret();

    // --- Sending side -----------------------------------------------------------------------
    WebhookEvent<ExperienceEvent> event =
        ExperienceEvent.builder()
            .experienceId("exp_8c1f")
            .name("Free shipping over $50")
            .experienceType(ExperienceType.SHIPPING)
            .action(ExperienceAction.STARTED)
            .timestamp(Instant.now())
            .triggeredBy("ana@example.com")
            .build()
            .toEvent();
    byte[] body = EventCodec.ofDefaults().encode(event);
    Signer signer = SignatureScheme.standardWebhooks().signer(secret);
    Map<String, String> headers = signer.sign(event.id(), Instant.now(), body);

    System.out.println("POST body:  " + new String(body, StandardCharsets.UTF_8));
    headers.forEach((name, value) -> System.out.println("header:     " + name + ": " + value));

    // --- Receiving side ---------------------------------------------------------------------
    Verifier verifier = SignatureScheme.standardWebhooks().verifier(secret);
    VerifiedWebhook verified = verifier.verify(headers, body);
    WebhookEvent<?> received = EventCodec.ofDefaults().decodeTyped(body);
    System.out.println("verified:   id " + verified.webhookId().orElseThrow() + ", signed at "
        + verified.timestamp().orElseThrow());
    System.out.println("received:   " + received.type() + " " + received.data());

    // A body changed in transit, even by one space, no longer matches its signature.
    byte[] tampered = new String(body, StandardCharsets.UTF_8)
        .replace("Free shipping", "Free  shipping").getBytes(StandardCharsets.UTF_8);
    report("tampered body", () -> verifier.verify(headers, tampered));

    // A request replayed long after it was signed is refused, however valid its signature.
    Map<String, String> old = new HashMap<>(
        signer.sign(event.id(), Instant.now().minusSeconds(3600), body));
    report("replayed an hour late", () -> verifier.verify(old, body));
  }

  private static void report(String what, Runnable verification) {
    try {
      verification.run();
      System.out.println(what + ": accepted (unexpected!)");
    } catch (SignatureVerificationException e) {
      System.out.println(what + ": rejected, " + e.reason() + ": " + e.getMessage());
    }
  }
}
