package dev.hookwire.bench;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.transport.NetworkPolicy;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** What the load runs share: events of a given size, statistics, the machine line. */
final class Bench {
  static final String EVENT_TYPE = "bench.delivered";
  static final NetworkPolicy LOOPBACK = NetworkPolicy.builder().allowPrivateNetworks(true).build();

  private Bench() {}

  /**
   * Events whose encoded body is {@code bodyBytes} long (give or take a few bytes for the
   * sequence number's digits).
   */
  static List<WebhookEvent<Map<String, Object>>> events(int count, int bodyBytes) {
    EventCodec codec = EventCodec.ofDefaults();
    int overhead = codec.encode(event(0, "")).length;
    String pad = "x".repeat(Math.max(0, bodyBytes - overhead));
    List<WebhookEvent<Map<String, Object>>> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(event(i, pad));
    }
    return events;
  }

  static WebhookEvent<Map<String, Object>> event(long seq, String pad) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("seq", 1_000_000_000L + seq); // same width for every event
    data.put("pad", pad);
    return WebhookEvent.create(EVENT_TYPE, data);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The value at quantile {@code q} of sorted values, nearest rank. */
  static long quantile(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** CPU time used by this JVM so far, in nanoseconds. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Heap in use after full collections, settled over a few rounds. */
  static long usedHeapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      Thread.sleep(50);
      long used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(last - used) < 16 * 1024) {
        return used;
      }
      last = used;
    }
    return last;
  }

  /**
   * CPU time the whole machine has spent busy (every state of /proc/stat but idle and iowait),
   * in nanoseconds; -1 where there is no /proc/stat. Compared with our own processes' CPU time
   * over a run, it tells whether something else ran at the same time.
   */
  static long machineBusyNanos() {
    try {
      String first = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        if (i != 4 && i != 5) { // idle, iowait
          busy += Long.parseLong(f[i]);
        }
      }
      return busy * 10_000_000L; // USER_HZ is 100 on Linux
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Share of the machine's CPU over {@code wallNanos} used by processes other than ours. */
  static double foreignShare(long machineBusy, long ownCpu, long wallNanos) {
    if (machineBusy < 0) {
      return Double.NaN;
    }
    return Math.max(0, machineBusy - ownCpu) / (double) (wallNanos * Runtime.getRuntime().availableProcessors());
  }

  static String machine() {
    return String.format(Locale.ROOT, "%d cores, %s %s (%s), %s %s, max heap %d MiB",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
        System.getProperty("java.vendor"),
        System.getProperty("os.name"), System.getProperty("os.version"),
        Runtime.getRuntime().maxMemory() >> 20);
  }

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  /**
   * Sends events from {@code senders} threads at once (one: from this thread), as a host's
   * request threads would; returns when every {@code send} has returned.
   */
  static void sendAll(Dispatcher dispatcher, List<? extends WebhookEvent<?>> events, int senders)
      throws InterruptedException {
    sendAll(dispatcher, events, senders, 1);
  }

  /**
   * As {@link #sendAll(Dispatcher, List, int)}, each call storing {@code bulk} events at a time
   * with {@code Dispatcher.sendAll} when {@code bulk} is more than one.
   */
  static void sendAll(Dispatcher dispatcher, List<? extends WebhookEvent<?>> events, int senders,
      int bulk) throws InterruptedException {
    int step = Math.max(1, bulk);
    AtomicInteger next = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Runnable sender = () -> {
      try {
        for (int i; (i = next.getAndAdd(step)) < events.size(); ) {
          if (step == 1) {
            dispatcher.send(events.get(i));
          } else {
            dispatcher.sendAll(events.subList(i, Math.min(events.size(), i + step)));
          }
        }
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
      }
    };
    if (senders == 1) {
      sender.run();
    } else {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < senders; t++) {
        Thread thread = new Thread(sender, "sender-" + t);
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  static void await(java.util.concurrent.CountDownLatch latch, long seconds, String what)
      throws InterruptedException {
    if (!latch.await(seconds, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new IllegalStateException("timed out after " + seconds + " s waiting for " + what
          + " (" + latch.getCount() + " left)");
    }
  }
}
