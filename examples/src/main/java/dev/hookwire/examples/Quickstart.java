// Run: mvn -B -q -pl examples -am compile exec:java
package dev.hookwire.examples;

import com.sun.net.httpserver.HttpServer;
import dev.hookwire.dispatch.DeliveryListener;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.dispatch.SendReceipt;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.ExperienceAction;
import dev.hookwire.event.ExperienceEvent;
import dev.hookwire.event.ExperienceType;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.SignatureVerificationException;
import dev.hookwire.signature.Signer;
import dev.hookwire.signature.VerifiedWebhook;
import dev.hookwire.signature.Verifier;
import dev.hookwire.signature.WebhookHeaders;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.transport.NetworkPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Part 1 signs an experience event the way a sender does and verifies it the way a receiver
 * does. Part 2 starts a local receiver that fails every event's first attempt, sends three
 * experience events to it through a {@link Dispatcher}, and prints each delivery's attempts.
 */
public final class Quickstart {
  private Quickstart() {}

  /**
   * Runs both parts.
   *
   * @param args ignored
   * @throws Exception if the local receiver cannot start
   */
  public static void main(String[] args) throws Exception {
    String secret = Secrets.newStandardSecret(); // one per endpoint, shared with the receiver
    signAndVerify(secret);
    System.out.println();
    dispatchToAFlakyReceiver(secret);
  }

  static WebhookEvent<ExperienceEvent> experience(String id, String name, ExperienceAction action) {
    return ExperienceEvent.builder()
        .experienceId(id)
        .name(name)
        .experienceType(ExperienceType.SHIPPING)
        .action(action)
        .timestamp(Instant.now())
        .triggeredBy("ana@example.com")
        .build()
        .toEvent();
  }

  private static void signAndVerify(String secret) {
    System.out.println("== 1. Sign and verify");
    WebhookEvent<ExperienceEvent> event =
        experience("exp_8c1f", "Free shipping over $50", ExperienceAction.STARTED);
    byte[] body = EventCodec.ofDefaults().encode(event);
    Signer signer = SignatureScheme.standardWebhooks().signer(secret);
    Map<String, String> headers = signer.sign(event.id(), Instant.now(), body);
    System.out.println("body:     " + new String(body, StandardCharsets.UTF_8));
    headers.forEach((name, value) -> System.out.println("header:   " + name + ": " + value));

    Verifier verifier = SignatureScheme.standardWebhooks().verifier(secret);
    VerifiedWebhook verified = verifier.verify(headers, body);
    System.out.println("verified: id " + verified.webhookId().orElseThrow());

    // A body changed in transit, even by one space, no longer matches its signature.
    byte[] tampered =
        new String(body, StandardCharsets.UTF_8)
            .replace("Free shipping", "Free  shipping")
            .getBytes(StandardCharsets.UTF_8);
    report("tampered body", () -> verifier.verify(headers, tampered));
    // A request replayed long after it was signed is refused, however valid its signature.
    Map<String, String> old = new HashMap<>(signer.sign(event.id(), Instant.now().minusSeconds(3600), body));
    report("replayed an hour late", () -> verifier.verify(old, body));
  }

  private static void dispatchToAFlakyReceiver(String secret) throws IOException, InterruptedException {
    System.out.println("== 2. Deliver through a flaky receiver");
    HttpServer receiver = flakyReceiver(SignatureScheme.standardWebhooks().verifier(secret));
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";

    CountDownLatch delivered = new CountDownLatch(3);
    Dispatcher dispatcher =
        Dispatcher.builder()
            // The receiver runs on this machine; a production dispatcher refuses such addresses.
            .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build())
            .retryPolicy(RetryPolicy.of(Duration.ofMillis(500), Duration.ofSeconds(1)))
            .listener(
                new DeliveryListener() {
                  @Override
                  public void attemptSucceeded(AttemptRecord attempt) {
                    delivered.countDown();
                  }
                })
            .build();
    try {
      dispatcher.register(
          Endpoint.builder(url)
              .subscribe("experience.*")
              .signing(SignatureScheme.standardWebhooks(), secret)
              .build());
      dispatcher.start();
      List<SendReceipt> receipts = new ArrayList<>();
      receipts.add(dispatcher.send(experience("exp_1", "Price test A", ExperienceAction.CREATED)));
      receipts.add(dispatcher.send(experience("exp_1", "Price test A", ExperienceAction.STARTED)));
      receipts.add(dispatcher.send(experience("exp_2", "Bundle offer", ExperienceAction.PAUSED)));

      if (!delivered.await(30, TimeUnit.SECONDS)) {
        System.out.println("not every event was delivered within 30 s");
      }
      for (SendReceipt receipt : receipts) {
        System.out.println("event " + receipt.eventId() + ":");
        for (AttemptRecord attempt : dispatcher.attempts(receipt.eventId())) {
          System.out.printf(
              "  attempt %d: %s %s in %d ms%n",
              attempt.attemptNumber(),
              attempt.outcome(),
              attempt.status() == 0 ? attempt.error().orElse("") : Integer.toString(attempt.status()),
              attempt.latency().toMillis());
        }
      }
    } finally {
      dispatcher.close();
      receiver.stop(0);
    }
  }

  /** A receiver that verifies every request and answers 503 to the first attempt of each event. */
  private static HttpServer flakyReceiver(Verifier verifier) throws IOException {
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/hooks",
        exchange -> {
          // The raw bytes, exactly as received: a parsed and re-serialised body would not verify.
          byte[] body = exchange.getRequestBody().readAllBytes();
          int status;
          try {
            VerifiedWebhook webhook = verifier.verify(WebhookHeaders.ofMulti(exchange.getRequestHeaders()), body);
            int attempt = seen.computeIfAbsent(webhook.webhookId().orElseThrow(), k -> new AtomicInteger()).incrementAndGet();
            status = attempt == 1 ? 503 : 200;
          } catch (SignatureVerificationException e) {
            status = 401;
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    return server;
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
