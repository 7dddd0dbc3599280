package example.consumer;

import dev.hookwire.event.WebhookEvent;
import dev.hookwire.spring.WebhookHandler;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

/** An application that sends webhooks and receives them at its own endpoint. */
@SpringBootApplication
public class ConsumerApplication {
  public static void main(String[] args) {
    SpringApplication.run(ConsumerApplication.class, args);
  }

  /** Keeps the ids of the webhooks it receives, in arrival order. */
  @Component
  public static class ReceivedWebhooks {
    final BlockingQueue<String> ids = new LinkedBlockingQueue<>();

    @WebhookHandler("*")
    void any(WebhookEvent<?> event) {
      ids.add(event.id());
    }
  }
}
