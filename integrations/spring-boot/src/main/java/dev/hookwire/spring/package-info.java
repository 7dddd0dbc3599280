/**
 * Spring Boot auto-configuration for Hookwire: a started {@link dev.hookwire.dispatch.Dispatcher}
 * whose {@code send} joins Spring-managed transactions, a health indicator, a webhook endpoint
 * that runs {@link dev.hookwire.spring.WebhookHandler} methods, and the operator portal ({@link
 * dev.hookwire.spring.HookwirePortalAutoConfiguration}). Settings are under {@code hookwire.*}
 * ({@link dev.hookwire.spring.HookwireProperties}).
 *
 * <p>Nothing here accepts or returns null unless it says so.
 */
package dev.hookwire.spring;
