package dev.maas.runtime.batching;

/**
 * Whether a free worker runs the rows queued for a batch now or waits for more.
 *
 * <p>With nothing running there is nothing to wait behind: run. While another pass runs, a free
 * worker waits (up to the delay, or until the batch fills) so that the next pass is a fuller one,
 * which pays when a pass's cost is mostly fixed: the MLP's, or any model on a GPU, whose passes
 * also share one device. When a pass is mostly its rows' own work and a lane is idle (a core that
 * no pass uses), waiting cannot make a row much cheaper and leaves the lane idle: run. Measured on
 * 2 cores with the digits CNN at 8 concurrent clients: waiting whenever a pass ran served 874-880
 * req/s, batching off 1281-1304, running at once 1407-1480; and for the MLP at 64 clients, running
 * at once lost 10-20% against waiting, since its passes' fixed cost is what batching saves.
 */
sealed interface BatchTiming {
  /** Cut the batch now. */
  record RunNow() implements BatchTiming {}

  /** Wait at most {@code nanos} (or until the batch fills, or a lane frees) and decide again. */
  record Wait(long nanos) implements BatchTiming {}

  BatchTiming RUN_NOW = new RunNow();

  /**
   * @param queuedRows rows waiting in the batch's group (counted up to {@code maxRows})
   * @param waitedNanos how long the group's oldest request has waited
   * @param runningPasses forward passes running now
   * @param lanes passes that can run at once without slowing each other
   * @param cost what a pass costs, as measured so far
   * @param closing the queue is draining: nothing more will arrive
   */
  static BatchTiming decide(
      long queuedRows,
      long maxRows,
      long waitedNanos,
      long maxDelayNanos,
      int runningPasses,
      int lanes,
      PassCosts.PassCost cost,
      boolean closing) {
    if (closing
        || runningPasses == 0
        || queuedRows >= maxRows
        || waitedNanos >= maxDelayNanos
        || (runningPasses < lanes && cost.rowBound(queuedRows))) {
      return RUN_NOW;
    }
    return new Wait(maxDelayNanos - waitedNanos);
  }
}
