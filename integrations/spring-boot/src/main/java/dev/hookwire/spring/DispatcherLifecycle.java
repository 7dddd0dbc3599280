package dev.hookwire.spring;

import dev.hookwire.dispatch.Dispatcher;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the auto-configured dispatcher once the application context is refreshed, and closes it
 * on shutdown, waiting up to its drain timeout ({@code hookwire.drain-timeout}) for requests in
 * flight; deliveries not yet attempted stay pending in the store. In the last phase: it starts
 * after, and stops before, the web server and everything else in the host's lifecycle. A closed
 * dispatcher cannot start again.
 */
final class DispatcherLifecycle implements SmartLifecycle {
  private final Dispatcher dispatcher;
  private volatile boolean running;

  DispatcherLifecycle(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  /** The dispatcher this lifecycle starts and closes: the auto-configured one. */
  Dispatcher dispatcher() {
    return dispatcher;
  }

  @Override
  public void start() {
    dispatcher.start();
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    dispatcher.close();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
