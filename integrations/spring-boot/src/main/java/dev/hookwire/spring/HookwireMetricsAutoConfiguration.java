package dev.hookwire.spring;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.micrometer.DispatcherGauges;
import dev.hookwire.micrometer.HookwireMetrics;
import dev.hookwire.receive.WebhookReceiver;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures Hookwire's Micrometer meters when {@code hookwire-micrometer} is on the class
 * path and the application has a {@link MeterRegistry} (Spring Boot Actuator makes one): a {@link
 * HookwireMetrics} on that registry, whose listeners are added to the auto-configured {@link
 * Dispatcher} and {@link WebhookReceiver}, and the gauges of the auto-configured dispatcher,
 * removed from the registry when the application closes.
 *
 * <p>A {@link HookwireMetrics} bean of the application's replaces the starter's and is used the
 * same way; a {@link DispatcherGauges} bean of the application's replaces the gauges. A {@code
 * Dispatcher} or {@code WebhookReceiver} of the application's is not metered: give it the
 * listeners itself. Off with {@code hookwire.metrics.enabled=false}.
 */
@AutoConfiguration(
    after = {HookwireAutoConfiguration.class, HookwireReceiverAutoConfiguration.class},
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass({HookwireMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(name = "hookwire.metrics.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(HookwireProperties.class)
public class HookwireMetricsAutoConfiguration {

  /** For Spring. */
  public HookwireMetricsAutoConfiguration() {}

  /**
   * Makes the meters on the application's registry.
   *
   * @param registry the registry; with several, the primary one (Spring Boot's composite)
   * @param properties the {@code hookwire.*} settings
   * @return the meters
   */
  @Bean
  @ConditionalOnMissingBean
  public HookwireMetrics hookwireMetrics(MeterRegistry registry, HookwireProperties properties) {
    HookwireProperties.Metrics settings = properties.getMetrics();
    return HookwireMetrics.builder(registry)
        .tagEndpoints(settings.isTagEndpoints())
        .refreshInterval(settings.getRefreshInterval())
        .build();
  }

  @Bean
  HookwireDispatcherCustomizer hookwireMetricsDispatcherCustomizer(HookwireMetrics metrics) {
    return builder -> builder.listener(metrics.deliveryListener());
  }

  @Bean
  HookwireReceiverCustomizer hookwireMetricsReceiverCustomizer(HookwireMetrics metrics) {
    return builder -> builder.listener(metrics.receiveListener());
  }

  /**
   * Registers the gauges of the auto-configured dispatcher; closing the application removes them.
   *
   * @param metrics the meters
   * @param lifecycle the lifecycle of the auto-configured dispatcher
   * @return the gauges
   */
  @Bean
  @ConditionalOnBean(DispatcherLifecycle.class)
  @ConditionalOnMissingBean
  DispatcherGauges hookwireDispatcherGauges(HookwireMetrics metrics, DispatcherLifecycle lifecycle) {
    return metrics.bindTo(lifecycle.dispatcher());
  }
}
