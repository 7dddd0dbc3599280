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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three dispatcher processes on one PostgreSQL store, nothing failing: every delivery reaches
 * the receiver exactly once, and all three take part. The large run is in bench/ ({@code
 * Contention}).
 */
@RequiresDatabase(Kind.POSTGRESQL)
class ContentionTest {
  private static final int EVENTS = 1_000;
  private static final List<String> PATHS = List.of("/one", "/two");
  private static final int NODES = 3;
  private static final int IN_FLIGHT = 8;
  private static final Duration WAIT = Duration.ofSeconds(25);

  private final Signal signal = new Signal();
  @RegisterExtension final CleanUp cleanUp = new CleanUp();

  @Test
  void threeNodesOnOneStore_deliverEachOnce_andShareTheWork() throws Exception {
    SharedStore shared = cleanUp.add(SharedStore.create(Kind.POSTGRESQL));
    String secret = Secrets.newStandardSecret();
    // Answers that take a while keep each node's slots busy, so that the others find work.
    WebhookSink sink = cleanUp.add(WebhookSink.start(secret, Duration.ofMillis(10), signal));
    PATHS.forEach(path -> shared.register(sink.url(path), secret));
    List<DispatcherNode> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      nodes.add(
          cleanUp.add(
              DispatcherNode.start(
                  shared.prefix() + i,
                  shared.kind(),
                  shared.prefix(),
                  IN_FLIGHT,
                  Duration.ofSeconds(30),
                  signal)));
    }
    for (DispatcherNode node : nodes) {
      node.awaitReady(WAIT);
    }

    List<String> accepted = shared.send(EVENTS);
    int deliveries = EVENTS * PATHS.size();
    signal.await(
        () -> {
          nodes.forEach(DispatcherNode::requireAlive);
          return sink.requestCount() >= deliveries
              && shared.count(DeliveryState.SUCCEEDED) == deliveries;
        },
        WAIT,
        () -> sink.requestCount() + " of " + deliveries + " requests, "
            + shared.count(DeliveryState.SUCCEEDED) + " recorded");
    for (DispatcherNode node : nodes) {
      node.stop(); // waits for anything still in flight
    }

    Map<String, List<WebhookSink.Request>> requests = sink.requests();
    assertThat(sink.badSignatures()).isZero();
    List<String> expected = new ArrayList<>();
    for (String path : PATHS) {
      accepted.forEach(id -> expected.add(WebhookSink.delivery(path, id)));
    }
    assertThat(requests.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    Map<String, Integer> byNode = new TreeMap<>();
    requests.forEach(
        (delivery, seen) -> {
          assertThat(seen).as("requests for %s", delivery).hasSize(1);
          byNode.merge(seen.get(0).node(), 1, Integer::sum);
        });
    assertThat(sink.requestCount()).isEqualTo(deliveries);
    assertThat(byNode)
        .as("deliveries per node")
        .containsOnlyKeys(nodes.stream().map(DispatcherNode::nodeId).toArray(String[]::new))
        .allSatisfy((node, count) -> assertThat(count).isPositive());
    assertThat(shared.count(DeliveryState.SUCCEEDED)).isEqualTo(deliveries);
    assertThat(shared.attempts()).as("one attempt recorded per delivery").isEqualTo(deliveries);
  }
}
