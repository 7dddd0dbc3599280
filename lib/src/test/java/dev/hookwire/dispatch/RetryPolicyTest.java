package dev.hookwire.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void standardWebhooksSchedule_tenAttempts() {
    RetryPolicy policy = RetryPolicy.standardWebhooks().withJitter(0);

    assertThat(policy.maxAttempts()).isEqualTo(10);
    assertThat(policy.delayBefore(1)).isEmpty();
    assertThat(policy.delayBefore(2)).contains(Duration.ofSeconds(5));
    assertThat(policy.delayBefore(3)).contains(Duration.ofMinutes(5));
    assertThat(policy.delayBefore(10)).contains(Duration.ofHours(24));
    assertThat(policy.delayBefore(11)).isEmpty();
    assertThat(policy.maxRetryAfter()).isEqualTo(Duration.ofHours(1));
  }

  @RepeatedTest(20)
  void jitterStaysWithinItsFraction() {
    Duration delay = RetryPolicy.standardWebhooks().delayBefore(3).orElseThrow();

    assertThat(delay).isBetween(Duration.ofSeconds(270), Duration.ofSeconds(330));
  }

  @Test
  void exponential_growsAndCaps() {
    RetryPolicy policy = RetryPolicy.exponential(Duration.ofSeconds(1), 3, Duration.ofSeconds(20), 5).withJitter(0);

    assertThat(policy.maxAttempts()).isEqualTo(5);
    assertThat(policy.delays())
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(9), Duration.ofSeconds(20));
  }

  @Test
  void noRetries_andBadValues() {
    assertThat(RetryPolicy.of().maxAttempts()).isEqualTo(1);
    assertThatThrownBy(() -> RetryPolicy.of(Duration.ofSeconds(-1))).hasMessageContaining("negative");
    assertThatThrownBy(() -> RetryPolicy.exponential(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(2), 3))
        .hasMessageContaining("multiplier");
    assertThatThrownBy(() -> RetryPolicy.standardWebhooks().withJitter(2)).hasMessageContaining("jitter");
  }
}
