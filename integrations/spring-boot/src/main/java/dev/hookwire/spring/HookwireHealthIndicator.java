package dev.hookwire.spring;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.store.DeliveryState;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The dispatcher's health, as Spring Boot Actuator shows it under {@code hookwire}: UP while
 * its store answers, with the backlog ({@code pending} deliveries, across every node sharing the
 * store), the {@code dead} deliveries, the number of {@code endpoints}, and the ids of the {@code
 * disabledEndpoints} (at most {@value #MAX_LISTED}); DOWN, with the store's error, when the store
 * cannot be read. Dead deliveries and disabled endpoints do not make it DOWN: they are the
 * receivers' trouble, not this application's; alert on the details.
 *
 * <p>Each check reads the store: two counts and the endpoint list. Thread-safe.
 */
public final class HookwireHealthIndicator extends AbstractHealthIndicator {
  /** How many disabled endpoints are listed by id. */
  static final int MAX_LISTED = 20;

  private final Dispatcher dispatcher;

  /**
   * Reports on a dispatcher.
   *
   * @param dispatcher the dispatcher
   */
  public HookwireHealthIndicator(Dispatcher dispatcher) {
    super("Hookwire's delivery store cannot be read");
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher == null");
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    long pending = dispatcher.count(DeliveryState.PENDING);
    long dead = dispatcher.count(DeliveryState.DEAD);
    List<Endpoint> endpoints = dispatcher.endpoints();
    List<String> disabled =
        endpoints.stream().filter(e -> !e.enabled()).map(Endpoint::id).limit(MAX_LISTED).toList();
    builder
        .up()
        .withDetail("pending", pending)
        .withDetail("dead", dead)
        .withDetail("endpoints", endpoints.size())
        .withDetail("disabledEndpoints", disabled);
  }
}
