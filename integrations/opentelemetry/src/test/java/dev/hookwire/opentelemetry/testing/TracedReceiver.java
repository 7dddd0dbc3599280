package dev.hookwire.opentelemetry.testing;

import com.sun.net.httpserver.HttpServer;
import dev.hookwire.receive.ReceiveInterceptor;
import dev.hookwire.receive.ReceiveResult;
import dev.hookwire.receive.WebhookReceiver;
import dev.hookwire.signature.SignatureScheme;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@link WebhookReceiver} behind the JDK's HTTP server on loopback, with a tracing
 * interceptor. It answers 503 to its first {@code failFirst} requests without receiving them,
 * keeps each request's {@code traceparent} header and the span current in its handler.
 * Thread-safe.
 */
public final class TracedReceiver implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger toFail;
  /** Each request's traceparent header, or empty, in order. */
  public final List<Optional<String>> traceparents = Collections.synchronizedList(new ArrayList<>());
  /** The span context current in the handler, each time it ran. */
  public final List<SpanContext> handlerSpans = Collections.synchronizedList(new ArrayList<>());

  public TracedReceiver(String secret, ReceiveInterceptor interceptor, int failFirst) {
    this.toFail = new AtomicInteger(failFirst);
    WebhookReceiver receiver = WebhookReceiver.builder()
        .verifier(SignatureScheme.standardWebhooks(), secret)
        .interceptor(interceptor)
        .onAny(hook -> handlerSpans.add(Span.current().getSpanContext()))
        .build();
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/hooks", exchange -> {
      traceparents.add(Optional.ofNullable(exchange.getRequestHeaders().getFirst("traceparent")));
      byte[] body = exchange.getRequestBody().readNBytes(receiver.maxBodyBytes() + 1);
      if (toFail.getAndDecrement() > 0) {
        exchange.sendResponseHeaders(503, -1);
        exchange.close();
        return;
      }
      ReceiveResult result = receiver.receive(exchange.getRequestHeaders(), body);
      result.headers().forEach(exchange.getResponseHeaders()::set);
      byte[] answer = result.bodyBytes();
      exchange.sendResponseHeaders(result.status(), answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
  }

  /** The URL webhooks go to. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
