package dev.hookwire.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.dispatch.AttemptStart;
import dev.hookwire.dispatch.DeliveryListener;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.store.AttemptRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A listener that queues what the dispatcher reports, so that a test waits for the event itself,
 * with a bound. Added after the metrics' listener, it hears each event once the meters have it.
 * Thread-safe.
 */
final class Recorder implements DeliveryListener {
  /** One callback: its name, and the attempt or the next attempt's time where it has one. */
  record Heard(String what, String endpointId, AttemptRecord attempt, Instant nextAttemptAt) {}

  private final List<Heard> heard = new ArrayList<>();
  private final Map<String, Integer> taken = new HashMap<>();

  @Override
  public void attemptStarted(AttemptStart attempt) {
    add(new Heard("started", attempt.endpointId(), null, null));
  }

  @Override
  public void attemptSucceeded(AttemptRecord attempt) {
    add(new Heard("succeeded", attempt.endpointId(), attempt, null));
  }

  @Override
  public void attemptFailed(AttemptRecord attempt, Instant nextAttemptAt) {
    add(new Heard("failed", attempt.endpointId(), attempt, nextAttemptAt));
  }

  @Override
  public void deliveryDead(String deliveryId, String endpointId, String reason) {
    add(new Heard("dead", endpointId, null, null));
  }

  @Override
  public void endpointDisabled(Endpoint endpoint, String reason) {
    add(new Heard("disabled", endpoint.id(), null, null));
  }

  private synchronized void add(Heard h) {
    heard.add(h);
    notifyAll();
  }

  /**
   * Waits up to 10 seconds for the next callback named {@code what}: the first on the first call,
   * the second on the next, and so on, whatever came in between.
   */
  synchronized Heard next(String what) throws InterruptedException {
    int wanted = taken.merge(what, 1, Integer::sum);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      List<Heard> named = heard.stream().filter(h -> h.what().equals(what)).toList();
      if (named.size() >= wanted) {
        return named.get(wanted - 1);
      }
      long left = deadline - System.nanoTime();
      assertThat(left).as("the dispatcher reported " + what + " #" + wanted + " within 10 s; heard " + heard)
          .isPositive();
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }
}
