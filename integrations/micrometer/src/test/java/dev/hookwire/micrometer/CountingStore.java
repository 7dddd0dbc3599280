package dev.hookwire.micrometer;

import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.StoreException;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import dev.hookwire.testing.ForwardingStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory store that counts {@code count(state)} calls, and can fail them or hold them until
 * released. Thread-safe.
 */
final class CountingStore extends ForwardingStore {
  private final Map<DeliveryState, AtomicInteger> counts = new ConcurrentHashMap<>();
  volatile boolean failing;
  volatile CountDownLatch entered;
  volatile CountDownLatch release;

  CountingStore() {
    super(InMemoryDeliveryStore.create());
  }

  int counted(DeliveryState state) {
    return counts.computeIfAbsent(state, s -> new AtomicInteger()).get();
  }

  @Override
  public long count(DeliveryState state) {
    counts.computeIfAbsent(state, s -> new AtomicInteger()).incrementAndGet();
    if (failing) {
      throw new StoreException("database unreachable", new java.io.IOException("connection reset"));
    }
    CountDownLatch hold = release;
    if (hold != null) {
      entered.countDown();
      try {
        if (!hold.await(10, TimeUnit.SECONDS)) {
          throw new AssertionError("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return super.count(state);
  }
}
