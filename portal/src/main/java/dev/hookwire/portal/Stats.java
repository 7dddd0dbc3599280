package dev.hookwire.portal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookwire.store.AttemptRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;

/**
 * An endpoint's last 24 hours from its attempt log: volume per hour, success rate, latency p50
 * and p99 (nearest rank). Reads at most {@link #MAX_ATTEMPTS} attempts and says when it stopped
 * there.
 */
final class Stats {
  static final int MAX_ATTEMPTS = 10_000;
  static final int HOURS = 24;

  private Stats() {}

  static Instant from(Instant now) {
    return now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(HOURS - 1));
  }

  static ObjectNode of(List<AttemptRecord> attempts, Instant from, Instant to) {
    long[] succeeded = new long[HOURS];
    long[] failed = new long[HOURS];
    long[] latencies = new long[attempts.size()];
    int ok = 0;
    int n = 0;
    for (AttemptRecord a : attempts) {
      long hour = Duration.between(from, a.startedAt()).toHours();
      if (hour < 0 || hour >= HOURS) {
        continue;
      }
      if (a.succeeded()) {
        succeeded[(int) hour]++;
        ok++;
      } else {
        failed[(int) hour]++;
      }
      latencies[n++] = a.latency().toMillis();
    }
    ObjectNode out = Responses.JSON.createObjectNode();
    out.put("from", from.toString());
    out.put("to", to.toString());
    out.put("attempts", n);
    out.put("succeeded", ok);
    out.put("failed", n - ok);
    if (n == 0) {
      out.putNull("successRate");
      out.putNull("latencyP50Ms");
      out.putNull("latencyP99Ms");
    } else {
      long[] sorted = Arrays.copyOf(latencies, n);
      Arrays.sort(sorted);
      out.put("successRate", (double) ok / n);
      out.put("latencyP50Ms", rank(sorted, 0.50));
      out.put("latencyP99Ms", rank(sorted, 0.99));
    }
    ArrayNode hours = out.putArray("hours");
    for (int h = 0; h < HOURS; h++) {
      ObjectNode bucket = hours.addObject();
      bucket.put("start", from.plus(Duration.ofHours(h)).toString());
      bucket.put("succeeded", succeeded[h]);
      bucket.put("failed", failed[h]);
    }
    out.put("truncated", attempts.size() >= MAX_ATTEMPTS);
    return out;
  }

  /** The nearest-rank percentile of sorted values. */
  static long rank(long[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
