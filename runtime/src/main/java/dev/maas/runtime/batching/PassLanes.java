package dev.maas.runtime.batching;

import ai.djl.Device;

/**
 * How many forward passes can run at once without slowing each other, which is what {@link
 * BatchTiming} weighs a wait against.
 */
public final class PassLanes {
  private PassLanes() {}

  /**
   * On a GPU, one: every worker's pass runs on the same device, so a small pass started now delays
   * the fuller one behind it. On CPU, as many as the cores hold passes of {@code threadsPerPass}
   * threads, at most one per worker.
   */
  public static int of(Device device, int workers, int threadsPerPass, int cores) {
    if (device.isGpu()) {
      return 1;
    }
    int byCores = Math.max(1, cores / Math.max(1, threadsPerPass));
    return Math.max(1, Math.min(workers, byCores));
  }
}
