package dev.hookwire.spring;

import dev.hookwire.opentelemetry.HookwireTracing;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures OpenTelemetry tracing when {@code hookwire-opentelemetry} is on the class path
 * and the application has an {@link OpenTelemetry} (Spring Boot's OpenTelemetry support makes
 * one): a {@link HookwireTracing} on it, whose tracer goes to the auto-configured {@code
 * Dispatcher} (each event keeps the trace context current at {@code send}; each attempt is a
 * client span in that trace) and whose interceptor goes to the auto-configured {@code
 * WebhookReceiver} (handlers run inside a span of their own). Requests carry the trace context
 * only to endpoints built with {@code sendTraceContext(true)}.
 *
 * <p>A {@link HookwireTracing} bean of the application's replaces the starter's. Off with {@code
 * hookwire.tracing.enabled=false}; {@code hookwire.tracing.continue-incoming-traces} decides
 * whether the receiver continues a sender's trace.
 */
@AutoConfiguration(
    after = {HookwireAutoConfiguration.class, HookwireReceiverAutoConfiguration.class},
    afterName = "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration")
@ConditionalOnClass({HookwireTracing.class, OpenTelemetry.class})
@ConditionalOnBean(OpenTelemetry.class)
@ConditionalOnProperty(name = "hookwire.tracing.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(HookwireProperties.class)
public class HookwireTracingAutoConfiguration {

  /** For Spring. */
  public HookwireTracingAutoConfiguration() {}

  /**
   * Makes the tracing on the application's OpenTelemetry.
   *
   * @param openTelemetry the application's
   * @param properties the {@code hookwire.*} settings
   * @return the tracing
   */
  @Bean
  @ConditionalOnMissingBean
  public HookwireTracing hookwireTracing(OpenTelemetry openTelemetry, HookwireProperties properties) {
    return HookwireTracing.builder(openTelemetry)
        .continueIncomingTraces(properties.getTracing().isContinueIncomingTraces())
        .build();
  }

  @Bean
  HookwireDispatcherCustomizer hookwireTracingDispatcherCustomizer(HookwireTracing tracing) {
    return builder -> builder.tracer(tracing.deliveryTracer());
  }

  @Bean
  HookwireReceiverCustomizer hookwireTracingReceiverCustomizer(HookwireTracing tracing) {
    return builder -> builder.interceptor(tracing.receiveInterceptor());
  }
}
