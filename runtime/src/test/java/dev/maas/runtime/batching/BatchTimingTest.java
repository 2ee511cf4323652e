package dev.maas.runtime.batching;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.maas.runtime.batching.PassCosts.PassCost;
import org.junit.jupiter.api.Test;

class BatchTimingTest {
  private static final long MS = 1_000_000;

  /** The digits CNN on CPU: a pass is mostly its rows. */
  private static final PassCost ROW_BOUND = new PassCost(0.5 * MS, 1.5 * MS);

  /** The digits MLP: a pass is mostly its fixed cost. */
  private static final PassCost FIXED_BOUND = new PassCost(0.27 * MS, 0.004 * MS);

  private static BatchTiming decide(long rows, long waited, int running, int lanes, PassCost c) {
    return BatchTiming.decide(rows, 32, waited, 5 * MS, running, lanes, c, false);
  }

  @Test
  void withNothingRunningThereIsNothingToWaitBehind() {
    assertThat(decide(1, 0, 0, 1, FIXED_BOUND)).isInstanceOf(BatchTiming.RunNow.class);
  }

  @Test
  void anIdleLaneRunsARowBoundPassAtOnce() {
    assertThat(decide(3, 0, 1, 2, ROW_BOUND)).isInstanceOf(BatchTiming.RunNow.class);
  }

  @Test
  void aFixedCostPassWaitsForAFullerBatchEvenWithALaneIdle() {
    assertThat(decide(3, 2 * MS, 1, 2, FIXED_BOUND)).isEqualTo(new BatchTiming.Wait(3 * MS));
  }

  @Test
  void withEveryLaneBusyEvenARowBoundPassWaitsTheRestOfTheDelay() {
    assertThat(decide(3, 2 * MS, 2, 2, ROW_BOUND)).isEqualTo(new BatchTiming.Wait(3 * MS));
  }

  @Test
  void untilPassesHaveBeenMeasuredItWaitsWhileOneRuns() {
    assertThat(decide(3, 0, 1, 2, PassCost.UNKNOWN)).isInstanceOf(BatchTiming.Wait.class);
  }

  @Test
  void aFullBatchAnExpiredDelayOrADrainRunNowEvenWithEveryLaneBusy() {
    assertThat(decide(32, 0, 1, 1, FIXED_BOUND)).isInstanceOf(BatchTiming.RunNow.class);
    assertThat(decide(3, 5 * MS, 1, 1, FIXED_BOUND)).isInstanceOf(BatchTiming.RunNow.class);
    assertThat(BatchTiming.decide(3, 32, 0, 5 * MS, 1, 1, FIXED_BOUND, true))
        .isInstanceOf(BatchTiming.RunNow.class);
  }

  @Test
  void passCostsSplitAFixedPartFromAPerRowPartOfTheFastestPasses() {
    PassCosts costs = new PassCosts();
    assertThat(costs.estimate()).isEqualTo(PassCost.UNKNOWN);
    costs.passRan(1, 2 * MS);
    assertThat(costs.estimate()).as("one size alone says nothing").isEqualTo(PassCost.UNKNOWN);
    costs.passRan(5, 8 * MS);
    costs.passRan(5, 9 * MS);
    costs.passRan(1, 3 * MS);
    PassCost cost = costs.estimate();
    assertThat(cost.perRowNanos()).isCloseTo(1.5 * MS, org.assertj.core.data.Offset.offset(1.0));
    assertThat(cost.fixedNanos()).isCloseTo(0.5 * MS, org.assertj.core.data.Offset.offset(1.0));
    assertThat(cost.rowBound(1)).isTrue();
    assertThat(FIXED_BOUND.rowBound(32)).isFalse();
  }

  @Test
  void lanesAreOneOnAGpuAndOnePerWorkerThatTheCoresHoldOnCpu() {
    assertThat(PassLanes.of(Device.gpu(), 4, 1, 16)).isEqualTo(1);
    assertThat(PassLanes.of(Device.cpu(), 2, 1, 2)).isEqualTo(2);
    assertThat(PassLanes.of(Device.cpu(), 4, 1, 2)).as("more workers than cores").isEqualTo(2);
    assertThat(PassLanes.of(Device.cpu(), 2, 4, 2)).as("one pass takes every core").isEqualTo(1);
    assertThat(PassLanes.of(Device.cpu(), 2, 8, 16)).isEqualTo(2);
  }
}
