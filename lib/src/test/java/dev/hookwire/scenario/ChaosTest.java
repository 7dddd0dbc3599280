package dev.hookwire.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.dispatch.SendReceipt;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.SignatureVerificationException;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.Verifier;
import dev.hookwire.signature.WebhookHeaders;
import dev.hookwire.store.AttemptOutcome;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.transport.NetworkPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * A receiver that answers 500 30% of the time, answers too late 10% of the time and resets the
 * connection 5% of the time: every event still reaches it with a valid signature, none is lost,
 * and an event is accepted twice only if one of its attempts timed out (the receiver accepted it,
 * but its answer came too late for the sender). The large run is in bench/.
 */
class ChaosTest {
  static final int EVENTS = 300;

  @StartStop final MockWebServer server = new MockWebServer();

  @Test
  void everyEventArrives_signed_noneLost_duplicatesOnlyAfterTimeouts() throws Exception {
    String secret = Secrets.newStandardSecret();
    Verifier verifier = SignatureScheme.standardWebhooks().verifier(secret);
    Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    AtomicInteger badSignatures = new AtomicInteger();
    CountDownLatch allAccepted = new CountDownLatch(EVENTS);
    server.setDispatcher(
        new mockwebserver3.Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            request.getHeaders().names().forEach(n -> headers.put(n, request.getHeaders().values(n)));
            try {
              verifier.verify(WebhookHeaders.ofMulti(headers), request.getBody().toByteArray());
            } catch (SignatureVerificationException e) {
              badSignatures.incrementAndGet();
              return new MockResponse.Builder().code(401).build();
            }
            double roll = ThreadLocalRandom.current().nextDouble();
            if (roll < 0.30) {
              return new MockResponse.Builder().code(500).build();
            }
            if (roll < 0.35) {
              return new MockResponse.Builder().code(200).onResponseStart(new SocketEffect.CloseSocket()).build();
            }
            String id = request.getHeaders().get("webhook-id");
            if (accepted.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() == 1) {
              allAccepted.countDown();
            }
            if (roll < 0.45) {
              return new MockResponse.Builder().code(200).headersDelay(1500, TimeUnit.MILLISECONDS).build();
            }
            return new MockResponse.Builder().code(200).build();
          }
        });
    Duration[] retries = new Duration[40];
    java.util.Arrays.fill(retries, Duration.ofMillis(20));
    NetworkPolicy loopback = NetworkPolicy.builder().allowPrivateNetworks(true).build();
    CountDownLatch allSucceeded = new CountDownLatch(EVENTS);
    Dispatcher dispatcher =
        Dispatcher.builder()
            .listener(
                new dev.hookwire.dispatch.DeliveryListener() {
                  @Override
                  public void attemptSucceeded(AttemptRecord attempt) {
                    allSucceeded.countDown();
                  }
                })
            .networkPolicy(loopback)
            .retryPolicy(RetryPolicy.of(retries))
            .timeout(Duration.ofMillis(500))
            .circuitBreaker(0, Duration.ZERO)
            .build();
    try {
      dispatcher.register(
          Endpoint.builder(server.url("/chaos").toString())
              .signing(SignatureScheme.standardWebhooks(), secret)
              .build());
      dispatcher.start();
      List<SendReceipt> receipts = new ArrayList<>();
      for (int i = 0; i < EVENTS; i++) {
        receipts.add(dispatcher.send(TestEvents.experienceStarted().toEvent()));
      }

      assertThat(allAccepted.await(60, TimeUnit.SECONDS)).as("every event accepted").isTrue();
      assertThat(allSucceeded.await(60, TimeUnit.SECONDS)).as("every delivery succeeded").isTrue();
      dispatcher.close(Duration.ofSeconds(10));

      assertThat(badSignatures).hasValue(0);
      int duplicates = 0;
      for (SendReceipt receipt : receipts) {
        assertThat(dispatcher.deliveries(receipt.eventId()))
            .singleElement()
            .satisfies(d -> assertThat(d.state()).isEqualTo(DeliveryState.SUCCEEDED));
        int times = accepted.get(receipt.eventId()).get();
        if (times > 1) {
          duplicates += times - 1;
          assertThat(dispatcher.attempts(receipt.eventId()))
              .extracting(AttemptRecord::outcome)
              .as("a duplicate of %s follows a timeout", receipt.eventId())
              .contains(AttemptOutcome.TIMEOUT);
        }
      }
      assertThat(duplicates).isLessThan(EVENTS);
    } finally {
      dispatcher.close(Duration.ZERO);
    }
  }
}
