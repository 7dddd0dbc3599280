package dev.hookwire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.hookwire.dispatch.DeliveryListener;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.AttemptRecord;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class DispatcherLifecycleTest {

  @Test
  void closingTheApplication_waitsForTheRequestInFlight() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<AttemptRecord> succeeded = new CompletableFuture<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
          }
          arrived.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    try {
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(HookwireAutoConfiguration.class))
          .withPropertyValues("hookwire.network.allow-private-networks=true", "hookwire.drain-timeout=10s")
          .withBean(
              HookwireDispatcherCustomizer.class,
              () -> builder -> builder.listener(new DeliveryListener() {
                @Override
                public void attemptSucceeded(AttemptRecord attempt) {
                  succeeded.complete(attempt);
                }
              }))
          .run(
              context -> {
                Dispatcher dispatcher = context.getBean(Dispatcher.class);
                dispatcher.register(
                    Endpoint.builder("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks")
                        .signing(SignatureScheme.standardWebhooks(), Secrets.newStandardSecret())
                        .build());
                dispatcher.send(WebhookEvent.create("experience.updated", Map.of("n", 1)));
                assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

                CompletableFuture<Void> closed =
                    CompletableFuture.runAsync(
                        () -> context.getSourceApplicationContext().close());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!dispatcher.toString().contains("CLOSING") && System.nanoTime() < deadline) {
                  Thread.onSpinWait();
                }
                assertThat(dispatcher.toString()).contains("CLOSING");
                assertThat(closed).isNotDone();

                release.countDown();
                closed.get(10, TimeUnit.SECONDS);
                assertThat(succeeded).isCompleted();
                assertThat(succeeded.get().status()).isEqualTo(200);
                assertThat(dispatcher.toString()).contains("CLOSED");
              });
    } finally {
      server.stop(0);
    }
  }
}
