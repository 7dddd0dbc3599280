// Run: mvn -B -q -pl examples -am compile exec:java -Dexec.mainClass=dev.hookwire.examples.PresetInsightarc
package dev.hookwire.examples;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.preset.Insightarc;
import dev.hookwire.signature.Verifier;
import dev.hookwire.transport.NetworkPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registers a local receiver as Insightarc registers a webhook (a {@code HEAD} request first),
 * then posts a buying-intent signal to it, signed over the body and the registered URL; the
 * receiver checks it with {@link Insightarc#verifier}, given that same URL.
 */
public final class PresetInsightarc {
  private PresetInsightarc() {}

  /**
   * Runs the example.
   *
   * @param args ignored
   * @throws Exception if the receiver cannot start, or the request does not arrive or verify
   */
  public static void main(String[] args) throws Exception {
    String secret = "insightarc-example-secret"; // from the project's Webhook settings
    try (LocalReceiver receiver = LocalReceiver.start();
        Dispatcher dispatcher =
            Dispatcher.builder()
                // The receiver is on loopback, which a dispatcher refuses to call unless allowed.
                .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build())
                .build()) {
      String url = receiver.url("/hooks/insightarc?project=42"); // signed exactly as written here
      Verifier verifier = Insightarc.verifier(url, secret);
      receiver.check((path, headers, body) -> "signature over body + URL verified, " + verifier.verify(headers, body).scheme().name());

      dispatcher.register(Insightarc.endpoint(url, secret).build()); // sends the HEAD request
      dispatcher.start();

      Map<String, Object> signal = new LinkedHashMap<>();
      signal.put("drop_proba", 0.95);
      signal.put("perfomance", 1.2);
      signal.put("num_events", 10);
      signal.put("num_loops", 2);
      signal.put("relevant_events", Map.of("name", "/products/blue-mug"));
      dispatcher.send(WebhookEvent.create("signal.updated", signal));

      receiver.awaitAndPrint(1, Duration.ofSeconds(30));
    }
  }
}
