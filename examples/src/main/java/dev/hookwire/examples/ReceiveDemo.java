package dev.hookwire.examples;

import dev.hookwire.event.EventCodec;
import dev.hookwire.event.ExperienceAction;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.receive.WebhookReceiver;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.Signer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * What the three receiving examples share: the receiver they put behind their web server, and
 * the sender that posts signed webhooks to it. Each example only adapts its framework's request
 * to {@link WebhookReceiver#receive} and the result back.
 */
final class ReceiveDemo {
  /** The argument that keeps an example's server running instead of exiting. */
  static final String SERVE = "--serve";

  private ReceiveDemo() {}

  /**
   * The shared secret: {@code HOOKWIRE_SECRET} from the environment if set (to receive from a
   * real sender with {@code --serve}), else a new one.
   */
  static String secret() {
    String fromEnv = System.getenv("HOOKWIRE_SECRET");
    return fromEnv != null && !fromEnv.isBlank() ? fromEnv : Secrets.newStandardSecret();
  }

  /** A receiver of Standard Webhooks that prints each experience and goal event it handles. */
  static WebhookReceiver receiver(String secret) {
    return WebhookReceiver.builder()
        .verifier(SignatureScheme.standardWebhooks(), secret)
        .onExperience(
            event ->
                System.out.println(
                    "  handler: " + event.type() + " \"" + event.data().name() + "\""))
        .onGoal(event -> System.out.println("  handler: " + event.type() + " " + event.data()))
        .build();
  }

  /**
   * Sends the server a signed webhook, the same again (as a sender's retry would), and a copy
   * whose body was changed after signing; prints what the server answered each.
   */
  static void sendSamples(URI url, String secret) throws Exception {
    WebhookEvent<?> event =
        Quickstart.experience("exp_8c1f", "Free shipping over $50", ExperienceAction.STARTED);
    byte[] body = EventCodec.ofDefaults().encode(event);
    Signer signer = SignatureScheme.standardWebhooks().signer(secret);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    post(client, url, "signed webhook", signer.sign(event.id(), Instant.now(), body), body);
    post(client, url, "the same, retried", signer.sign(event.id(), Instant.now(), body), body);
    byte[] tampered =
        new String(body, StandardCharsets.UTF_8)
            .replace("$50", "$5")
            .getBytes(StandardCharsets.UTF_8);
    post(client, url, "tampered body", signer.sign(event.id(), Instant.now(), body), tampered);
  }

  private static void post(
      HttpClient client, URI url, String what, Map<String, String> headers, byte[] body)
      throws Exception {
    System.out.println(what + ":");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    System.out.println("  answer:  " + response.statusCode() + " " + response.body());
  }

  /** Whether the arguments ask to keep the server running. */
  static boolean serve(String[] args) {
    for (String arg : args) {
      if (arg.equals(SERVE)) {
        return true;
      }
    }
    return false;
  }

  /** Prints where the server listens, then blocks until the JVM is told to stop (Ctrl-C). */
  static void serveUntilStopped(URI url) throws InterruptedException {
    System.out.println("listening on " + url + "; Ctrl-C to stop");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
    stopped.await();
  }
}
