package dev.hookwire.bench;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.event.EventCodec;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import dev.hookwire.store.spi.ClaimRequest;
import dev.hookwire.store.spi.ClaimedDelivery;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What pending deliveries cost in the heap, with the dispatcher built but not started, so that
 * everything sent stays pending in the {@link InMemoryDeliveryStore}.
 *
 * <p>Shared body: events of 10 KiB sent to 100 endpoints. Shown two ways: the claimed deliveries
 * of each event are checked for how many distinct body arrays they hold (by identity), and the
 * retained heap per 10 KiB event is compared with that per small event to the same 100
 * endpoints: the difference is the body, once (10 KiB) or a hundred times (1,000 KiB).
 *
 * <p>Per pending delivery: small events enqueued by the hundred thousand; retained heap (used
 * heap after full GCs, {@code MemoryMXBean}) before and after, divided by the count; with one
 * endpoint (each delivery has its own message and body) and with 100 endpoints (deliveries share
 * a message). The heap histogram of the one-endpoint case ({@code jcmd GC.class_histogram},
 * itself after a full GC) says which classes the bytes go to.
 *
 * <p>Arguments: {@code --deliveries 200000 --small-body 256 --big-body 10240 --big-events 100}.
 * Run with a fixed heap, e.g. {@code -Xms2g -Xmx2g}.
 */
public final class Memory {
  private Memory() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int deliveries = a.integer("deliveries", 200_000);
    int smallBody = a.integer("small-body", 256);
    int bigBody = a.integer("big-body", 10_240);
    int bigEvents = a.integer("big-events", 100);
    System.out.println("# Memory  " + Instant.now());
    System.out.println("# " + Bench.machine() + ", " + GcPauses.collectors());
    String secret = Secrets.newStandardSecret();
    EventCodec codec = EventCodec.ofDefaults();
    String pad = "x".repeat(Math.max(0, bigBody - codec.encode(Bench.event(0, "")).length));
    int bigSize = codec.encode(Bench.event(0, pad)).length;
    String smallPad = "x".repeat(Math.max(0, smallBody - codec.encode(Bench.event(0, "")).length));
    int smallSize = codec.encode(Bench.event(0, smallPad)).length;

    // --- one body, many endpoints
    {
      InMemoryDeliveryStore store = holdingEverything();
      Dispatcher dispatcher = notStarted(store, 100, secret);
      long h0 = Bench.usedHeapAfterGc();
      for (int i = 0; i < bigEvents; i++) {
        dispatcher.send(Bench.event(i, smallPad));
      }
      long h1 = Bench.usedHeapAfterGc();
      for (int i = 0; i < bigEvents; i++) {
        dispatcher.send(Bench.event(i, pad));
      }
      long h2 = Bench.usedHeapAfterGc();
      double perSmall = (h1 - h0) / (double) bigEvents;
      double perBig = (h2 - h1) / (double) bigEvents;
      List<ClaimedDelivery> claimed = store.claim(
          new ClaimRequest("memory-probe", Instant.now(), Duration.ofHours(1), 1_000_000, Set.of()));
      Map<String, Set<byte[]>> bodiesByEvent = new HashMap<>();
      int bigClaimed = 0;
      for (ClaimedDelivery d : claimed) {
        if (d.body().length > bigSize / 2) { // the timestamp's digits vary a little
          bigClaimed++;
          bodiesByEvent
              .computeIfAbsent(d.eventId(), k -> Collections.newSetFromMap(new IdentityHashMap<>()))
              .add(d.body());
        }
      }
      int maxDistinct = bodiesByEvent.values().stream().mapToInt(Set::size).max().orElse(-1);
      System.out.println("## one body, 100 endpoints");
      System.out.println(Bench.f("big body %d B, small body %d B, %d events of each to 100 endpoints",
          bigSize, smallSize, bigEvents));
      System.out.println(Bench.f("retained per small event: %.0f B; per big event: %.0f B; difference %.0f B = %.2f x the body",
          perSmall, perBig, perBig - perSmall, (perBig - perSmall) / bigSize));
      System.out.println(Bench.f("claimed %d big-event deliveries of %d events: distinct body arrays per event, at most %d",
          bigClaimed, bodiesByEvent.size(), maxDistinct));
      dispatcher.close(Duration.ZERO);
    }

    // --- bytes per pending delivery
    System.out.println("## per pending delivery (small body " + smallSize + " B)");
    System.out.println("endpoints  events  deliveries  retained-MiB  bytes/delivery  of-which-body");
    for (int endpoints : new int[] {1, 100}) {
      int events = deliveries / endpoints;
      InMemoryDeliveryStore store = holdingEverything();
      Dispatcher dispatcher = notStarted(store, endpoints, secret);
      dispatcher.send(Bench.event(0, smallPad)); // load the classes involved
      Map<String, long[]> before = endpoints == 1 ? histogram() : null;
      long h0 = Bench.usedHeapAfterGc();
      for (int i = 1; i <= events; i++) {
        dispatcher.send(Bench.event(i, smallPad));
      }
      long h1 = Bench.usedHeapAfterGc();
      long total = (long) events * endpoints;
      System.out.println(Bench.f("%9d  %6d  %10d  %12.1f  %14.0f  %13.0f", endpoints, events, total,
          (h1 - h0) / 1048576.0, (h1 - h0) / (double) total, (double) smallSize * events / total));
      if (before != null) {
        printTopDeltas(before, histogram(), total);
      }
      dispatcher.close(Duration.ZERO);
    }
  }

  /** A store with room for every delivery sent: the default one refuses beyond 100,000. */
  private static InMemoryDeliveryStore holdingEverything() {
    return InMemoryDeliveryStore.builder().maxPending(Integer.MAX_VALUE).build();
  }

  private static Dispatcher notStarted(InMemoryDeliveryStore store, int endpoints, String secret) {
    Dispatcher dispatcher = Dispatcher.builder().store(store).networkPolicy(Bench.LOOPBACK).build();
    for (int i = 0; i < endpoints; i++) {
      // Nothing listens there; the dispatcher is never started, so nothing is sent.
      dispatcher.register(Endpoint.builder("http://127.0.0.1:9/memory/" + i)
          .signing(SignatureScheme.standardWebhooks(), secret)
          .verifyOnRegistration(false)
          .build());
    }
    return dispatcher;
  }

  /** Class name to {instances, bytes}, from {@code jcmd <this pid> GC.class_histogram}. */
  private static Map<String, long[]> histogram() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()),
        "GC.class_histogram").redirectErrorStream(true).start();
    Map<String, long[]> classes = new HashMap<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 4 && f[0].endsWith(":")) {
          classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
        }
      }
    }
    p.waitFor();
    return classes;
  }

  private static void printTopDeltas(Map<String, long[]> before, Map<String, long[]> after, long deliveries) {
    List<Map.Entry<String, long[]>> deltas = new ArrayList<>();
    for (Map.Entry<String, long[]> e : after.entrySet()) {
      long[] b = before.getOrDefault(e.getKey(), new long[2]);
      deltas.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
    }
    deltas.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
    long sum = deltas.stream().mapToLong(e -> Math.max(0, e.getValue()[1])).sum();
    System.out.println(Bench.f("heap histogram delta (jcmd GC.class_histogram), %d deliveries, %.0f B/delivery in all:",
        deliveries, sum / (double) deliveries));
    System.out.println("  instances/delivery  bytes/delivery  class");
    for (int i = 0; i < Math.min(14, deltas.size()); i++) {
      long[] d = deltas.get(i).getValue();
      System.out.println(Bench.f("  %18.2f  %14.1f  %s", d[0] / (double) deliveries,
          d[1] / (double) deliveries, deltas.get(i).getKey()));
    }
  }
}
