package dev.hookwire.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.opentelemetry.testing.RecordingSpans;
import dev.hookwire.receive.ReceiveResult;
import dev.hookwire.receive.WebhookReceiver;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.transport.NetworkPolicy;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
// tag::wiring[]
import dev.hookwire.opentelemetry.HookwireTracing;
import io.opentelemetry.api.trace.Span;
// end::wiring[]

/** The README's "Tracing with OpenTelemetry" snippet, run: one trace from send to the handler. */
class ReadmeExampleTest {
  @Test
  @SuppressWarnings("try") // the scope is there to be closed
  void theReadmesWiring_tracesFromSendToTheHandler() throws Exception {
    AtomicReference<WebhookReceiver> served = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hooks", exchange -> {
      WebhookReceiver r = served.get();
      ReceiveResult result = r.receive(exchange.getRequestHeaders(), exchange.getRequestBody().readNBytes(r.maxBodyBytes() + 1));
      exchange.sendResponseHeaders(result.status(), -1);
      exchange.close();
    });
    server.start();
    String endpointUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    String secret = Secrets.newStandardSecret();

    try (RecordingSpans spans = new RecordingSpans()) {
      OpenTelemetry openTelemetry = spans.openTelemetry();
      // tag::wiring[]
      HookwireTracing tracing = HookwireTracing.builder(openTelemetry)   // yours: the SDK, or GlobalOpenTelemetry.get()
          .continueIncomingTraces(true)          // the receiver below hears only our own sender
          .build();                              // thread-safe: one for the application

      Dispatcher tracedDispatcher = Dispatcher.builder()
          .tracer(tracing.deliveryTracer())      // send(...) keeps the current span's context
          .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build())   // as above
          .build();
      tracedDispatcher.register(Endpoint.builder(endpointUrl)
          .signing(SignatureScheme.standardWebhooks(), secret)
          .sendTraceContext(true)                // our own receiver: it may see our trace ids
          .build());
      tracedDispatcher.start();

      WebhookReceiver tracedReceiver = WebhookReceiver.builder()
          .verifier(SignatureScheme.standardWebhooks(), secret)
          .interceptor(tracing.receiveInterceptor())
          .onExperience(hook -> System.out.println(   // the receive span is current in handlers
              hook.data().name() + " in trace " + Span.current().getSpanContext().getTraceId()))
          .build();
      // end::wiring[]
      served.set(tracedReceiver);

      Span checkout = openTelemetry.getTracer("app").spanBuilder("checkout").startSpan();
      try (Scope scope = checkout.makeCurrent()) {
        tracedDispatcher.send(TestEvents.experienceStarted().toEvent());
      } finally {
        checkout.end();
      }
      List<SpanData> ended = spans.await(list -> list.stream().anyMatch(s -> s.getKind() == SpanKind.CLIENT)
          && list.stream().anyMatch(s -> s.getKind() == SpanKind.CONSUMER), Duration.ofSeconds(10));
      tracedDispatcher.close(Duration.ZERO);

      String trace = checkout.getSpanContext().getTraceId();
      assertThat(ended).filteredOn(s -> s.getKind() != SpanKind.INTERNAL).hasSize(2)
          .allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(trace));
    } finally {
      server.stop(0);
    }
  }
}
