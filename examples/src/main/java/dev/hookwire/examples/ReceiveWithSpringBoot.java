// Run: mvn -B -q -pl examples -am compile exec:java -Dexec.mainClass=dev.hookwire.examples.ReceiveWithSpringBoot
// Keep it running for a real sender: add -Dexec.args=--serve (and set HOOKWIRE_SECRET).
package dev.hookwire.examples;

import dev.hookwire.receive.ReceiveResult;
import dev.hookwire.receive.WebhookReceiver;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Receives webhooks in a Spring Boot {@code @RestController}: starts the application on a free
 * loopback port, sends it a signed webhook, the same again, and a tampered copy, prints each
 * answer (200 processed, 200 duplicate, 401), and stops. With {@code --serve} it keeps listening
 * on port 8080.
 */
// Wired by hand, to show what it takes: the starter's auto-configuration (on this module's class
// path for SpringBootStarterExample) is left out, and nothing is scanned but the controller.
@SpringBootConfiguration
@Import(ReceiveWithSpringBoot.WebhookController.class)
@EnableAutoConfiguration(excludeName = {
    "dev.hookwire.spring.HookwireAutoConfiguration",
    "dev.hookwire.spring.HookwireHealthAutoConfiguration",
    "dev.hookwire.spring.HookwireReceiverAutoConfiguration",
    "dev.hookwire.spring.HookwireWebhookEndpointAutoConfiguration",
    "dev.hookwire.spring.HookwireMetricsAutoConfiguration",
    "dev.hookwire.spring.HookwireTracingAutoConfiguration"})
public class ReceiveWithSpringBoot {
  /** Spring builds the receiver bean; the demo sender signs with the same secret. */
  private static final String SECRET = ReceiveDemo.secret();

  /** For Spring. */
  public ReceiveWithSpringBoot() {}

  /**
   * The receiver, one for the application: it is thread-safe.
   *
   * @return the receiver
   */
  @Bean
  WebhookReceiver webhookReceiver() {
    return ReceiveDemo.receiver(SECRET);
  }

  /** The endpoint: raw bytes and headers in, the receiver's answer out. */
  @RestController
  static class WebhookController {
    private final WebhookReceiver receiver;

    WebhookController(WebhookReceiver receiver) {
      this.receiver = receiver;
    }

    /**
     * Receives one webhook.
     *
     * @param headers every request header
     * @param body the body as bytes
     * @return the receiver's answer
     */
    @PostMapping("/hooks")
    ResponseEntity<String> receive(
        @RequestHeader HttpHeaders headers, @RequestBody(required = false) byte[] body) {
      // The raw body matters: byte[] gets the exact bytes that were signed; a @RequestBody
      // bound to an object or a String would be parsed or decoded, and no longer verify.
      Map<String, List<String>> all = new LinkedHashMap<>();
      headers.forEach(all::put);
      ReceiveResult result = receiver.receive(all, body == null ? new byte[0] : body);
      ResponseEntity.BodyBuilder response = ResponseEntity.status(result.status());
      result.headers().forEach(response::header);
      return response.body(result.body());
    }
  }

  /**
   * Runs the example.
   *
   * @param args {@code --serve} to keep the server running
   * @throws Exception if a request fails
   */
  public static void main(String[] args) throws Exception {
    // Spring logs through SLF4J (slf4j-simple here): keep it to warnings.
    System.setProperty("org.slf4j.simpleLogger.log.org.springframework", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache", "warn");
    boolean serve = ReceiveDemo.serve(args);
    SpringApplication application = new SpringApplication(ReceiveWithSpringBoot.class);
    application.setBannerMode(Banner.Mode.OFF);
    application.setLogStartupInfo(false);
    application.setDefaultProperties(
        Map.of(
            "server.address", "127.0.0.1",
            "server.port", serve ? "8080" : "0",
            "logging.level.root", "warn"));
    try (ConfigurableApplicationContext context = application.run(args)) {
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      URI url = URI.create("http://127.0.0.1:" + port + "/hooks");
      if (serve) {
        ReceiveDemo.serveUntilStopped(url);
      } else {
        ReceiveDemo.sendSamples(url, SECRET);
      }
    }
  }
}
