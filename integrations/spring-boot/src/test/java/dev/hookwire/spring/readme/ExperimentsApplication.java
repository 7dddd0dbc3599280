package dev.hookwire.spring.readme;

// The README's Spring Boot section: the regions between "tag::name[]" and "end::name[]" are its
// blocks, word for word. ExperimentsApplicationTest runs this application.

// tag::endpoints[]
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.signature.SignatureScheme;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

// end::endpoints[]
import org.springframework.boot.SpringApplication;

/** An application that records experiments, sends their events, and receives them back. */
// tag::endpoints[]
@SpringBootApplication
public class ExperimentsApplication {
  /** Registers the endpoints at start-up: idempotent by id, so every instance may do it. */
  @Bean
  ApplicationRunner registerEndpoints(
      Dispatcher dispatcher,
      @Value("${experiments.webhook-url}") String url,
      @Value("${experiments.webhook-secret}") String secret) {
    return args -> dispatcher.register(Endpoint.builder(url)
        .id("experiments")
        .subscribe("experience.*")
        .signing(SignatureScheme.standardWebhooks(), secret)
        .build());
  }
  // end::endpoints[]

  /**
   * Runs the application.
   *
   * @param args Spring Boot's arguments
   */
  public static void main(String[] args) {
    SpringApplication.run(ExperimentsApplication.class, args);
  }
// tag::endpoints[]
}
// end::endpoints[]
