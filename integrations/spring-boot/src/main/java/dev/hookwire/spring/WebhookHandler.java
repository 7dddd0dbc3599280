package dev.hookwire.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a Spring bean as the handler of received webhooks of an event type, for the
 * auto-configured {@link dev.hookwire.receive.WebhookReceiver}.
 *
 * <p><b>The rule:</b> the method takes exactly one parameter, a {@link
 * dev.hookwire.event.WebhookEvent WebhookEvent&lt;T&gt;}; the event's data is read as {@code T}
 * ({@code ExperienceEvent}, {@code GoalEvent}, a record of the application's, a {@code Map}, a
 * {@code JsonNode}); with {@code WebhookEvent<?>} or {@code WebhookEvent<Object>} it is what the
 * codec reads for the type. Its return value is ignored. Returning means processed (200);
 * throwing means not processed (500), and the sender retries. Data that does not fit {@code T}
 * is answered 400 without calling the method.
 *
 * <pre>{@code
 * @Component
 * class ExperimentWebhooks {
 *   @WebhookHandler("experience.*")
 *   void experience(WebhookEvent<ExperienceEvent> event) { ... }
 * }
 * }</pre>
 *
 * <p>Each type or pattern has one handler in the application; a second fails the start, naming
 * both. Handlers run on the request's thread, once per webhook id, and must be thread-safe.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WebhookHandler {

  /**
   * The event type: exact ({@code "goal.achieved"}), a prefix pattern ({@code "experience.*"}),
   * or {@code "*"} for every type no other handler takes. Exact types win over patterns, longer
   * patterns over shorter ones.
   *
   * @return the type or pattern
   */
  String value();
}
