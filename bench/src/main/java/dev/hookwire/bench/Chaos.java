package dev.hookwire.bench;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.AttemptOutcome;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * Many events through a receiver that misbehaves ({@link Receiver.Mode#CHAOS}: 30% 500, 10% an
 * answer after the client's timeout, counted as accepted, 5% a closed connection, the rest 200),
 * in a separate JVM that checks every signature with Hookwire's verifier and with the reference
 * Standard Webhooks library. Fast retries, short timeout, no circuit breaker. Reported: sent,
 * accepted, lost (sent, never accepted), duplicates (accepted more than once) and whether each
 * followed a timeout, bad signatures, attempts by outcome, wall time.
 *
 * <p>Arguments: {@code --events 100000 --concurrency 512 --retries 40 --retry-ms 50
 * --timeout-ms 500 --late-ms 700 --body 512}.
 */
public final class Chaos {
  private Chaos() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int n = a.integer("events", 100_000);
    int c = a.integer("concurrency", 512);
    int retries = a.integer("retries", 40);
    int retryMs = a.integer("retry-ms", 50);
    int timeoutMs = a.integer("timeout-ms", 500);
    int lateMs = a.integer("late-ms", 700);
    int bodyBytes = a.integer("body", 512);
    System.out.println("# Chaos  " + Instant.now());
    System.out.println("# " + Bench.machine());
    System.out.println(Bench.f("# events=%d concurrency=%d retries=%dx%d ms (jitter 10%%) timeout=%d ms late=%d ms body=%d B, breaker off",
        n, c, retries, retryMs, timeoutMs, lateMs, bodyBytes));
    String secret = Secrets.newStandardSecret();
    Duration[] delays = new Duration[retries];
    Arrays.fill(delays, Duration.ofMillis(retryMs));
    try (ReceiverProcess receiver = ReceiverProcess.start(Receiver.Mode.CHAOS, secret,
        "--late-ms", Integer.toString(lateMs), "--reference-check", "--threads", "4")) {
      Tally tally = new Tally();
      // Keeps every delivery and its attempts, so that each event's can be checked at the end.
      InMemoryDeliveryStore store = InMemoryDeliveryStore.builder()
          .maxSucceeded(Integer.MAX_VALUE)
          .maxPending(Integer.MAX_VALUE)
          .build();
      Dispatcher dispatcher = Dispatcher.builder()
          .store(store)
          .networkPolicy(Bench.LOOPBACK)
          .retryPolicy(RetryPolicy.of(delays))
          .timeout(Duration.ofMillis(timeoutMs))
          .circuitBreaker(0, Duration.ZERO)
          .maxInFlight(c)
          .maxInFlightPerEndpoint(c)
          .listener(tally)
          .build();
      dispatcher.register(Endpoint.builder(receiver.url() + "/chaos")
          .signing(SignatureScheme.standardWebhooks(), secret)
          .verifyOnRegistration(false)
          .build());
      dispatcher.start();
      List<WebhookEvent<Map<String, Object>>> events = Bench.events(n, bodyBytes);
      CountDownLatch done = tally.expect(n);
      CpuWatch watch = new CpuWatch(receiver).start();
      long start = System.nanoTime();
      for (WebhookEvent<?> e : events) {
        dispatcher.send(e);
      }
      // Every delivery either succeeds or dies; a dead one would leave this waiting, so bound it.
      boolean all = done.await(600, java.util.concurrent.TimeUnit.SECONDS);
      double wall = ((all ? tally.reachedAt() : System.nanoTime()) - start) / 1e9;
      double notOurs = watch.notOurs();
      dispatcher.close(Duration.ofSeconds(5));

      Map<String, Integer> accepted = receiver.acceptedById();
      Map<String, Long> stats = receiver.stats();
      long lost = 0;
      long duplicatedEvents = 0;
      long extraAcceptances = 0;
      long duplicatedAfterTimeout = 0;
      for (WebhookEvent<?> e : events) {
        Integer times = accepted.get(e.id());
        if (times == null) {
          lost++;
        } else if (times > 1) {
          duplicatedEvents++;
          extraAcceptances += times - 1;
          boolean timedOut = dispatcher.attempts(e.id()).stream()
              .map(AttemptRecord::outcome).anyMatch(o -> o == AttemptOutcome.TIMEOUT);
          if (timedOut) {
            duplicatedAfterTimeout++;
          }
        }
      }
      long attempts = 0;
      for (AttemptOutcome o : AttemptOutcome.values()) {
        attempts += tally.outcome(o);
      }
      System.out.println(Bench.f("wall time (first send to last success): %.1f s%s", wall, all ? "" : " (TIMED OUT)"));
      System.out.println(Bench.f("events sent %d, delivered (succeeded) %d, pending %d, dead %d",
          n, store.count(DeliveryState.SUCCEEDED), store.count(DeliveryState.PENDING), store.count(DeliveryState.DEAD)));
      System.out.println(Bench.f("accepted by receiver: %d distinct, %d in all", accepted.size(), stats.get("accepted")));
      System.out.println(Bench.f("lost (sent, never accepted): %d", lost));
      System.out.println(Bench.f("duplicates: %d events accepted more than once (%d extra acceptances); %d of them followed a timeout",
          duplicatedEvents, extraAcceptances, duplicatedAfterTimeout));
      System.out.println(Bench.f("bad signatures: %d (Hookwire verifier), %d rejected by the reference library",
          stats.get("badSignatures"), stats.get("referenceRejected")));
      System.out.println(Bench.f("attempts: %d (%.2f per event): succeeded %d, http_error %d %s, timeout %d, network_error %d",
          attempts, attempts / (double) n, tally.outcome(AttemptOutcome.SUCCEEDED),
          tally.outcome(AttemptOutcome.HTTP_ERROR), new TreeMap<>(tally.statuses()),
          tally.outcome(AttemptOutcome.TIMEOUT), tally.outcome(AttemptOutcome.NETWORK_ERROR)));
      System.out.println(Bench.f("receiver: %d requests, answered 500: %d, late 200: %d, closed without answer: %d",
          stats.get("requests"), stats.get("answered500"), stats.get("answeredLate"), stats.get("aborted")));
      System.out.println(Bench.f("throughput: %.0f events/s, %.0f attempts/s; CPU not ours %.1f%%",
          n / wall, attempts / wall, 100 * notOurs));
    }
  }
}
