package dev.hookwire.spring;

import dev.hookwire.dispatch.Dispatcher;

/**
 * Tunes the auto-configured {@link Dispatcher} before it is built: define beans of this type to
 * add listeners, a retry policy, a clock or anything else {@link Dispatcher.Builder} offers.
 * Customizers run after the {@code hookwire.*} properties are applied, in the beans' {@link
 * org.springframework.core.annotation.Order order}, so a later one may override an earlier one
 * and the properties.
 *
 * <pre>{@code
 * @Bean
 * HookwireDispatcherCustomizer retries() {
 *   return builder -> builder.retryPolicy(RetryPolicy.standardWebhooks());
 * }
 * }</pre>
 *
 * <p>Called once, on the thread that creates the application context.
 */
@FunctionalInterface
public interface HookwireDispatcherCustomizer {

  /**
   * Tunes the builder.
   *
   * @param builder the builder, with the properties applied
   */
  void customize(Dispatcher.Builder builder);
}
