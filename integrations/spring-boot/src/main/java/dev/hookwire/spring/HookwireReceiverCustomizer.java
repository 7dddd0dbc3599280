package dev.hookwire.spring;

import dev.hookwire.receive.WebhookReceiver;

/**
 * Tunes the auto-configured {@link WebhookReceiver} before it is built, after the secrets and
 * the {@link WebhookHandler} methods are added: define beans of this type to add verifiers of
 * other schemes, handlers registered in code, an idempotency store or listeners. Applied in the
 * beans' {@link org.springframework.core.annotation.Order order}.
 *
 * <p>Called once, on the thread that creates the application context.
 */
@FunctionalInterface
public interface HookwireReceiverCustomizer {

  /**
   * Tunes the builder.
   *
   * @param builder the builder
   */
  void customize(WebhookReceiver.Builder builder);
}
