package dev.hookwire.spring.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.spring.testing.LoopbackReceiver;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * {@code dispatcher.send(event)} in a {@code @Transactional} method of the host joins that
 * transaction: the event exists if and only if the transaction commits, and is delivered at once
 * after the commit. One subclass per database.
 */
@SpringBootTest(
    classes = OutboxApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "hookwire.network.allow-private-networks=true",
      // Deliveries after a commit come from the wake-up, not from a poll.
      "hookwire.poll-interval=1h",
      "test.experiments-table=outbox_experiments"
    })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TransactionalOutboxScenario {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Autowired Dispatcher dispatcher;
  @Autowired Experiments experiments;
  @Autowired JdbcDeliveryStore store;

  LoopbackReceiver receiver;

  @BeforeAll
  void registerEndpoint() throws IOException {
    receiver = LoopbackReceiver.start();
    dispatcher.register(
        Endpoint.builder(receiver.url())
            .signing(SignatureScheme.standardWebhooks(), Secrets.newStandardSecret())
            .build());
  }

  @AfterAll
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void aCommittedTransaction_deliversItsEventAtOnce() throws InterruptedException {
    WebhookEvent<?> event = event();

    experiments.start(event, "exp_commit", false);

    assertThat(experiments.recorded(event.id())).isTrue();
    assertThat(receiver.next(WAIT)).isEqualTo(event.id());
  }

  @Test
  void aRolledBackTransaction_leavesNoDelivery_andNothingArrives() throws InterruptedException {
    WebhookEvent<?> rolledBack = event();
    WebhookEvent<?> committed = event();

    assertThatThrownBy(() -> experiments.start(rolledBack, "exp_rollback", true))
        .hasMessage("rolled back after sending");
    assertThat(experiments.recorded(rolledBack.id())).isFalse();
    assertThat(dispatcher.deliveries(rolledBack.id())).isEmpty();

    // Same ordering key: had the rolled back event been stored, it would arrive first.
    experiments.start(committed, "exp_rollback", false);
    assertThat(receiver.next(WAIT)).isEqualTo(committed.id());
    assertThat(receiver.pending()).isEmpty();
    assertThat(dispatcher.deliveries(rolledBack.id())).isEmpty();
  }

  @Test
  void aSendOutsideAnyTransaction_isStoredAndDelivered() throws InterruptedException {
    WebhookEvent<?> event = event();

    dispatcher.send(event);

    assertThat(dispatcher.deliveries(event.id())).hasSize(1);
    assertThat(receiver.next(WAIT)).isEqualTo(event.id());
  }

  private static WebhookEvent<?> event() {
    return WebhookEvent.create("experience.updated", Map.of("at", Instant.now().toString()));
  }
}
