// Run: mvn -B -q -pl examples -am compile exec:java -Dexec.mainClass=dev.hookwire.examples.PresetAbsmartly
package dev.hookwire.examples;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.event.GoalEvent;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.preset.Absmartly;
import dev.hookwire.signature.WebhookHeaders;
import dev.hookwire.transport.NetworkPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Publishes a goal event to a local stand-in for an ABsmartly collector, as ABsmartly's guide has
 * a webhook sender do: {@code PUT /v1/context} with the SDK API key, application and environment
 * in headers. ABsmartly's requests carry no signature, so the receiver checks the API key.
 */
public final class PresetAbsmartly {
  private PresetAbsmartly() {}

  /**
   * Runs the example.
   *
   * @param args ignored
   * @throws Exception if the receiver cannot start, or the request does not arrive or is refused
   */
  public static void main(String[] args) throws Exception {
    String apiKey = "abs-example-sdk-key";
    try (LocalReceiver receiver = LocalReceiver.start();
        Dispatcher dispatcher =
            Dispatcher.builder()
                // The receiver is on loopback, which a dispatcher refuses to call unless allowed.
                .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build())
                .build()) {
      receiver.check((path, headers, body) -> checkKey(headers, apiKey));
      // The collector's base URL; the preset adds /v1/context.
      dispatcher.register(Absmartly.endpoint(receiver.url("/"), apiKey, "www", "production").build());
      dispatcher.start();

      Instant now = Instant.now();
      GoalEvent goal =
          new GoalEvent(
              now,
              List.of(new GoalEvent.Unit("user_id", "u_1842")),
              List.of(
                  new GoalEvent.Goal(
                      "intercom_conversation_started",
                      now,
                      Map.of("user_email", "ana@example.com", "company", "Acme"))));
      dispatcher.send(WebhookEvent.create(GoalEvent.TYPE, goal));

      receiver.awaitAndPrint(1, Duration.ofSeconds(30));
    }
  }

  private static String checkKey(WebhookHeaders headers, String apiKey) {
    if (!headers.first("X-API-Key").filter(apiKey::equals).isPresent()) {
      throw new IllegalStateException("wrong or missing X-API-Key");
    }
    return "X-API-Key matches (ABsmartly signs nothing)";
  }
}
