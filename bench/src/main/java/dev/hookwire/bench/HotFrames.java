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
 * [filter=dev.hookwire] [method-suffix]}. The filter limits the "total" table to methods whose class starts with
 * it. With a method suffix (say {@code DeliveryHeap.siftUp}), it also lists the call paths
 * leading to that method.
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
    String focus = args.length > 3 ? args[3] : null;
    Map<String, Integer> focusStacks = new HashMap<>();
    Map<String, Integer> focusCallees = new HashMap<>();
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
      if (focus != null) {
        for (int i = 0; i < frames.size(); i++) {
          if (name(frames.get(i).getMethod()).endsWith(focus)) {
            StringBuilder path = new StringBuilder();
            for (int j = i; j < Math.min(frames.size(), i + 6); j++) {
              path.append(j == i ? "" : " <- ").append(shortName(frames.get(j).getMethod()));
            }
            focusStacks.merge(path.toString(), 1, Integer::sum);
            focusCallees.merge(i == 0 ? "(self)" : name(frames.get(i - 1).getMethod()), 1, Integer::sum);
            break;
          }
        }
      }
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
    if (focus != null) {
      print("callers of " + focus + " (samples with it anywhere on the stack)", focusStacks, samples, top);
      print("what " + focus + " calls", focusCallees, samples, top);
    }
  }

  private static String stackTruncatedNote() {
    return " (JFR keeps 64 frames per stack by default; deeper frames are not counted)";
  }

  private static String name(RecordedMethod m) {
    return m.getType().getName() + "." + m.getName();
  }

  private static String shortName(RecordedMethod m) {
    String type = m.getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + m.getName();
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
