package dev.hookwire.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.signature.Secrets;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.testing.CleanUp;
import dev.hookwire.testing.Databases.Kind;
import dev.hookwire.testing.DispatcherNode;
import dev.hookwire.testing.RequiresDatabase;
import dev.hookwire.testing.SharedStore;
import dev.hookwire.testing.Signal;
import dev.hookwire.testing.WebhookSink;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A dispatcher process killed with SIGKILL in the middle of its work, on PostgreSQL: once its
 * leases expire, the next node delivers everything that was accepted, and repeats only the
 * deliveries the dead node had in flight, whose requests the receiver had seen begin but whose
 * results were never recorded. The large run, with several kills, is in bench/ ({@code Crash}).
 */
@RequiresDatabase(Kind.POSTGRESQL)
class CrashRecoveryTest {
  private static final int EVENTS = 300;
  private static final int IN_FLIGHT = 16;
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String PATH = "/crash";

  private final Signal signal = new Signal();
  @RegisterExtension final CleanUp cleanUp = new CleanUp();

  @Test
  void killedNode_losesNothing_andRepeatsOnlyWhatItHadInFlight() throws Exception {
    SharedStore shared = cleanUp.add(SharedStore.create(Kind.POSTGRESQL));
    String secret = Secrets.newStandardSecret();
    // Slow answers: the node always has requests in flight.
    WebhookSink sink = cleanUp.add(WebhookSink.start(secret, Duration.ofMillis(40), signal));
    shared.register(sink.url(PATH), secret);
    List<String> accepted = shared.send(EVENTS);
    String a = shared.prefix() + "a";
    String b = shared.prefix() + "b";

    DispatcherNode first = cleanUp.add(node(shared, a));
    signal.await(
        () -> {
          first.requireAlive();
          return sink.distinct() >= EVENTS / 3;
        },
        WAIT,
        () -> sink.distinct() + " of " + EVENTS + " arrived");
    first.kill();
    shared.awaitSessionsGone(a, signal, WAIT);
    Set<String> recordedAtKill = shared.eventIds(DeliveryState.SUCCEEDED);
    Set<String> leasedAtKill = shared.leasedEventIds(a);
    assertThat(recordedAtKill).as("recorded before the kill").isNotEmpty().hasSizeLessThan(EVENTS);
    assertThat(leasedAtKill).as("leased to the killed node").isNotEmpty().hasSizeLessThanOrEqualTo(IN_FLIGHT);

    DispatcherNode second = cleanUp.add(node(shared, b));
    signal.await(
        () -> {
          second.requireAlive();
          return sink.distinct() == EVENTS && shared.count(DeliveryState.SUCCEEDED) == EVENTS;
        },
        WAIT,
        () -> sink.distinct() + " of " + EVENTS + " arrived, "
            + shared.count(DeliveryState.SUCCEEDED) + " recorded");
    second.stop();

    Map<String, List<WebhookSink.Request>> requests = sink.requests();
    assertThat(sink.badSignatures()).isZero();
    assertThat(requests.keySet())
        .as("every accepted event arrived, and nothing else")
        .containsExactlyInAnyOrderElementsOf(
            accepted.stream().map(id -> WebhookSink.delivery(PATH, id)).collect(Collectors.toList()));

    Set<String> begunByFirst = new HashSet<>();
    Set<String> repeated = new HashSet<>();
    for (String eventId : accepted) {
      List<WebhookSink.Request> seen = requests.get(WebhookSink.delivery(PATH, eventId));
      if (seen.stream().anyMatch(r -> r.node().equals(a))) {
        begunByFirst.add(eventId);
      }
      if (seen.size() > 1) {
        repeated.add(eventId);
        assertThat(seen)
            .as("%s: begun by the killed node, then once by the next after the lease", eventId)
            .extracting(WebhookSink.Request::node)
            .containsExactly(a, b);
        assertThat(Duration.ofNanos(seen.get(1).beganNanos() - seen.get(0).beganNanos()))
            .as("%s: repeated only after the lease expired", eventId)
            .isGreaterThan(LEASE.dividedBy(2));
      }
    }
    Set<String> inFlightAtKill = new HashSet<>(begunByFirst);
    inFlightAtKill.removeAll(recordedAtKill);
    assertThat(repeated)
        .as("repeats: exactly the requests the killed node began and never recorded")
        .isEqualTo(inFlightAtKill)
        .isSubsetOf(leasedAtKill)
        .hasSizeLessThanOrEqualTo(IN_FLIGHT);
    assertThat(shared.count(DeliveryState.SUCCEEDED)).isEqualTo(EVENTS);
    assertThat(shared.attempts()).as("one attempt recorded per delivery").isEqualTo(EVENTS);
  }

  private DispatcherNode node(SharedStore shared, String nodeId) throws Exception {
    return DispatcherNode.start(nodeId, shared.kind(), shared.prefix(), IN_FLIGHT, LEASE, signal);
  }
}
