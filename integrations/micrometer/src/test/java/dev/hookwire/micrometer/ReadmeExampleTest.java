package dev.hookwire.micrometer;

// The README's "Metrics with Micrometer" snippet: the region between "tag::micrometer[]" and
// "end::micrometer[]" is the README's block word for word (examples' ReadmeSnippetsTest checks it).

// tag::micrometer[]
import dev.hookwire.dispatch.*;
import dev.hookwire.micrometer.*;
import dev.hookwire.receive.*;
import dev.hookwire.signature.*;
import dev.hookwire.transport.NetworkPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
// end::micrometer[]

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.testing.TestEvents;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs the README's snippet against a receiver on loopback, and checks what it measured. */
class ReadmeExampleTest {
  @Test
  void theReadmeSnippet_measuresWhatItSendsAndReceives() throws Exception {
    String secret = Secrets.newStandardSecret();
    try (LoopbackServer server = new LoopbackServer()) {
      String endpointUrl = server.url("/status/204");

      // tag::micrometer[]
      MeterRegistry registry = new SimpleMeterRegistry();   // or your application's (Spring Boot's, Prometheus...)
      HookwireMetrics metrics = HookwireMetrics.builder(registry)
          .tagEndpoints(true)                               // a few endpoints you know: see below
          .build();

      Dispatcher meteredDispatcher = Dispatcher.builder()
          .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build())   // endpointUrl is local
          .listener(metrics.deliveryListener())             // attempts, lag, dead deliveries
          .build();
      DispatcherGauges gauges = metrics.bindTo(meteredDispatcher);   // backlog, disabled endpoints
      meteredDispatcher.register(Endpoint.builder(endpointUrl)
          .id("experiments")
          .signing(SignatureScheme.standardWebhooks(), secret)
          .build());

      WebhookReceiver meteredReceiver = WebhookReceiver.builder()
          .verifier(SignatureScheme.standardWebhooks(), secret)
          .listener(metrics.receiveListener())              // requests by outcome
          .onExperience(hook -> System.out.println(hook.data().name()))
          .build();
      // end::micrometer[]
      try {
        meteredDispatcher.start();
        meteredDispatcher.send(TestEvents.experienceStarted().toEvent());
        WebhookEvent<?> event = TestEvents.experienceStarted().toEvent();
        byte[] body = EventCodec.ofDefaults().encode(event);
        Map<String, String> headers = SignatureScheme.standardWebhooks().signer(secret).sign(event.id(), Instant.now(), body);
        meteredReceiver.receive(WebhookHeaders.of(headers), body);
        server.awaitAnswer();   // the attempt is in flight: close() waits for it and its listeners
        assertThat(registry.get(HookwireMetrics.QUEUE_SIZE).tag("state", "dead").gauge().value()).isZero();
      } finally {
        // tag::micrometer[]
        // ...when the application stops:
        gauges.close();                                   // removes the dispatcher's gauges
        meteredDispatcher.close();
        // end::micrometer[]
      }

      assertThat(registry.get(HookwireMetrics.ATTEMPTS).tags("outcome", "success", "endpoint", "experiments")
          .counter().count()).isEqualTo(1);
      assertThat(registry.get(HookwireMetrics.DELIVERY_LAG).tags("attempt", "first", "endpoint", "experiments")
          .timer().count()).isEqualTo(1);
      assertThat(registry.get(HookwireMetrics.RECEIVED).tag("outcome", "processed").counter().count())
          .isEqualTo(1);
      assertThat(registry.find(HookwireMetrics.QUEUE_SIZE).gauge()).isNull();
    }
  }
}
