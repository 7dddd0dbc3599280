package dev.hookwire.bench;

import java.util.List;

/**
 * Over one measurement: the machine's busy CPU time that is not ours (this JVM and the receiver
 * JVMs). On loopback a few percent of it is the kernel's network work, which no process is
 * charged for; much more means something else ran, and the figure is suspect.
 */
final class CpuWatch {
  private final List<ReceiverProcess> receivers;
  private long busy0;
  private long own0;
  private long wall0;

  CpuWatch(ReceiverProcess... receivers) {
    this.receivers = List.of(receivers);
  }

  CpuWatch start() {
    busy0 = Bench.machineBusyNanos();
    own0 = own();
    wall0 = System.nanoTime();
    return this;
  }

  /** Share of the machine's CPU that was busy with something else since {@link #start}. */
  double notOurs() {
    long wall = System.nanoTime() - wall0;
    long busy = Bench.machineBusyNanos();
    return Bench.foreignShare(busy0 < 0 ? -1 : busy - busy0, own() - own0, wall);
  }

  private long own() {
    long total = Bench.cpuNanos();
    for (ReceiverProcess r : receivers) {
      total += r.cpuNanos();
    }
    return total;
  }
}
