package dev.hookwire.spring;

import dev.hookwire.receive.WebhookReceiver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Auto-configures the webhook endpoint in a Spring MVC application with a {@link
 * WebhookReceiver} (the starter's or the application's): {@code POST} at {@code
 * hookwire.receiver.path}, default {@code /webhooks}.
 *
 * <p>With Spring Security present, the path gets a security filter chain of its own, ahead of
 * the application's ({@link Ordered#HIGHEST_PRECEDENCE} + 10): it lets every request to the path
 * through, since the signature is what authenticates a webhook and senders hold no session or
 * CSRF token, and it skips CSRF checks for the path. Every other path keeps the security the
 * application has, Spring Boot's default included: this chain is added after Boot's, so it does
 * not switch the default off. The chain backs off when the application defines a bean named
 * {@code hookwireReceiverSecurityFilterChain}, or with {@code
 * hookwire.receiver.permit-path=false}.
 */
@AutoConfiguration(
    after = HookwireReceiverAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
      "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration"
    })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
@ConditionalOnBean(WebhookReceiver.class)
public class HookwireWebhookEndpointAutoConfiguration {

  /** For Spring. */
  public HookwireWebhookEndpointAutoConfiguration() {}

  @Bean
  WebhookEndpoint hookwireWebhookEndpoint(WebhookReceiver receiver) {
    return new WebhookEndpoint(receiver);
  }

  /** The endpoint's own security filter chain, with Spring Security. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({SecurityFilterChain.class, HttpSecurity.class})
  @ConditionalOnBean(HttpSecurity.class)
  @ConditionalOnProperty(name = "hookwire.receiver.permit-path", havingValue = "true", matchIfMissing = true)
  static class SecurityConfiguration {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 10)
    @ConditionalOnMissingBean(name = "hookwireReceiverSecurityFilterChain")
    SecurityFilterChain hookwireReceiverSecurityFilterChain(HttpSecurity http, HookwireProperties properties)
        throws Exception {
      return http.securityMatcher(properties.getReceiver().getPath())
          .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
          .csrf(AbstractHttpConfigurer::disable)
          .requestCache(AbstractHttpConfigurer::disable)
          .build();
    }
  }
}
