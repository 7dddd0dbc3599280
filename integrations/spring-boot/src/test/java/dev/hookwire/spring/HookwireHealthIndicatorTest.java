package dev.hookwire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.StoreException;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import dev.hookwire.testing.ForwardingStore;
import dev.hookwire.transport.NetworkPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class HookwireHealthIndicatorTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  HookwireAutoConfiguration.class, HookwireHealthAutoConfiguration.class));

  @Test
  void aReadableStore_isUp_withBacklogDeadAndDisabledEndpoints() {
    // The application's own dispatcher, never started: what is sent stays pending.
    Dispatcher dispatcher =
        Dispatcher.builder()
            .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build())
            .build();
    dispatcher.register(endpoint("live"));
    dispatcher.register(endpoint("gone"));
    dispatcher.disable("gone");
    dispatcher.send(WebhookEvent.create("experience.updated", Map.of("n", 1)));
    runner
        .withBean(Dispatcher.class, () -> dispatcher)
        .run(
            context -> {
              Health health = context.getBean(HookwireHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails())
                  .containsEntry("pending", 1L)
                  .containsEntry("dead", 0L)
                  .containsEntry("endpoints", 2)
                  .containsEntry("disabledEndpoints", List.of("gone"));
            });
  }

  @Test
  void aStoreThatFails_isDown_withItsError() {
    Dispatcher dispatcher =
        Dispatcher.builder().store(new UnreadableStore(InMemoryDeliveryStore.builder().build())).build();
    runner
        .withBean(Dispatcher.class, () -> dispatcher)
        .run(
            context -> {
              Health health = context.getBean(HookwireHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.DOWN);
              assertThat(String.valueOf(health.getDetails().get("error")))
                  .contains("database is down");
            });
  }

  @Test
  void itIsOff_whenTurnedOff_orWithoutHealthSupport() {
    runner
        .withPropertyValues("management.health.hookwire.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(HookwireHealthIndicator.class));
    runner
        .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
        .run(
            context -> {
              assertThat(context).hasSingleBean(Dispatcher.class);
              assertThat(context).doesNotHaveBean(HookwireHealthIndicator.class);
            });
  }

  private static Endpoint endpoint(String id) {
    return Endpoint.builder("http://127.0.0.1:9/" + id)
        .id(id)
        .signing(SignatureScheme.standardWebhooks(), Secrets.newStandardSecret())
        .build();
  }

  private static final class UnreadableStore extends ForwardingStore {
    UnreadableStore(InMemoryDeliveryStore delegate) {
      super(delegate);
    }

    @Override
    public long count(DeliveryState state) {
      throw new StoreException("database is down", new java.sql.SQLException("connection refused"));
    }
  }
}
