package dev.hookwire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.dispatch.DeliveryListener;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.micrometer.DispatcherGauges;
import dev.hookwire.micrometer.HookwireMetrics;
import dev.hookwire.receive.ReceiveResult;
import dev.hookwire.receive.WebhookReceiver;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.spring.testing.LoopbackReceiver;
import dev.hookwire.store.AttemptRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class HookwireMetricsAutoConfigurationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SECRET = Secrets.newStandardSecret();

  private final ApplicationContextRunner withoutRegistry =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  HookwireAutoConfiguration.class,
                  HookwireReceiverAutoConfiguration.class,
                  HookwireMetricsAutoConfiguration.class))
          .withPropertyValues(
              "hookwire.network.allow-private-networks=true", "hookwire.receiver.secrets=" + SECRET)
          .withBean(Handlers.class);

  /** As with Spring Boot Actuator and no monitoring system: a SimpleMeterRegistry. */
  private final ApplicationContextRunner runner =
      withoutRegistry.withConfiguration(
          AutoConfigurations.of(
              MetricsAutoConfiguration.class,
              CompositeMeterRegistryAutoConfiguration.class,
              SimpleMetricsExportAutoConfiguration.class));

  @Test
  void aWebhookSentToALoopbackEndpoint_countsASuccessfulAttempt_andTheGaugesExist() throws Exception {
    CompletableFuture<AttemptRecord> succeeded = new CompletableFuture<>();
    try (LoopbackReceiver endpoint = LoopbackReceiver.start()) {
      runner
          // Listeners hear of the attempt's success after every listener heard it was recorded,
          // which is when the meters count it.
          .withBean(
              HookwireDispatcherCustomizer.class,
              () -> builder -> builder.listener(new SuccessListener(succeeded)))
          .run(
              context -> {
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry).isInstanceOf(SimpleMeterRegistry.class);
                Dispatcher dispatcher = context.getBean(Dispatcher.class);
                dispatcher.register(
                    Endpoint.builder(endpoint.url())
                        .id("loopback")
                        .signing(SignatureScheme.standardWebhooks(), SECRET)
                        .build());
                WebhookEvent<Object> event = WebhookEvent.create("order.paid", Map.of("total", 42));

                dispatcher.send(event);

                assertThat(endpoint.next(WAIT)).isEqualTo(event.id());
                succeeded.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(
                        registry.get(HookwireMetrics.ATTEMPTS).tag("outcome", "success").counter().count())
                    .isEqualTo(1.0);
                assertThat(registry.get(HookwireMetrics.QUEUE_SIZE).tag("state", "pending").gauge())
                    .isNotNull();
                assertThat(registry.get(HookwireMetrics.ENDPOINTS_DISABLED).gauge().value())
                    .isEqualTo(0.0);
                assertThat(registry.get(HookwireMetrics.ATTEMPTS_ACTIVE).gauge()).isNotNull();
              });
    }
  }

  @Test
  void theReceiversRequests_areCountedByOutcome() {
    runner.run(
        context -> {
          WebhookReceiver receiver = context.getBean(WebhookReceiver.class);
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          WebhookEvent<Object> event = WebhookEvent.create("order.paid", Map.of("total", 42));
          byte[] body = EventCodec.ofDefaults().encode(event);

          assertThat(receiver.receive(signed(event.id(), body), body).outcome())
              .isEqualTo(ReceiveResult.Outcome.PROCESSED);
          assertThat(receiver.receive(Map.of(), body).outcome())
              .isEqualTo(ReceiveResult.Outcome.INVALID_SIGNATURE);

          assertThat(registry.get(HookwireMetrics.RECEIVED).tag("outcome", "processed").counter().count())
              .isEqualTo(1.0);
          assertThat(
                  registry.get(HookwireMetrics.RECEIVED).tag("outcome", "invalid_signature").counter().count())
              .isEqualTo(1.0);
        });
  }

  @Test
  void closingTheApplication_removesTheGauges() {
    MeterRegistry registry = new SimpleMeterRegistry();
    withoutRegistry
        .withBean(MeterRegistry.class, () -> registry)
        .run(context -> assertThat(registry.find(HookwireMetrics.QUEUE_SIZE).gauges()).hasSize(2));
    assertThat(registry.find(HookwireMetrics.QUEUE_SIZE).gauges()).isEmpty();
  }

  @Test
  void theSettings_shapeTheMeters() {
    runner
        .withPropertyValues("hookwire.metrics.tag-endpoints=true", "hookwire.metrics.refresh-interval=0s")
        .run(
            context -> {
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              // Without endpoint tags every outcome is registered at zero from the start; with
              // them, only once an endpoint has had an attempt.
              assertThat(registry.find(HookwireMetrics.ATTEMPTS).counters()).isEmpty();
              Dispatcher dispatcher = context.getBean(Dispatcher.class);
              dispatcher.register(
                  Endpoint.builder("http://127.0.0.1:9/hooks")
                      .id("gone")
                      .signing(SignatureScheme.standardWebhooks(), SECRET)
                      .build());
              dispatcher.disable("gone");
              // A refresh interval of zero reads the store on every scrape.
              assertThat(registry.get(HookwireMetrics.ENDPOINTS_DISABLED).gauge().value()).isEqualTo(1.0);
              dispatcher.enable("gone");
              assertThat(registry.get(HookwireMetrics.ENDPOINTS_DISABLED).gauge().value()).isEqualTo(0.0);
            });
  }

  @Test
  void withoutAMeterRegistry_orWithoutHookwireMicrometer_nothingIsMetered() {
    withoutRegistry.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).hasSingleBean(Dispatcher.class);
          assertThat(context).doesNotHaveBean(HookwireMetrics.class);
          assertThat(context).doesNotHaveBean(DispatcherGauges.class);
          assertThat(context).doesNotHaveBean(HookwireDispatcherCustomizer.class);
        });
    runner
        .withClassLoader(new FilteredClassLoader(HookwireMetrics.class))
        .run(
            context -> {
              assertThat(context).hasSingleBean(Dispatcher.class);
              assertThat(context).hasSingleBean(MeterRegistry.class);
              assertThat(context).doesNotHaveBean(HookwireDispatcherCustomizer.class);
            });
  }

  @Test
  void turnedOff_nothingIsMetered() {
    runner
        .withPropertyValues("hookwire.metrics.enabled=false")
        .run(
            context -> {
              assertThat(context).hasSingleBean(Dispatcher.class);
              assertThat(context).doesNotHaveBean(HookwireMetrics.class);
              assertThat(context).doesNotHaveBean(HookwireReceiverCustomizer.class);
              assertThat(context.getBean(MeterRegistry.class).find(HookwireMetrics.RECEIVED).counters())
                  .isEmpty();
            });
  }

  @Test
  void theApplicationsOwnHookwireMetrics_isTheOneUsed() {
    MeterRegistry registry = new SimpleMeterRegistry();
    HookwireMetrics own = HookwireMetrics.builder(registry).tag("app", "orders").build();
    runner
        .withBean(HookwireMetrics.class, () -> own)
        .run(
            context -> {
              assertThat(context.getBean(HookwireMetrics.class)).isSameAs(own);
              assertThat(registry.get(HookwireMetrics.QUEUE_SIZE).tag("app", "orders").gauges())
                  .hasSize(2);
              WebhookReceiver receiver = context.getBean(WebhookReceiver.class);
              receiver.receive(Map.of(), new byte[] {'{', '}'});
              assertThat(registry.get(HookwireMetrics.RECEIVED).tag("app", "orders").counters())
                  .isNotEmpty();
              assertThat(context.getBean(MeterRegistry.class).find(HookwireMetrics.RECEIVED).counters())
                  .isEmpty();
            });
  }

  @Test
  void theSettings_haveConfigurationMetadata() throws Exception {
    try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .contains(
              "\"hookwire.metrics.enabled\"",
              "\"hookwire.metrics.tag-endpoints\"",
              "\"hookwire.metrics.refresh-interval\"");
    }
  }

  private static Map<String, List<String>> signed(String id, byte[] body) {
    return SignatureScheme.standardWebhooks().signer(SECRET).sign(id, Instant.now(), body)
        .entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
  }

  private record SuccessListener(CompletableFuture<AttemptRecord> succeeded) implements DeliveryListener {
    @Override
    public void attemptSucceeded(AttemptRecord attempt) {
      succeeded.complete(attempt);
    }
  }

  static class Handlers {
    @WebhookHandler("*")
    void any(WebhookEvent<?> event) {}
  }
}
