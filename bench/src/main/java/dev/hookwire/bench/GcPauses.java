package dev.hookwire.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Records this JVM's garbage collections from the collectors' notifications while armed: count,
 * total and longest duration. For a stop-the-world collector the duration is the pause; for ZGC
 * the "Pauses" collector reports pauses and the "Cycles" one concurrent cycles.
 */
final class GcPauses {
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong totalMillis = new AtomicLong();
  private final AtomicLong maxMillis = new AtomicLong();
  private volatile boolean armed;

  GcPauses() {
    NotificationListener listener = (notification, handback) -> {
      if (!armed || !GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
        return;
      }
      GarbageCollectionNotificationInfo info =
          GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
      if (info.getGcName().contains("Cycles")) {
        return; // ZGC's concurrent cycles are not pauses
      }
      long ms = info.getGcInfo().getDuration();
      count.incrementAndGet();
      totalMillis.addAndGet(ms);
      maxMillis.accumulateAndGet(ms, Math::max);
    };
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
    }
  }

  void arm() {
    armed = true;
  }

  void disarm() {
    armed = false;
  }

  String summary() {
    return Bench.f("%d collections, %d ms in all, longest %d ms", count.get(), totalMillis.get(), maxMillis.get());
  }

  static String collectors() {
    StringBuilder names = new StringBuilder();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      names.append(names.length() == 0 ? "" : "/").append(gc.getName());
    }
    return names.toString();
  }
}
