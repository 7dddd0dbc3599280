package dev.hookwire.spring;

import dev.hookwire.dispatch.AmbientTransaction;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.store.spi.TransactionalDeliveryStore;
import dev.hookwire.transport.NetworkPolicy;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures the sending side: a {@link Dispatcher}, started with the application and
 * closed, draining, on shutdown. With a single {@link DataSource} in the application its store is
 * a {@link JdbcDeliveryStore} on it, and {@code send} joins Spring's transactions ({@link
 * SpringAmbientTransaction}); without one, the dispatcher keeps its work in memory, and says
 * at start-up that pending work is lost on a restart.
 *
 * <p>Every bean backs off when the application defines its own of the type: a {@link Dispatcher}
 * (then the application also starts and closes it), a {@link DeliveryStore}, an {@link
 * AmbientTransaction}.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration"
    })
@EnableConfigurationProperties(HookwireProperties.class)
public class HookwireAutoConfiguration {
  private static final Logger log = LoggerFactory.getLogger(HookwireAutoConfiguration.class);

  /** For Spring. */
  public HookwireAutoConfiguration() {}

  /** The store and transactions on the application's data source. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.jdbc.datasource.DataSourceUtils")
  @ConditionalOnSingleCandidate(DataSource.class)
  static class JdbcConfiguration {

    @Bean
    @ConditionalOnMissingBean(DeliveryStore.class)
    JdbcDeliveryStore hookwireDeliveryStore(DataSource dataSource, HookwireProperties properties) {
      try {
        return JdbcDeliveryStore.builder(dataSource)
            .createSchema(properties.getStore().isCreateSchema())
            .tablePrefix(properties.getStore().getTablePrefix())
            .build();
      } catch (IllegalStateException e) {
        // The store names its builder's setting; here it is a property.
        throw new IllegalStateException(
            e.getMessage() + " (here: hookwire.store.create-schema=true)", e);
      }
    }

    @Bean
    @ConditionalOnMissingBean(AmbientTransaction.class)
    SpringAmbientTransaction hookwireAmbientTransaction(DataSource dataSource) {
      return SpringAmbientTransaction.of(dataSource);
    }
  }

  /** The dispatcher and its lifecycle, unless the application has a dispatcher of its own. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(Dispatcher.class)
  static class DispatcherConfiguration {
    /**
     * Makes the dispatcher from the properties, the store and the customizers.
     *
     * @param properties the {@code hookwire.*} settings
     * @param store the application's store, if any
     * @param ambientTransaction how {@code send} finds the caller's transaction, if known
     * @param customizers the application's customizers, in order
     * @return the dispatcher, not yet started
     */
    @Bean
    Dispatcher hookwireDispatcher(
        HookwireProperties properties,
        ObjectProvider<DeliveryStore> store,
        ObjectProvider<AmbientTransaction> ambientTransaction,
        ObjectProvider<HookwireDispatcherCustomizer> customizers) {
      Dispatcher.Builder builder = Dispatcher.builder();
      DeliveryStore deliveryStore = store.getIfUnique();
      if (deliveryStore != null) {
        builder.store(deliveryStore);
        AmbientTransaction transaction = ambientTransaction.getIfUnique();
        if (transaction != null && deliveryStore instanceof TransactionalDeliveryStore) {
          builder.ambientTransaction(transaction);
        }
      } else {
        log.warn(
            "Hookwire keeps its deliveries in memory: pending work is lost on a restart. Give the"
                + " application a DataSource (or a DeliveryStore bean) to keep it in a database");
      }
      if (properties.getNodeId() != null) {
        builder.nodeId(properties.getNodeId());
      }
      if (properties.getPollInterval() != null) {
        builder.pollInterval(properties.getPollInterval());
      }
      if (properties.getMaxInFlight() != null) {
        builder.maxInFlight(properties.getMaxInFlight());
      }
      if (properties.getMaxInFlightPerEndpoint() != null) {
        builder.maxInFlightPerEndpoint(properties.getMaxInFlightPerEndpoint());
      }
      if (properties.getRetainSucceeded() != null) {
        builder.retainSucceeded(properties.getRetainSucceeded());
      }
      if (properties.getDrainTimeout() != null) {
        builder.drainTimeout(properties.getDrainTimeout());
      }
      builder.networkPolicy(
          NetworkPolicy.builder()
              .allowPrivateNetworks(properties.getNetwork().isAllowPrivateNetworks())
              .build());
      customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
      return builder.build();
    }

    /**
     * Starts and closes the auto-configured dispatcher with the application.
     *
     * @param dispatcher the dispatcher
     * @return the lifecycle
     */
    @Bean
    DispatcherLifecycle hookwireDispatcherLifecycle(Dispatcher dispatcher) {
      return new DispatcherLifecycle(dispatcher);
    }
  }
}
