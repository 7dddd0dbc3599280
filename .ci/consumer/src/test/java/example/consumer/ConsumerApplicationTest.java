package example.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.dispatch.DeliveryListener;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.spring.HookwireDispatcherCustomizer;
import dev.hookwire.store.AttemptRecord;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The starter, as an application outside Hookwire's build gets it: from the BOM, on loopback. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "hookwire.network.allow-private-networks=true"})
class ConsumerApplicationTest {
  private static final String SECRET = Secrets.newStandardSecret();
  private static final BlockingQueue<AttemptRecord> SUCCEEDED = new LinkedBlockingQueue<>();

  @LocalServerPort int port;
  @Autowired Dispatcher dispatcher;
  @Autowired ConsumerApplication.ReceivedWebhooks received;
  @Autowired MeterRegistry registry;

  @DynamicPropertySource
  static void secrets(DynamicPropertyRegistry properties) {
    properties.add("hookwire.receiver.secrets", () -> SECRET);
  }

  @Test
  void theRunningDispatcher_deliversToTheApplicationsOwnEndpoint_andIsMetered() throws Exception {
    assertThat(dispatcher.toString()).contains("RUNNING");
    dispatcher.register(
        Endpoint.builder("http://127.0.0.1:" + port + "/webhooks")
            .id("self")
            .signing(SignatureScheme.standardWebhooks(), SECRET)
            .build());
    WebhookEvent<Object> event = WebhookEvent.create("order.paid", Map.of("total", 42));

    dispatcher.send(event);

    assertThat(received.ids.poll(10, TimeUnit.SECONDS)).isEqualTo(event.id());
    // The sender hears of the success after the endpoint answered, by when the receiver's meters
    // have counted the request, and after the dispatcher's have counted the attempt.
    assertThat(SUCCEEDED.poll(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(registry.get("hookwire.received").tag("outcome", "processed").counter().count())
        .isEqualTo(1.0);
    assertThat(registry.get("hookwire.attempts").tag("outcome", "success").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void anUnsignedPost_isRefused() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
  }

  @TestConfiguration
  static class Successes {
    @Bean
    HookwireDispatcherCustomizer successes() {
      return builder ->
          builder.listener(
              new DeliveryListener() {
                @Override
                public void attemptSucceeded(AttemptRecord attempt) {
                  SUCCEEDED.add(attempt);
                }
              });
    }
  }
}
