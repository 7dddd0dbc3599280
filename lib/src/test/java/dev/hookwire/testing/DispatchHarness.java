package dev.hookwire.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.dispatch.DeliveryListener;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.SendReceipt;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import dev.hookwire.transport.OkHttpTransport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;

/**
 * A real {@link Dispatcher} over OkHttp to loopback (the network policy allows private
 * addresses), on a {@link MutableClock} and a {@link ManualScheduler}, with the dispatcher's
 * default retry schedule and timeout: retries happen when the test moves the clock.
 *
 * <p>The clock starts at the current second rather than at {@link TestEvents#T0}, so that
 * verifiers on the system clock, as factories without a clock make them, accept what the
 * dispatcher signs.
 */
public final class DispatchHarness implements AutoCloseable {
  /** The bound on every wait. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  private final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemoryDeliveryStore store = InMemoryDeliveryStore.create();
  private final OkHttpTransport transport =
      OkHttpTransport.builder().networkPolicy(TestTransports.LOOPBACK_ALLOWED).build();
  private final List<Duration> retryDelays = Collections.synchronizedList(new ArrayList<>());
  private final Dispatcher dispatcher =
      Dispatcher.builder()
          .store(store)
          .transport(transport)
          .clock(clock)
          .scheduler(scheduler)
          .networkPolicy(TestTransports.LOOPBACK_ALLOWED)
          .listener(
              new DeliveryListener() {
                @Override
                public void attemptFailed(AttemptRecord attempt, Instant nextAttemptAt) {
                  retryDelays.add(Duration.between(clock.instant(), nextAttemptAt));
                }
              })
          .build();

  /** The dispatcher, not yet started. */
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** The clock the dispatcher reads. */
  public MutableClock clock() {
    return clock;
  }

  /** The delay before each retry the dispatcher scheduled, jitter included, in order. */
  public List<Duration> retryDelays() {
    synchronized (retryDelays) {
      return List.copyOf(retryDelays);
    }
  }

  /** The one delivery a send made. */
  public DeliveryRecord only(SendReceipt receipt) {
    assertThat(receipt.deliveryIds()).hasSize(1);
    return store.delivery(receipt.deliveryIds().get(0)).orElseThrow();
  }

  /** Runs the dispatcher until the send's one delivery reaches {@code state}. */
  public void runUntilState(SendReceipt receipt, DeliveryState state) {
    scheduler.runUntil(
        () -> only(receipt).state() == state && dispatcher.inFlight() == 0, WAIT);
  }

  /** Runs the dispatcher until none of the send's deliveries is pending. */
  public void runUntilSettled(SendReceipt receipt) {
    scheduler.runUntil(
        () ->
            dispatcher.inFlight() == 0
                && receipt.deliveryIds().stream()
                    .allMatch(id -> store.delivery(id).orElseThrow().state() != DeliveryState.PENDING),
        WAIT);
  }

  /**
   * Runs the dispatcher until the send's one delivery is no longer pending, moving the clock on
   * by {@code step} after each attempt so that the next retry falls due.
   *
   * @return the attempts made
   */
  public List<AttemptRecord> runToTheEnd(SendReceipt receipt, Duration step) {
    for (int attempts = 1; ; attempts++) {
      int made = attempts;
      scheduler.runUntil(
          () -> dispatcher.attempts(receipt.eventId()).size() >= made && dispatcher.inFlight() == 0,
          WAIT);
      if (only(receipt).state() != DeliveryState.PENDING) {
        return dispatcher.attempts(receipt.eventId());
      }
      clock.advance(step);
    }
  }

  /** The next request the server received, waited for with a bound. */
  public static RecordedRequest take(MockWebServer server) throws InterruptedException {
    RecordedRequest request = server.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(request).as("request received").isNotNull();
    return request;
  }

  /** A request's headers as a case-insensitive map, the last value of each. */
  public static Map<String, String> headers(RecordedRequest request) {
    Headers headers = request.getHeaders();
    Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : headers.names()) {
      map.put(name, headers.get(name));
    }
    return map;
  }

  @Override
  public void close() {
    dispatcher.close(Duration.ZERO);
    transport.close();
  }
}
