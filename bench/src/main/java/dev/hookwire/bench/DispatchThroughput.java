package dev.hookwire.bench;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.AttemptOutcome;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.transport.OkHttpTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Deliveries per second through the {@link Dispatcher} to one endpoint on an always-200 receiver
 * (a separate JVM), against plain OkHttp sending the same number of same-sized requests at the
 * same concurrency, in the same run, alternating.
 *
 * <p>Ours: the endpoint's and the dispatcher's {@code maxInFlight} are both {@code C}; the events
 * are built before the clock starts; the clock runs from the first {@code send} to the listener's
 * last {@code attemptSucceeded}. Sending is a burst: {@code send} only stores, the dispatcher
 * paces the requests.
 *
 * <p>Arguments: {@code --events 40000 --concurrency 64 --body 512 --runs 7 --warmup 30000 --warmup-rounds 3
 * --side both|ours|raw} (one side only is for profiling).
 */
public final class DispatchThroughput {
  private DispatchThroughput() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int n = a.integer("events", 40_000);
    int c = a.integer("concurrency", 64);
    int bodyBytes = a.integer("body", 512);
    int runs = a.integer("runs", 7);
    int warmup = a.integer("warmup", 30_000);
    int warmupRounds = a.integer("warmup-rounds", 3);
    String side = a.string("side", "both");
    boolean doOurs = !side.equals("raw");
    boolean doRaw = !side.equals("ours");

    System.out.println("# DispatchThroughput  " + Instant.now());
    System.out.println("# " + Bench.machine());
    String secret = Secrets.newStandardSecret();
    byte[] sampleBody = EventCodec.ofDefaults().encode(Bench.events(1, bodyBytes).get(0));
    System.out.println(Bench.f("# events=%d concurrency=%d body=%d B runs=%d warmup=%dx%d", n, c,
        sampleBody.length, runs, warmupRounds, warmup));

    try (ReceiverProcess receiver = ReceiverProcess.start(Receiver.Mode.OK, secret);
        Ours ours = new Ours(receiver.url() + "/ours", secret, c, InMemoryDeliveryStore.create());
        RawClient raw = new RawClient(receiver.url() + "/raw", c, sampleBody)) {
      for (int w = 0; w < warmupRounds; w++) {
        if (doOurs) {
          ours.run(Bench.events(warmup, bodyBytes));
          ours.prune();
        }
        if (doRaw) {
          raw.run(warmup);
        }
      }
      receiver.reset();
      double[] oursRates = new double[runs];
      double[] rawRates = new double[runs];
      double[] oursCpu = new double[runs];
      double[] rawCpu = new double[runs];
      System.out.println("run  side  deliveries/s  client-cpu-us/delivery  receiver-cpu-us/delivery  cpu-not-ours  failures");
      for (int r = 0; r < runs; r++) {
        if (doOurs) {
          List<WebhookEvent<Map<String, Object>>> events = Bench.events(n, bodyBytes);
          oursRates[r] = measure("ours", r, n, receiver, oursCpu, () -> {
            Ours.Result res = ours.run(events);
            ours.prune();
            Map<String, Long> stats = receiver.stats();
            if (stats.get("distinctAccepted") != n || stats.get("badSignatures") != 0) {
              throw new IllegalStateException("receiver saw " + stats);
            }
            return new long[] {res.startNanos(), res.endNanos(), res.failures()};
          });
        }
        if (doRaw) {
          rawRates[r] = measure("raw", r, n, receiver, rawCpu, () -> {
            RawClient.Run res = raw.run(n);
            return new long[] {res.startNanos(), res.endNanos(), res.failures()};
          });
        }
      }
      if (doOurs && doRaw) {
        double mo = Bench.median(oursRates);
        double mr = Bench.median(rawRates);
        double[] pairs = new double[runs];
        for (int r = 0; r < runs; r++) {
          pairs[r] = oursRates[r] / rawRates[r];
        }
        System.out.println(Bench.f("median ours %.0f/s, raw %.0f/s, ratio ours/raw %.3f (target >= 0.9);"
            + " median of the per-run ratios %.3f", mo, mr, mo / mr, Bench.median(pairs)));
        double co = Bench.median(oursCpu);
        double cr = Bench.median(rawCpu);
        System.out.println(Bench.f("median CPU per delivery, client + receiver: ours %.1f us, raw %.1f us;"
            + " raw/ours %.3f (the throughput ratio a CPU-bound machine would show)", co, cr, cr / co));
      }
    }
  }

  interface Side {
    /** Runs once; returns start and end ({@link System#nanoTime()}) and failures. */
    long[] run() throws Exception;
  }

  private static double measure(String name, int r, int n, ReceiverProcess receiver,
      double[] cpuPerDelivery, Side side) throws Exception {
    System.gc();
    long cpu0 = Bench.cpuNanos();
    long rx0 = receiver.cpuNanos();
    long busy0 = Bench.machineBusyNanos();
    long t0 = System.nanoTime();
    long[] res = side.run();
    long wall = System.nanoTime() - t0;
    long busy = Bench.machineBusyNanos() - busy0;
    long cpu = Bench.cpuNanos() - cpu0;
    long rx = receiver.cpuNanos() - rx0;
    receiver.reset();
    double rate = n / ((res[1] - res[0]) / 1e9);
    cpuPerDelivery[r] = (cpu + rx) / 1e3 / n;
    System.out.println(Bench.f("%3d  %-4s  %12.0f  %22.1f  %24.1f  %11.1f%%  %8d", r + 1, name, rate,
        cpu / 1e3 / n, rx / 1e3 / n, 100 * Bench.foreignShare(busy0 < 0 ? -1 : busy, cpu + rx, wall),
        res[2]));
    return rate;
  }

  /**
   * The dispatcher side: one dispatcher on a given store, one endpoint, reused across runs. A
   * run sends its events from one thread or several (as a host's request threads would), all at
   * once, and ends when the last has succeeded.
   */
  static final class Ours implements AutoCloseable {
    private final Tally tally = new Tally();
    private final DeliveryStore store;
    private final OkHttpTransport transport;
    private final Dispatcher dispatcher;

    record Result(int deliveries, long failures, long startNanos, long enqueuedNanos, long endNanos) {
      double perSecond() {
        return deliveries / ((endNanos - startNanos) / 1e9);
      }
    }

    Ours(String url, String secret, int concurrency, DeliveryStore store) {
      this(url, secret, concurrency, store, 1);
    }

    /**
     * With {@code schedulerThreads} above 1, the dispatcher runs on a scheduler of that many
     * threads instead of its own single thread, so that attempts' results are recorded side by
     * side (an experiment: see {@link Durable}).
     */
    Ours(String url, String secret, int concurrency, DeliveryStore store, int schedulerThreads) {
      this.store = store;
      transport = OkHttpTransport.builder()
          .networkPolicy(Bench.LOOPBACK)
          .userAgent(RawClient.USER_AGENT)
          .maxIdleConnections(Math.max(concurrency, 5))
          .build();
      Dispatcher.Builder builder = Dispatcher.builder()
          .store(store)
          .transport(transport)
          .networkPolicy(Bench.LOOPBACK)
          .maxInFlight(concurrency)
          .maxInFlightPerEndpoint(concurrency)
          .listener(tally);
      if (schedulerThreads > 1) {
        builder.scheduler(java.util.concurrent.Executors.newScheduledThreadPool(schedulerThreads,
            Receiver.daemon("hookwire-dispatcher-")));
      }
      dispatcher = builder.build();
      dispatcher.register(Endpoint.builder(url)
          .signing(SignatureScheme.standardWebhooks(), secret)
          .maxInFlight(concurrency)
          .verifyOnRegistration(false)
          .build());
      dispatcher.start();
    }

    Result run(List<? extends WebhookEvent<?>> events) throws InterruptedException {
      return run(events, 1);
    }

    Result run(List<? extends WebhookEvent<?>> events, int senders) throws InterruptedException {
      return run(events, senders, 0);
    }

    /** With {@code bulk} above 0, each sender stores its events {@code bulk} at a time. */
    Result run(List<? extends WebhookEvent<?>> events, int senders, int bulk)
        throws InterruptedException {
      tally.clearOutcomes();
      CountDownLatch done = tally.expect(events.size());
      long start = System.nanoTime();
      Bench.sendAll(dispatcher, events, senders, bulk);
      long enqueued = System.nanoTime();
      Bench.await(done, 300, "deliveries");
      long end = tally.reachedAt();
      long failures = tally.outcome(AttemptOutcome.HTTP_ERROR) + tally.outcome(AttemptOutcome.TIMEOUT)
          + tally.outcome(AttemptOutcome.NETWORK_ERROR);
      return new Result(events.size(), failures, start, enqueued, end);
    }

    /**
     * Deletes the succeeded deliveries, so that runs stay alike (the store keeps them until
     * pruned); returns how many.
     */
    int prune() {
      return store.prune(Instant.now().plusSeconds(1));
    }

    @Override
    public void close() {
      dispatcher.close(Duration.ofSeconds(5));
      transport.close();
    }
  }
}
