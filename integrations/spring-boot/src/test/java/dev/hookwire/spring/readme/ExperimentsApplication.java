package dev.hookwire.spring.readme;

// The README's Spring Boot section: the regions between "tag::name[]" and "end::name[]" in this
// package are its blocks, word for word. ExperimentsApplicationTest runs the application.

// tag::endpoints[]
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.signature.SignatureScheme;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
// end::endpoints[]

// tag::endpoints[]
@SpringBootApplication
public class ExperimentsApplication {
  public static void main(String[] args) {
    SpringApplication.run(ExperimentsApplication.class, args);
  }

  @Bean   // at start-up; register is idempotent by id, so every instance may run it
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
}
// end::endpoints[]
