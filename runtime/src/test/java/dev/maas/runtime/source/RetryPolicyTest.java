package dev.maas.runtime.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void backoffDoublesUpToItsCapWithAtMostHalfAgainOfJitter() {
    RetryPolicy policy = new RetryPolicy(7, Duration.ofMillis(500), Duration.ofSeconds(16));
    assertThat(policy.backoff(1, 0)).isEqualTo(Duration.ofMillis(500));
    assertThat(policy.backoff(3, 0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.backoff(10, 0)).isEqualTo(Duration.ofSeconds(16));
    assertThat(policy.backoff(3, 0.999)).isLessThan(Duration.ofSeconds(3));
  }
}
