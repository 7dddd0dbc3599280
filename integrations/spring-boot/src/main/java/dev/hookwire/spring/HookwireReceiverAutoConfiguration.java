package dev.hookwire.spring;

import dev.hookwire.receive.WebhookReceiver;
import dev.hookwire.signature.SignatureScheme;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Auto-configures the receiving side when {@code hookwire.receiver.secrets} is set: a {@link
 * WebhookReceiver} verifying Standard Webhooks signatures with those secrets and running the
 * application's {@link WebhookHandler} methods ({@link HookwireWebhookEndpointAutoConfiguration}
 * serves it over HTTP). It backs off when the application defines its own receiver. Processed webhook ids are remembered in memory (7 days, per instance); for several
 * instances, set a {@code JdbcIdempotencyStore} with a {@link HookwireReceiverCustomizer}.
 */
@AutoConfiguration(after = HookwireAutoConfiguration.class)
@EnableConfigurationProperties(HookwireProperties.class)
public class HookwireReceiverAutoConfiguration {

  /** For Spring. */
  public HookwireReceiverAutoConfiguration() {}

  /**
   * Makes the receiver.
   *
   * @param properties the {@code hookwire.*} settings
   * @param beans the bean factory, searched for {@link WebhookHandler} methods
   * @param customizers the application's customizers, in order
   * @return the receiver
   * @throws IllegalStateException if no handler is found, or a handler method does not follow
   *     the rule of {@link WebhookHandler}
   */
  @Bean
  @ConditionalOnMissingBean
  @Conditional(OnReceiverSecrets.class)
  public WebhookReceiver hookwireWebhookReceiver(
      HookwireProperties properties,
      ConfigurableListableBeanFactory beans,
      ObjectProvider<HookwireReceiverCustomizer> customizers) {
    WebhookReceiver.Builder builder =
        WebhookReceiver.builder()
            .verifier(
                SignatureScheme.standardWebhooks(),
                properties.getReceiver().getSecrets().toArray(String[]::new));
    WebhookHandlerMethods.register(beans, builder);
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    return builder.build();
  }
}
