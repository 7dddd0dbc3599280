package dev.hookwire.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DaemonThreadFactoryTest {

  @Test
  void numbersAndDaemonizesItsThreads() {
    DaemonThreadFactory factory = new DaemonThreadFactory("hookwire-test-");
    Thread first = factory.newThread(() -> {});
    Thread second = factory.newThread(() -> {});
    assertThat(first.getName()).isEqualTo("hookwire-test-1");
    assertThat(second.getName()).isEqualTo("hookwire-test-2");
    assertThat(first.isDaemon()).isTrue();
    assertThat(second.isDaemon()).isTrue();
  }
}
