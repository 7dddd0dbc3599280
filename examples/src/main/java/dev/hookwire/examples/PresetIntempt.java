// Run: mvn -B -q -pl examples -am compile exec:java -Dexec.mainClass=dev.hookwire.examples.PresetIntempt
package dev.hookwire.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.hookwire.dispatch.Authentication;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.preset.Intempt;
import dev.hookwire.signature.WebhookHeaders;
import dev.hookwire.transport.NetworkPolicy;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * Sends one contact event to three webhook destinations set up as Intempt's journeys set them
 * up: a {@code POST} with Basic authentication, custom payload properties and a custom header; a
 * {@code PUT} with a bearer token; a {@code DELETE} with an API key in a header. Intempt signs
 * nothing, so the local receiver checks each destination's credentials.
 */
public final class PresetIntempt {
  private PresetIntempt() {}

  /**
   * Runs the example.
   *
   * @param args ignored
   * @throws Exception if the receiver cannot start, or a request does not arrive or is refused
   */
  public static void main(String[] args) throws Exception {
    Authentication basic = Authentication.basic("journeys", "example-password");
    Authentication bearer = Authentication.bearer("example-token");
    Authentication apiKey = Authentication.apiKey("X-Api-Token", "example-api-key");
    Map<String, String> expected =
        Map.of(
            "/crm/leads", "Basic " + Base64.getEncoder().encodeToString("journeys:example-password".getBytes(UTF_8)),
            "/billing/subscriptions", "Bearer example-token",
            "/mailing/members", "example-api-key");
    try (LocalReceiver receiver = LocalReceiver.start();
        Dispatcher dispatcher =
            Dispatcher.builder()
                // The receiver is on loopback, which a dispatcher refuses to call unless allowed.
                .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build())
                .build()) {
      receiver.check((path, headers, body) -> checkCredentials(headers, expected.get(path)));

      dispatcher.register(
          Intempt.endpoint(receiver.url("/crm/leads"), "POST")
              .authentication(basic)
              .payloadMapper(Intempt.customPayload(Map.of("source", "hookwire", "list", "newsletter")))
              .header("X-Tenant", "acme")
              .build());
      dispatcher.register(Intempt.endpoint(receiver.url("/billing/subscriptions"), "PUT").authentication(bearer).build());
      dispatcher.register(Intempt.endpoint(receiver.url("/mailing/members"), "DELETE").authentication(apiKey).build());
      dispatcher.start();

      dispatcher.send(WebhookEvent.create("contact.updated", Map.of("email", "ana@example.com", "plan", "pro")));

      receiver.awaitAndPrint(3, Duration.ofSeconds(30));
    }
  }

  private static String checkCredentials(WebhookHeaders headers, String expected) {
    String header = expected.startsWith("Basic ") || expected.startsWith("Bearer ") ? "Authorization" : "X-Api-Token";
    if (!headers.first(header).filter(expected::equals).isPresent()) {
      throw new IllegalStateException("wrong or missing " + header);
    }
    return header + " matches (Intempt signs nothing)";
  }
}
