// Run: mvn -B -q -pl examples -am compile exec:java -Dexec.mainClass=dev.hookwire.examples.ReceiveWithJdkServer
// Keep it running for a real sender: add -Dexec.args=--serve (and set HOOKWIRE_SECRET).
package dev.hookwire.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hookwire.receive.ReceiveResult;
import dev.hookwire.receive.WebhookReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Receives webhooks with the JDK's own {@code com.sun.net.httpserver.HttpServer}: starts it on
 * loopback, sends it a signed webhook, the same again, and a tampered copy, prints each answer
 * (200 processed, 200 duplicate, 401), and stops. With {@code --serve} it keeps listening.
 */
public final class ReceiveWithJdkServer {
  private ReceiveWithJdkServer() {}

  /**
   * Runs the example.
   *
   * @param args {@code --serve} to keep the server running
   * @throws Exception if the server cannot start or a request fails
   */
  public static void main(String[] args) throws Exception {
    String secret = ReceiveDemo.secret();
    WebhookReceiver receiver = ReceiveDemo.receiver(secret);
    int port = ReceiveDemo.serve(args) ? 8080 : 0;
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/hooks", exchange -> handle(receiver, exchange));
    server.start();
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks");
    try {
      if (ReceiveDemo.serve(args)) {
        ReceiveDemo.serveUntilStopped(url);
      } else {
        ReceiveDemo.sendSamples(url, secret);
      }
    } finally {
      server.stop(0);
    }
  }

  private static void handle(WebhookReceiver receiver, HttpExchange exchange) throws IOException {
    // The raw body matters: the signature covers these exact bytes, which a parsed and
    // re-serialised body would not reproduce. Read no more than the limit and one byte.
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(receiver.maxBodyBytes() + 1);
    }
    ReceiveResult result = receiver.receive(exchange.getRequestHeaders(), body);
    result.headers().forEach(exchange.getResponseHeaders()::set);
    byte[] text = result.bodyBytes();
    exchange.sendResponseHeaders(result.status(), text.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(text);
    }
  }
}
