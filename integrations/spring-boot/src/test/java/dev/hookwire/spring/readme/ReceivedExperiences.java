package dev.hookwire.spring.readme;

import dev.hookwire.event.ExperienceEvent;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** The experiences the application received, for its test to wait on. Thread-safe. */
@Component
public class ReceivedExperiences {
  private final BlockingQueue<ExperienceEvent> received = new LinkedBlockingQueue<>();

  void add(ExperienceEvent experience) {
    received.add(experience);
  }

  /**
   * Waits for the next experience received.
   *
   * @param timeout how long to wait
   * @return the experience
   * @throws InterruptedException if interrupted
   * @throws AssertionError if none came in time
   */
  public ExperienceEvent next(Duration timeout) throws InterruptedException {
    ExperienceEvent e = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      throw new AssertionError("no experience received within " + timeout);
    }
    return e;
  }

  /**
   * Returns whether nothing is waiting to be taken.
   *
   * @return whether the queue is empty
   */
  public boolean isEmpty() {
    return received.isEmpty();
  }
}
