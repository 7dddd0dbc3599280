package dev.hookwire.bench;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.AttemptOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Does one endpoint that never answers slow down the others? Ten endpoints, distinct paths on an
 * always-200 receiver; every event goes to all ten. Measured: deliveries per second to the nine
 * healthy ones, from the first send until all their deliveries succeeded. Phase "healthy": the
 * tenth is healthy too. Phase "stuck": the tenth points at a receiver that never answers (10 s
 * timeout, the default per-endpoint cap of 32 in flight). Both receivers are separate JVMs. The
 * dispatcher keeps its defaults (256 in flight overall, 32 per endpoint, standard retries).
 *
 * <p>For reference, phase "alone": the nine without a tenth endpoint.
 *
 * <p>Each run builds a fresh dispatcher; a warm-up round of both phases comes first and is not
 * counted; the phases then alternate.
 *
 * <p>Arguments: {@code --events 5000 --runs 3 --body 512 --timeout-s 10 --receiver-max-idle
 * 4096} (idle keep-alive connections the always-200 receiver keeps; the JDK server's own
 * default, 200, closes some of the dispatcher's pooled connections, which then fail an attempt).
 */
public final class Isolation {
  private Isolation() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int m = a.integer("events", 5_000);
    int runs = a.integer("runs", 3);
    int bodyBytes = a.integer("body", 512);
    Duration timeout = Duration.ofSeconds(a.integer("timeout-s", 10));
    System.out.println("# Isolation  " + Instant.now());
    System.out.println("# " + Bench.machine());
    System.out.println(Bench.f("# events=%d (x10 endpoints) runs=%d body=%d B timeout=%s", m, runs,
        bodyBytes, timeout));
    String secret = Secrets.newStandardSecret();
    String maxIdle = Integer.toString(a.integer("receiver-max-idle", 4096));
    try (ReceiverProcess ok = ReceiverProcess.start(Receiver.Mode.OK, secret, "--max-idle", maxIdle);
        ReceiverProcess never = ReceiverProcess.start(Receiver.Mode.NEVER, secret)) {
      double[] healthy = new double[runs];
      double[] stuck = new double[runs];
      double[] nine = new double[runs];
      System.out.println("run  phase    healthy-9 deliveries/s  in-flight-at-end  failed-attempts  cpu-not-ours");
      for (int r = -1; r < runs; r++) {
        for (Phase phase : Phase.values()) {
          String target = phase == Phase.STUCK ? never.url() + "/stuck" : ok.url() + "/iso/9";
          double rate = run(ok.url(), target, secret, m, bodyBytes, timeout, phase, r + 1,
              new CpuWatch(ok, never));
          if (r >= 0) {
            (phase == Phase.STUCK ? stuck : phase == Phase.HEALTHY ? healthy : nine)[r] = rate;
          }
        }
      }
      Map<String, Long> stats = ok.stats();
      if (stats.get("badSignatures") != 0) {
        throw new IllegalStateException("bad signatures: " + stats);
      }
      double mh = Bench.median(healthy);
      double ms = Bench.median(stuck);
      double mn = Bench.median(nine);
      System.out.println(Bench.f(
          "median healthy-9 throughput: all healthy %.0f/s, 10th stuck %.0f/s, ratio stuck/healthy %.3f (target >= 0.9)",
          mh, ms, ms / mh));
      System.out.println(Bench.f(
          "reference: the 9 alone (no 10th endpoint) %.0f/s; ratio stuck/alone %.3f", mn, ms / mn));
      System.out.println("never-answering receiver: " + never.stats().get("held") + " requests held");
    }
  }

  /** What the tenth endpoint is. */
  enum Phase { HEALTHY, STUCK, ALONE }

  private static double run(String okUrl, String tenthUrl, String secret, int m, int bodyBytes,
      Duration timeout, Phase phase, int run, CpuWatch watch)
      throws InterruptedException {
    Set<String> healthyIds = new HashSet<>();
    for (int i = 0; i < 9; i++) {
      healthyIds.add("healthy-" + i);
    }
    Tally tally = new Tally().counting(healthyIds);
    Dispatcher dispatcher = Dispatcher.builder()
        .networkPolicy(Bench.LOOPBACK)
        .timeout(timeout)
        .listener(tally)
        .build();
    try {
      for (int i = 0; i < 9; i++) {
        dispatcher.register(Endpoint.builder(okUrl + "/iso/" + i)
            .id("healthy-" + i)
            .signing(SignatureScheme.standardWebhooks(), secret)
            .verifyOnRegistration(false)
            .build());
      }
      if (phase != Phase.ALONE) {
        dispatcher.register(Endpoint.builder(tenthUrl)
            .id("tenth")
            .signing(SignatureScheme.standardWebhooks(), secret)
            .verifyOnRegistration(false)
            .build());
      }
      dispatcher.start();
      List<WebhookEvent<Map<String, Object>>> events = Bench.events(m, bodyBytes);
      System.gc();
      CountDownLatch done = tally.expect(9 * m);
      watch.start();
      long start = System.nanoTime();
      for (WebhookEvent<?> e : events) {
        dispatcher.send(e);
      }
      Bench.await(done, 300, "healthy deliveries");
      double rate = 9.0 * m / ((tally.reachedAt() - start) / 1e9);
      double notOurs = watch.notOurs();
      long failed = tally.outcome(AttemptOutcome.HTTP_ERROR) + tally.outcome(AttemptOutcome.NETWORK_ERROR)
          + tally.outcome(AttemptOutcome.TIMEOUT);
      System.out.println(Bench.f("%3s  %-7s  %22.0f  %16d  %15d  %11.1f%%", run == 0 ? "w" : Integer.toString(run),
          phase.name().toLowerCase(java.util.Locale.ROOT), rate, dispatcher.inFlight(), failed, 100 * notOurs));
      if (failed > 0) {
        System.out.println("       failed attempts: " + tally.errors());
      }
      return rate;
    } finally {
      dispatcher.close(Duration.ZERO);
    }
  }
}
