package dev.hookwire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.dispatch.AmbientTransaction;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import dev.hookwire.store.spi.DeliveryStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.annotation.Order;

@ExtendWith(OutputCaptureExtension.class)
class HookwireAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(HookwireAutoConfiguration.class));

  private final ApplicationContextRunner withDatabase =
      runner
          .withConfiguration(
              AutoConfigurations.of(
                  DataSourceAutoConfiguration.class,
                  DataSourceTransactionManagerAutoConfiguration.class))
          .withPropertyValues("spring.datasource.generate-unique-name=true");

  @Test
  void withoutADataSource_theDispatcherKeepsItsWorkInMemory_andSaysSo(CapturedOutput output) {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(Dispatcher.class);
          assertThat(context).doesNotHaveBean(DeliveryStore.class);
          assertThat(context).doesNotHaveBean(AmbientTransaction.class);
          assertThat(context.getBean(Dispatcher.class).toString()).contains("RUNNING");
          assertThat(output).contains("pending work is lost on a restart");
        });
  }

  @Test
  void withADataSource_theStoreIsJdbc_withTheConfiguredPrefix_andJoinsSpringTransactions() {
    withDatabase
        .withPropertyValues("hookwire.store.table-prefix=app_hooks_")
        .run(
            context -> {
              assertThat(context).hasSingleBean(JdbcDeliveryStore.class);
              assertThat(context.getBean(JdbcDeliveryStore.class).tablePrefix()).isEqualTo("app_hooks_");
              assertThat(context).hasSingleBean(SpringAmbientTransaction.class);
              assertThat(context.getBean(Dispatcher.class).toString()).contains("RUNNING");
            });
  }

  @Test
  void withSchemaCreationOff_anEmptyDatabase_failsTheStartNamingTheScriptAndTheProperty() {
    withDatabase
        .withPropertyValues("hookwire.store.create-schema=false")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("schema-h2.sql")
                    .hasStackTraceContaining("(here: hookwire.store.create-schema=true)"));
  }

  @Test
  void theProperties_andThenTheCustomizersInOrder_shapeTheDispatcher() {
    List<String> calls = new ArrayList<>();
    runner
        .withPropertyValues("hookwire.node-id=node-a", "hookwire.max-in-flight=7")
        .withBean("second", HookwireDispatcherCustomizer.class, () -> new Second(calls))
        .withBean("first", HookwireDispatcherCustomizer.class, () -> new First(calls))
        .run(
            context -> {
              assertThat(calls).containsExactly("first", "second");
              assertThat(context.getBean(Dispatcher.class).toString()).contains("node-b");
            });
  }

  @Test
  void theApplicationsOwnDispatcher_replacesTheStartersAndItsLifecycle() {
    Dispatcher own = Dispatcher.builder().nodeId("own").build();
    runner
        .withBean(Dispatcher.class, () -> own)
        .run(
            context -> {
              assertThat(context.getBean(Dispatcher.class)).isSameAs(own);
              assertThat(context).doesNotHaveBean(DispatcherLifecycle.class);
              assertThat(own.toString()).contains("NEW");
            });
  }

  @Test
  void theApplicationsOwnStore_replacesTheJdbcStore() {
    DeliveryStore own = dev.hookwire.store.memory.InMemoryDeliveryStore.builder().build();
    withDatabase
        .withBean(DeliveryStore.class, () -> own)
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(JdbcDeliveryStore.class);
              assertThat(context.getBean(DeliveryStore.class)).isSameAs(own);
              assertThat(context).hasSingleBean(Dispatcher.class);
            });
  }

  @Test
  void closingTheApplication_closesTheDispatcher() {
    Dispatcher[] dispatcher = new Dispatcher[1];
    runner.run(context -> dispatcher[0] = context.getBean(Dispatcher.class));
    assertThat(dispatcher[0].toString()).contains("CLOSED");
  }

  @Test
  void theSettings_haveConfigurationMetadata_forIdes() throws IOException {
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      String metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(metadata)
          .contains(
              "\"hookwire.network.allow-private-networks\"",
              "\"hookwire.store.create-schema\"",
              "\"hookwire.max-in-flight-per-endpoint\"",
              "\"hookwire.receiver.secrets\"");
    }
  }

  @Order(1)
  private record First(List<String> calls) implements HookwireDispatcherCustomizer {
    @Override
    public void customize(Dispatcher.Builder builder) {
      calls.add("first");
      builder.nodeId("node-z");
    }
  }

  @Order(2)
  private record Second(List<String> calls) implements HookwireDispatcherCustomizer {
    @Override
    public void customize(Dispatcher.Builder builder) {
      calls.add("second");
      builder.nodeId("node-b");
    }
  }
}
