package dev.hookwire.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpringBootStarterExampleTest {
  @Test
  void theCommittedEventArrives_andTheRolledBackOneIsNeverStored() throws InterruptedException {
    assertThat(SpringBootStarterExample.run())
        .containsExactly(
            "received experience.started for exp_8c1f (Free shipping over $50)",
            "received in all: 1");
  }
}
