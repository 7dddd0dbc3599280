package dev.hookwire.transport;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names threads {@code prefix + n} and makes them daemons, so that a transport nobody closed does
 * not keep the JVM running. Thread-safe.
 */
final class DaemonThreadFactory implements ThreadFactory {
  private final String prefix;
  private final AtomicInteger count = new AtomicInteger();

  DaemonThreadFactory(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Thread newThread(Runnable runnable) {
    Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }
}
