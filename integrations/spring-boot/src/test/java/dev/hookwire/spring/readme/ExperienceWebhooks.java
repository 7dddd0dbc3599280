package dev.hookwire.spring.readme;

// tag::receiving[]
import dev.hookwire.event.ExperienceEvent;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.spring.WebhookHandler;
import org.springframework.stereotype.Component;
// end::receiving[]

// tag::receiving[]
@Component
class ExperienceWebhooks {
  private final ReceivedExperiences received;   // yours: whatever acts on them

  ExperienceWebhooks(ReceivedExperiences received) {
    this.received = received;
  }

  @WebhookHandler("experience.*")               // one parameter, WebhookEvent<T>: data read as T
  void experience(WebhookEvent<ExperienceEvent> event) {
    received.add(event.data());                 // return: 200; throw: 500, and the sender retries
  }
}
// end::receiving[]
