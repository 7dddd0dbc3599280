package dev.hookwire.spring.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.spring.WebhookHandler;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * A host's own event data, in an application whose JSON is Jackson 3 set to snake_case: Hookwire
 * writes and reads the host's record with its own Jackson 2 codec, unaffected by the
 * application's JSON settings, so that a webhook's body (and so its signature) does not change
 * when the application's JSON settings do. The record needs nothing from either Jackson.
 */
@SpringBootTest(
    classes = HostDataClassesTest.Application.class,
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = {
      "server.address=127.0.0.1",
      "hookwire.network.allow-private-networks=true",
      "spring.jackson.property-naming-strategy=SNAKE_CASE"
    })
class HostDataClassesTest {
  private static final String SECRET = Secrets.newStandardSecret();
  private static final int PORT = freePort();

  /** A host's event data: a plain record of the application's model. */
  public record OrderPaid(String orderId, long amountInCents, String currency) {}

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Payments.class)
  static class Application {
    @Bean
    BlockingQueue<OrderPaid> paidOrders() {
      return new LinkedBlockingQueue<>();
    }
  }

  /** The application's handler of its own event type. */
  @Component
  static class Payments {
    private final BlockingQueue<OrderPaid> paid;

    Payments(BlockingQueue<OrderPaid> paid) {
      this.paid = paid;
    }

    @WebhookHandler("order.paid")
    void on(WebhookEvent<OrderPaid> event) {
      paid.add(event.data());
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("server.port", () -> PORT);
    registry.add("hookwire.receiver.secrets", () -> SECRET);
  }

  @Autowired Dispatcher dispatcher;
  @Autowired BlockingQueue<OrderPaid> paid;
  @Autowired JsonMapper applicationJson;

  @Test
  void aHostRecord_goesOutAndComesBackThroughHookwiresCodec_whateverTheApplicationsJsonSettings()
      throws Exception {
    dispatcher.register(Endpoint.builder("http://127.0.0.1:" + PORT + "/webhooks")
        .id("payments")
        .signing(SignatureScheme.standardWebhooks(), SECRET)
        .build());
    OrderPaid order = new OrderPaid("ord_42", 4200, "EUR");
    WebhookEvent<OrderPaid> event = WebhookEvent.create("order.paid", order);

    dispatcher.send(event);

    assertThat(paid.poll(10, TimeUnit.SECONDS)).isEqualTo(order);
    // The application's own JSON is snake_case; the webhook's body is Hookwire's, camelCase.
    assertThat(applicationJson.writeValueAsString(order)).contains("\"order_id\":\"ord_42\"");
    String body = new String(EventCodec.ofDefaults().encode(event), StandardCharsets.UTF_8);
    assertThat(body).contains("\"data\":{\"orderId\":\"ord_42\",\"amountInCents\":4200,\"currency\":\"EUR\"}");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
