// Run: mvn -B -q -pl examples -am compile exec:java -Dexec.mainClass=dev.hookwire.examples.spring.SpringBootStarterExample
package dev.hookwire.examples.spring;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.event.ExperienceAction;
import dev.hookwire.event.ExperienceEvent;
import dev.hookwire.event.ExperienceType;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.spring.WebhookHandler;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * An application on the Spring Boot starter, sending to and receiving from itself: it starts
 * on a free loopback port with an in-memory H2 database, registers its own {@code /webhooks} as
 * an endpoint, starts an experience in a transaction that commits (its event arrives, verified, at
 * the {@code @WebhookHandler} method) and pauses one in a transaction that rolls back (its event
 * is never stored), prints what happened, and stops.
 */
@SpringBootApplication
public class SpringBootStarterExample {
  private static final String SECRET = Secrets.newStandardSecret();

  /** For Spring. */
  public SpringBootStarterExample() {}

  /** Changes experiences and sends their events in the same transactions. */
  @Service
  public static class Experiences {
    private final JdbcTemplate jdbc;
    private final Dispatcher dispatcher;

    Experiences(JdbcTemplate jdbc, Dispatcher dispatcher) {
      this.jdbc = jdbc;
      this.dispatcher = dispatcher;
    }

    /**
     * Records an experience's new state and sends its event; the event is stored in the same
     * transaction, so it is sent if and only if the change commits.
     *
     * @param event the experience's event
     * @param fail whether to fail after sending, rolling both back
     */
    @Transactional
    public void change(WebhookEvent<ExperienceEvent> event, boolean fail) {
      jdbc.update("UPDATE experiences SET state = ? WHERE id = ?",
          event.data().action().name(), event.data().experienceId());
      dispatcher.send(event);
      if (fail) {
        throw new IllegalStateException("the change failed after sending");
      }
    }

    /**
     * Returns an experience's state.
     *
     * @param id the experience
     * @return its state
     */
    public String state(String id) {
      return jdbc.queryForObject("SELECT state FROM experiences WHERE id = ?", String.class, id);
    }
  }

  /** Takes the webhooks that arrive. */
  @Component
  public static class ExperienceWebhooks {
    final BlockingQueue<WebhookEvent<ExperienceEvent>> received = new LinkedBlockingQueue<>();

    @WebhookHandler("experience.*")
    void experience(WebhookEvent<ExperienceEvent> event) {
      received.add(event);
    }
  }

  /**
   * Runs the example.
   *
   * @param args Spring Boot's arguments
   * @return what happened, one line each, as printed
   * @throws InterruptedException if interrupted while waiting for the webhook
   */
  public static List<String> run(String... args) throws InterruptedException {
    SpringApplication application = new SpringApplication(SpringBootStarterExample.class);
    application.setBannerMode(Banner.Mode.OFF);
    application.setLogStartupInfo(false);
    application.setDefaultProperties(
        Map.of(
            "server.address", "127.0.0.1",
            "server.port", "0",
            "logging.level.root", "warn",
            "hookwire.receiver.secrets", SECRET,
            // Only because the endpoint is this application, on loopback.
            "hookwire.network.allow-private-networks", "true"));
    try (ConfigurableApplicationContext context = application.run(args)) {
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      Dispatcher dispatcher = context.getBean(Dispatcher.class);
      dispatcher.register(Endpoint.builder("http://127.0.0.1:" + port + "/webhooks")
          .id("experiments")
          .subscribe("experience.*")
          .signing(SignatureScheme.standardWebhooks(), SECRET)
          .build());
      Experiences experiences = context.getBean(Experiences.class);
      ExperienceWebhooks webhooks = context.getBean(ExperienceWebhooks.class);

      WebhookEvent<ExperienceEvent> paused = experience(ExperienceAction.PAUSED).toEvent();
      try {
        experiences.change(paused, true);
      } catch (IllegalStateException e) {
        System.out.println(
            "rolled back: state " + experiences.state("exp_8c1f") + ", "
                + dispatcher.deliveries(paused.id()).size() + " deliveries stored");
      }
      experiences.change(experience(ExperienceAction.STARTED).toEvent(), false);
      System.out.println("committed: state " + experiences.state("exp_8c1f"));

      WebhookEvent<ExperienceEvent> received = webhooks.received.poll(10, TimeUnit.SECONDS);
      List<String> lines =
          List.of(
              received == null
                  ? "nothing received within 10 s"
                  : "received " + received.type() + " for " + received.data().experienceId()
                      + " (" + received.data().name() + ")",
              "received in all: " + (received == null ? 0 : 1 + webhooks.received.size()));
      lines.forEach(System.out::println);
      return lines;
    }
  }

  /**
   * Runs the example.
   *
   * @param args Spring Boot's arguments
   * @throws InterruptedException if interrupted
   */
  public static void main(String[] args) throws InterruptedException {
    run(args);
  }

  private static ExperienceEvent experience(ExperienceAction action) {
    return ExperienceEvent.builder()
        .experienceId("exp_8c1f")
        .name("Free shipping over $50")
        .experienceType(ExperienceType.SHIPPING)
        .action(action)
        .timestamp(Instant.now())
        .triggeredBy("ana@example.com")
        .build();
  }
}
