package dev.hookwire.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Sums the CPU samples ({@code jdk.ExecutionSample}) of a flight recording by method: self (the
 * sample's top frame) and total (anywhere on the stack, once per sample), and by thread name.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.hookwire.bench.HotFrames rec.jfr [top=40]
 * [filter=dev.hookwire]}. The filter limits the "total" table to methods whose class starts with
 * it.
 */
public final class HotFrames {
  private HotFrames() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    String filter = args.length > 2 ? args[2] : "dev.hookwire";
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    int samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      RecordedStackTrace stack = e.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      samples++;
      String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
      threads.merge(thread == null ? "?" : thread.replaceAll("\\d+$", "N"), 1, Integer::sum);
      List<RecordedFrame> frames = stack.getFrames();
      self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame f : frames) {
        String n = name(f.getMethod());
        if (seen.add(n)) {
          total.merge(n, 1, Integer::sum);
        }
      }
    }
    System.out.println("samples: " + samples + (stackTruncatedNote()));
    print("by thread", threads, samples, top);
    print("self (top frame)", self, samples, top);
    Map<String, Integer> filtered = new HashMap<>();
    total.forEach((k, v) -> {
      if (k.startsWith(filter)) {
        filtered.put(k, v);
      }
    });
    print("total (on stack), " + filter + " only", filtered, samples, top);
  }

  private static String stackTruncatedNote() {
    return " (JFR keeps 64 frames per stack by default; deeper frames are not counted)";
  }

  private static String name(RecordedMethod m) {
    return m.getType().getName() + "." + m.getName();
  }

  private static void print(String title, Map<String, Integer> counts, int samples, int top) {
    System.out.println("== " + title);
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort((a, b) -> b.getValue() - a.getValue());
    for (int i = 0; i < Math.min(top, sorted.size()); i++) {
      Map.Entry<String, Integer> e = sorted.get(i);
      System.out.println(Bench.f("%6.2f%%  %6d  %s", 100.0 * e.getValue() / samples, e.getValue(), e.getKey()));
    }
  }
}
