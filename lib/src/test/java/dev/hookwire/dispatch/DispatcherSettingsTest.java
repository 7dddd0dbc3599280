package dev.hookwire.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import dev.hookwire.testing.ForwardingStore;
import dev.hookwire.transport.NetworkPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Settings that can never work fail at the call that made them, naming the setting; and a closed
 * dispatcher leaves no thread of its own behind.
 */
class DispatcherSettingsTest {
  static final NetworkPolicy LOCAL = NetworkPolicy.builder().allowPrivateNetworks(true).build();

  static Endpoint.Builder endpoint() {
    return Endpoint.builder("http://127.0.0.1:9/hook")
        .id("ep_1")
        .signing(SignatureScheme.standardWebhooks(), Secrets.newStandardSecret());
  }

  @Test
  void aLeaseShorterThanTheTimeout_isRefusedAtBuild() {
    Dispatcher.Builder b = Dispatcher.builder().lease(Duration.ofMillis(100));
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("lease (PT0.1S)")
        .hasMessageContaining("timeout (PT10S)");
    assertThatThrownBy(() -> Dispatcher.builder().timeout(Duration.ofSeconds(30)).lease(Duration.ofMillis(30_999)).build())
        .isInstanceOf(IllegalStateException.class);
    Dispatcher.builder().timeout(Duration.ofSeconds(30)).lease(Duration.ofSeconds(31)).build().close();
  }

  @Test
  void anEndpointWhoseTimeoutOutlastsTheLease_isRefusedAtRegisterAndUpdate() {
    try (Dispatcher d =
        Dispatcher.builder().networkPolicy(LOCAL).timeout(Duration.ofSeconds(1)).lease(Duration.ofSeconds(10)).build()) {
      assertThatThrownBy(() -> d.register(endpoint().timeout(Duration.ofSeconds(10)).build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("lease (PT10S)")
          .hasMessageContaining("the timeout of endpoint ep_1 (PT10S)");
      assertThat(d.endpoints()).isEmpty();

      Endpoint ok = d.register(endpoint().timeout(Duration.ofSeconds(5)).build());
      assertThatThrownBy(() -> d.update(ok.toBuilder().timeout(Duration.ofSeconds(60)).build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("lease");
      assertThat(d.endpoint("ep_1").orElseThrow().timeout()).contains(Duration.ofSeconds(5));
    }
  }

  @Test
  void rotateSecret_namesABadGrace_andTakesAnEndlessOne() {
    try (Dispatcher d = Dispatcher.builder().networkPolicy(LOCAL).build()) {
      d.register(endpoint().build());
      assertThatThrownBy(() -> d.rotateSecret("ep_1", Secrets.newStandardSecret(), Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("grace must not be negative");

      Endpoint rotated = d.rotateSecret("ep_1", Secrets.newStandardSecret(), Duration.ofSeconds(Long.MAX_VALUE));

      assertThat(rotated.keys()).hasSize(2);
      assertThat(rotated.keys().get(1).expiresAt()).hasValueSatisfying(
          t -> assertThat(t).isAfter(Instant.now().plus(Duration.ofDays(365L * 999))));
    }
  }

  @Test
  void drainTimeoutAndNodeId_areChecked() {
    assertThatThrownBy(() -> Dispatcher.builder().drainTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("drainTimeout");
    assertThatThrownBy(() -> Dispatcher.builder().nodeId(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nodeId");
    assertThatThrownBy(() -> Dispatcher.builder().nodeId("   "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Dispatcher.builder().nodeId("n".repeat(256)))
        .isInstanceOf(IllegalArgumentException.class);
    Dispatcher d = Dispatcher.builder().build();
    assertThatThrownBy(() -> d.close(Duration.ofMillis(-1))).hasMessageContaining("drainTimeout");
    d.close(Duration.ZERO);
  }

  @Test
  void theDefaultStore_isBounded_andKeepsSucceededDeliveriesForAnHour() {
    try (Dispatcher d = Dispatcher.builder().build()) {
      InMemoryDeliveryStore store = (InMemoryDeliveryStore) d.engine.store;

      assertThat(store.maxPending()).isEqualTo(100_000);
      assertThat(store.maxSucceeded()).isEqualTo(10_000);
      assertThat(store.retainSucceeded()).isEqualTo(Duration.ofHours(1));
      assertThat(d.engine.config.retainSucceeded()).isEqualTo(Duration.ofHours(1));
    }
  }

  @Test
  void retainSucceeded_withTheDefaultStore_isTheStoresAgeToo() {
    try (Dispatcher d = Dispatcher.builder().retainSucceeded(Duration.ofDays(2)).build()) {
      InMemoryDeliveryStore store = (InMemoryDeliveryStore) d.engine.store;

      assertThat(store.retainSucceeded()).isEqualTo(Duration.ofDays(2));
      assertThat(d.engine.config.retainSucceeded()).isEqualTo(Duration.ofDays(2));
    }
  }

  @Test
  void retainSucceeded_defaultsToTheAgeOfAGivenInMemoryStore_andToSevenDaysForOtherStores() {
    InMemoryDeliveryStore memory =
        InMemoryDeliveryStore.builder().retainSucceeded(Duration.ofMinutes(10)).build();
    try (Dispatcher d = Dispatcher.builder().store(memory).build()) {
      assertThat(d.engine.config.retainSucceeded()).isEqualTo(Duration.ofMinutes(10));
    }
    try (Dispatcher d = Dispatcher.builder().store(new ForwardingStore(memory) {}).build()) {
      assertThat(d.engine.config.retainSucceeded()).isEqualTo(Duration.ofDays(7));
    }
    try (Dispatcher d =
        Dispatcher.builder().store(memory).retainSucceeded(Duration.ofMinutes(5)).build()) {
      assertThat(d.engine.config.retainSucceeded()).isEqualTo(Duration.ofMinutes(5));
    }
  }

  @Test
  void retainSucceeded_longerThanAGivenInMemoryStoresAge_isRefusedAtBuild() {
    Dispatcher.Builder b =
        Dispatcher.builder()
            .store(InMemoryDeliveryStore.create())
            .retainSucceeded(Duration.ofDays(7));

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("retainSucceeded is PT168H")
        .hasMessageContaining("forgets succeeded deliveries after PT1H");
    Duration forGood = ChronoUnit.CENTURIES.getDuration();
    InMemoryDeliveryStore keeps =
        InMemoryDeliveryStore.builder().retainSucceeded(forGood).build();
    Dispatcher.builder().store(keeps).retainSucceeded(forGood.multipliedBy(2)).build().close();
  }

  @Test
  void aHundredStartsAndCloses_leaveNoDispatcherThreadBehind() {
    Set<Thread> before = dispatcherThreads(); // other tests' dispatchers, if any still run
    for (int i = 0; i < 100; i++) {
      Dispatcher d = Dispatcher.builder().networkPolicy(LOCAL).retainSucceeded(Duration.ofDays(1)).build();
      d.start();
      d.close();
      // Each close returns only once its scheduler thread has ended.
      Set<Thread> left = dispatcherThreads();
      left.removeAll(before);
      assertThat(left).as("threads alive after close %d", i).isEmpty();
    }
  }

  static Set<Thread> dispatcherThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().equals(OwnScheduler.THREAD_NAME))
        .collect(Collectors.toCollection(java.util.HashSet::new));
  }
}
