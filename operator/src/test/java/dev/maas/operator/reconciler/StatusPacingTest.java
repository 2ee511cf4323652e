package dev.maas.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.status.StatusChange;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Counts that change pod by pod are written together; news is written at once. */
class StatusPacingTest {
  private static final ResourceID DIGITS = new ResourceID("digits", "ns");

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    private Instant now = Instant.parse("2026-12-01T12:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void thirtyPodsReadyOneBy300msWriteAHandfulOfStatusesAndTheLastCountLands() {
    TestClock clock = new TestClock();
    StatusPacing pacing = new StatusPacing(clock, Duration.ofSeconds(5));
    int writes = 0;
    Instant pendingUntil = null;
    for (int pod = 1; pod <= 30; pod++) {
      clock.now = clock.now.plusMillis(300);
      if (pendingUntil != null && !clock.now.isBefore(pendingUntil)) {
        pendingUntil = null; // the scheduled reconcile ran and wrote the counts so far
        writes++;
        pacing.written(DIGITS);
      }
      Optional<Duration> wait = pacing.holdBack(DIGITS, StatusChange.COUNTS_ONLY);
      if (wait.isEmpty()) {
        writes++;
        pacing.written(DIGITS);
      } else if (pendingUntil == null) {
        pendingUntil = clock.now.plus(wait.get());
      }
    }
    assertThat(pendingUntil).as("the last counts are scheduled, not dropped").isNotNull();
    writes++;
    assertThat(writes).as("9 s of pods, a write per 5 s window").isLessThanOrEqualTo(3);
  }

  @Test
  void newsIsWrittenAtOnceAndCountsAfterAQuietWindowToo() {
    TestClock clock = new TestClock();
    StatusPacing pacing = new StatusPacing(clock, Duration.ofSeconds(5));
    assertThat(pacing.holdBack(DIGITS, StatusChange.COUNTS_ONLY)).as("first write").isEmpty();
    pacing.written(DIGITS);
    clock.now = clock.now.plusSeconds(1);
    assertThat(pacing.holdBack(DIGITS, StatusChange.COUNTS_ONLY)).contains(Duration.ofSeconds(4));
    assertThat(pacing.holdBack(DIGITS, StatusChange.NEWS)).as("Ready turning True").isEmpty();
    assertThat(pacing.holdBack(new ResourceID("other", "ns"), StatusChange.COUNTS_ONLY))
        .as("each ModelDeployment on its own")
        .isEmpty();
    clock.now = clock.now.plusSeconds(5);
    assertThat(pacing.holdBack(DIGITS, StatusChange.COUNTS_ONLY)).isEmpty();
  }
}
