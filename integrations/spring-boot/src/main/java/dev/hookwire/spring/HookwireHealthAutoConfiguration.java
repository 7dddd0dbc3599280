package dev.hookwire.spring;

import dev.hookwire.dispatch.Dispatcher;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures {@link HookwireHealthIndicator} when Spring Boot's health support is on the
 * class path (it comes with {@code spring-boot-starter-actuator}) and the application has a
 * {@link Dispatcher}. Off with {@code management.health.hookwire.enabled=false}.
 */
@AutoConfiguration(after = HookwireAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Dispatcher.class)
@ConditionalOnEnabledHealthIndicator("hookwire")
public class HookwireHealthAutoConfiguration {

  /** For Spring. */
  public HookwireHealthAutoConfiguration() {}

  /**
   * Reports on the dispatcher.
   *
   * @param dispatcher the dispatcher
   * @return the indicator, named {@code hookwire} by its bean name
   */
  @Bean
  @ConditionalOnMissingBean(name = "hookwireHealthIndicator")
  public HookwireHealthIndicator hookwireHealthIndicator(Dispatcher dispatcher) {
    return new HookwireHealthIndicator(dispatcher);
  }
}
