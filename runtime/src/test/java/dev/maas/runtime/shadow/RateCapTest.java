package dev.maas.runtime.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateCapTest {
  @Test
  void aSecondsWorthAtOnceThenOnePerInterval() {
    RateCap cap = new RateCap(100);
    long t = 5_000_000_000L;
    int granted = 0;
    while (cap.tryAcquire(t)) {
      granted++;
    }
    assertThat(granted).isEqualTo(100);
    assertThat(cap.tryAcquire(t + 5_000_000)).isFalse();
    assertThat(cap.tryAcquire(t + 10_000_000)).isTrue();
    assertThat(cap.tryAcquire(t + 10_000_000)).isFalse();
  }
}
