package dev.hookwire.bench;

import dev.hookwire.dispatch.DeliveryListener;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.event.EventCodec;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.AttemptOutcome;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.StoreFullException;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A long run of the default dispatcher in a small heap: does its heap stay flat?
 *
 * <p>{@code Dispatcher.builder()} with nothing set but a network policy that allows the loopback
 * receiver, so the in-memory store with its default bounds, sends {@code --events} events (two
 * million) of {@code --body} bytes to one endpoint on the always-200 receiver (its own JVM), with
 * the heap this JVM is given (run it with {@code -Xmx256m -XX:+ExitOnOutOfMemoryError}: an
 * {@code OutOfMemoryError} anywhere ends the run at once, so a run that prints its summary had
 * none).
 *
 * <p>The sender keeps at most {@code --window} events outstanding (sent and not yet succeeded),
 * as a host whose events arrive no faster than its receiver takes them; a {@link
 * StoreFullException} would be counted, waited out and the event sent again. Every {@code
 * --sample-every} events the sender stops until every event sent so far has succeeded, and the
 * heap in use after full collections ({@link Bench#usedHeapAfterGc}) is sampled with the store's
 * counts; the receiver's counts are checked (each event accepted once, every signature valid)
 * and reset, so that its own map of ids stays small. Printed: the series, the least-squares slope
 * of heap against events over every sample but the first (bytes per million events), the
 * retained heap per succeeded delivery the store keeps, throughput over the time spent sending
 * (the pauses for sampling left out), and this JVM's collections while sending.
 *
 * <p>{@code --keep-all} gives the dispatcher a store that keeps every succeeded delivery for 7
 * days, as the default store did before it was bounded, for comparison.
 *
 * <p>Arguments: {@code --events 2000000 --body 256 --window 10000 --sample-every 100000}.
 */
public final class Soak {
  private Soak() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int n = a.integer("events", 2_000_000);
    int bodyBytes = a.integer("body", 256);
    int window = a.integer("window", 10_000);
    int sampleEvery = a.integer("sample-every", 100_000);
    boolean keepAll = a.flag("keep-all");
    System.out.println("# Soak  " + Instant.now());
    System.out.println("# " + Bench.machine() + ", " + GcPauses.collectors());
    System.out.println("# JVM arguments: " + ManagementFactory.getRuntimeMXBean().getInputArguments());
    EventCodec codec = EventCodec.ofDefaults();
    String pad = "x".repeat(Math.max(0, bodyBytes - codec.encode(Bench.event(0, "")).length));
    int bodySize = codec.encode(Bench.event(0, pad)).length;
    System.out.println(Bench.f("# events=%d body=%d B window=%d sample-every=%d store=%s", n, bodySize,
        window, sampleEvery, keepAll ? "keep-all (every succeeded delivery for 7 days)" : "default"));
    String secret = Secrets.newStandardSecret();
    Window outstanding = new Window(window);
    Tally tally = new Tally();
    GcPauses gc = new GcPauses();
    try (ReceiverProcess receiver = ReceiverProcess.start(Receiver.Mode.OK, secret)) {
      Dispatcher.Builder builder = Dispatcher.builder()
          .networkPolicy(Bench.LOOPBACK)
          .listener(outstanding)
          .listener(tally);
      if (keepAll) {
        builder.store(InMemoryDeliveryStore.builder()
            .maxSucceeded(Integer.MAX_VALUE)
            .retainSucceeded(Duration.ofDays(7))
            .maxPending(Integer.MAX_VALUE)
            .build());
      }
      Dispatcher dispatcher = builder.build();
      dispatcher.register(Endpoint.builder(receiver.url() + "/soak")
          .signing(SignatureScheme.standardWebhooks(), secret)
          .verifyOnRegistration(false)
          .build());
      dispatcher.start();
      // Load the classes of a delivery and the connection, then measure from there.
      dispatcher.send(Bench.event(-1, pad));
      outstanding.awaitAll(1, 60);
      receiver.reset();
      long base = Bench.usedHeapAfterGc();
      System.out.println(Bench.f("heap after full GC before sending: %.1f MiB", base / 1048576.0));
      System.out.println("events      heap-MiB  store: succeeded  pending  dead  receiver: accepted  distinct  bad-sig"
          + "  events/s  cpu-not-ours");

      List<long[]> samples = new ArrayList<>();
      long refused = 0;
      long accepted = 0;
      long sendingNanos = 0;
      CpuWatch watch = new CpuWatch(receiver);
      for (int done = 0; done < n; ) {
        int chunk = Math.min(sampleEvery, n - done);
        watch.start();
        gc.arm();
        long t0 = System.nanoTime();
        for (int i = 0; i < chunk; i++) {
          outstanding.acquire();
          while (true) {
            try {
              dispatcher.send(Bench.event(done + i, pad));
              break;
            } catch (StoreFullException full) {
              refused++;
              outstanding.awaitProgress();
            }
          }
        }
        outstanding.awaitAll(done + chunk + 1, 120);
        long chunkNanos = System.nanoTime() - t0;
        gc.disarm();
        double notOurs = watch.notOurs();
        sendingNanos += chunkNanos;
        done += chunk;
        Map<String, Long> stats = receiver.stats();
        receiver.reset();
        accepted += stats.get("accepted");
        long heap = Bench.usedHeapAfterGc();
        samples.add(new long[] {done, heap});
        System.out.println(Bench.f("%9d  %8.1f  %16d  %7d  %4d  %18d  %8d  %7d  %8.0f  %11.1f%%", done,
            heap / 1048576.0, dispatcher.count(DeliveryState.SUCCEEDED), dispatcher.count(DeliveryState.PENDING),
            dispatcher.count(DeliveryState.DEAD), stats.get("accepted"), stats.get("distinctAccepted"),
            stats.get("badSignatures"), chunk / (chunkNanos / 1e9), 100 * notOurs));
        if (stats.get("distinctAccepted") != chunk || stats.get("badSignatures") != 0) {
          throw new IllegalStateException("receiver saw " + stats + " for " + chunk + " events");
        }
      }
      long failed = tally.outcome(AttemptOutcome.HTTP_ERROR) + tally.outcome(AttemptOutcome.TIMEOUT)
          + tally.outcome(AttemptOutcome.NETWORK_ERROR);
      long retained = dispatcher.count(DeliveryState.SUCCEEDED);
      long last = samples.get(samples.size() - 1)[1];
      double slope = slope(samples.subList(Math.min(1, samples.size() - 1), samples.size()));
      long min = samples.stream().mapToLong(s -> s[1]).min().orElse(0);
      long max = samples.stream().mapToLong(s -> s[1]).max().orElse(0);
      System.out.println(Bench.f("delivered %d events (receiver accepted %d), %d failed attempts, %d sends refused as full;"
          + " no OutOfMemoryError", n, accepted, failed, refused));
      System.out.println(Bench.f("heap after full GC: %.1f MiB before sending, %.1f to %.1f MiB over the samples, %.1f MiB at the end",
          base / 1048576.0, min / 1048576.0, max / 1048576.0, last / 1048576.0));
      System.out.println(Bench.f("slope after the first sample: %+.0f B per million events (%+.3f MiB over %d events)",
          slope * 1e6, slope * (n - samples.get(Math.min(1, samples.size() - 1))[0]) / 1048576.0,
          n - samples.get(Math.min(1, samples.size() - 1))[0]));
      System.out.println(Bench.f("store keeps %d succeeded deliveries: %.0f B of heap each above the heap before sending",
          retained, retained == 0 ? 0 : (last - base) / (double) retained));
      System.out.println(Bench.f("throughput: %.0f events/s over %.1f s of sending (sampling pauses left out)",
          n / (sendingNanos / 1e9), sendingNanos / 1e9));
      System.out.println("collections while sending: " + gc.summary());
      dispatcher.close(Duration.ofSeconds(5));
    }
  }

  /** Least-squares slope of heap bytes against events. */
  private static double slope(List<long[]> samples) {
    int k = samples.size();
    if (k < 2) {
      return 0;
    }
    double mx = 0;
    double my = 0;
    for (long[] s : samples) {
      mx += s[0];
      my += s[1];
    }
    mx /= k;
    my /= k;
    double sxy = 0;
    double sxx = 0;
    for (long[] s : samples) {
      sxy += (s[0] - mx) * (s[1] - my);
      sxx += (s[0] - mx) * (s[0] - mx);
    }
    return sxy / sxx;
  }

  /** Events outstanding: a permit per event sent, given back when its delivery succeeds. */
  private static final class Window implements DeliveryListener {
    private final Semaphore permits;
    private final AtomicLong succeeded = new AtomicLong();

    Window(int size) {
      permits = new Semaphore(size);
    }

    void acquire() throws InterruptedException {
      if (!permits.tryAcquire(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no delivery succeeded for 120 s; " + succeeded.get() + " so far");
      }
    }

    @Override
    public void attemptSucceeded(AttemptRecord attempt) {
      succeeded.incrementAndGet();
      synchronized (this) {
        permits.release();
        notifyAll();
      }
    }

    /** Waits until at least one more delivery has succeeded, at most a second. */
    synchronized void awaitProgress() throws InterruptedException {
      wait(1_000);
    }

    /** Waits until {@code count} deliveries have succeeded in all. */
    void awaitAll(long count, long seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      synchronized (this) {
        while (succeeded.get() < count) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new IllegalStateException("timed out after " + seconds + " s: " + succeeded.get()
                + " of " + count + " deliveries succeeded");
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
      }
    }
  }
}
