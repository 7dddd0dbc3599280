package dev.hookwire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.receive.ReceiveResult;
import dev.hookwire.receive.WebhookReceiver;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class WebhookHandlerTest {
  private static final String SECRET = Secrets.newStandardSecret();

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  HookwireAutoConfiguration.class, HookwireReceiverAutoConfiguration.class))
          .withPropertyValues("hookwire.receiver.secrets=" + SECRET);

  @Test
  void withoutSecrets_thereIsNoReceiver() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HookwireReceiverAutoConfiguration.class))
        .withBean(Handlers.class)
        .run(context -> assertThat(context).doesNotHaveBean(WebhookReceiver.class));
  }

  @Test
  void eachHandlerGetsItsTypes_withTheDataReadAsItsParametersTypeArgument() {
    runner
        .withBean(Handlers.class)
        .run(
            context -> {
              WebhookReceiver receiver = context.getBean(WebhookReceiver.class);
              Handlers handlers = context.getBean(Handlers.class);

              assertThat(receive(receiver, "order.paid", Map.of("total", 42)).outcome())
                  .isEqualTo(ReceiveResult.Outcome.PROCESSED);
              assertThat(receive(receiver, "order.refunded", Map.of("total", 5)).outcome())
                  .isEqualTo(ReceiveResult.Outcome.PROCESSED);
              assertThat(receive(receiver, "order.paid", Map.of("total", "many")).outcome())
                  .isEqualTo(ReceiveResult.Outcome.MALFORMED);
              assertThat(receive(receiver, "order.failed", Map.of("total", 1)).outcome())
                  .isEqualTo(ReceiveResult.Outcome.HANDLER_FAILED);

              assertThat(handlers.calls)
                  .containsExactly("paid " + new Order(42), "other JsonNode order.refunded", "other JsonNode order.failed");
            });
  }

  @Test
  void aHandlerNotTakingAWebhookEvent_failsTheStart_namingTheMethod() {
    runner
        .withBean(WrongParameter.class)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("WrongParameter#paid")
                    .hasMessageContaining("exactly one parameter, a WebhookEvent<T>"));
  }

  @Test
  void twoHandlersOfOneType_failTheStart_namingBoth() {
    runner
        .withBean(Handlers.class)
        .withBean(SamePattern.class)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("two @WebhookHandler(\"order.paid\") methods")
                    .hasMessageContaining("Handlers#paid")
                    .hasMessageContaining("SamePattern#paid"));
  }

  private static ReceiveResult receive(WebhookReceiver receiver, String type, Object data) {
    WebhookEvent<Object> event = WebhookEvent.create(type, data);
    byte[] body = EventCodec.ofDefaults().encode(event);
    Map<String, List<String>> headers =
        SignatureScheme.standardWebhooks().signer(SECRET).sign(event.id(), Instant.now(), body)
            .entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
    return receiver.receive(headers, body);
  }

  /** An event's data, as the application models it. */
  record Order(int total) {}

  static class Handlers {
    final List<String> calls = new ArrayList<>();

    @WebhookHandler("order.paid")
    void paid(WebhookEvent<Order> event) {
      calls.add("paid " + event.data());
    }

    @WebhookHandler("order.*")
    void other(WebhookEvent<?> event) {
      calls.add("other " + (event.data() instanceof JsonNode ? "JsonNode " : "") + event.type());
      if (event.type().equals("order.failed")) {
        throw new IllegalStateException("not today");
      }
    }
  }

  static class SamePattern {
    @WebhookHandler("order.paid")
    void paid(WebhookEvent<Order> event) {}
  }

  static class WrongParameter {
    @WebhookHandler("order.paid")
    void paid(Order order) {}
  }
}
