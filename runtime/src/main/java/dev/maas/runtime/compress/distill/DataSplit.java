package dev.maas.runtime.compress.distill;

import dev.maas.runtime.compress.SampleData;
import java.util.Arrays;
import java.util.Random;

/**
 * The data's rows split into the ones that train the student and the ones held out to judge it, by
 * a seeded shuffle: the same data and seed give the same split on every run.
 */
public record DataSplit(SampleData train, SampleData heldOut) {

  public static DataSplit of(SampleData rows, double heldOutShare, long seed) {
    if (rows.rows() < 2) {
      throw new IllegalArgumentException(
          "--data has "
              + rows.rows()
              + " row(s); Distill needs at least 2 (to train and to judge)");
    }
    int heldOut =
        Math.max(1, Math.min(rows.rows() - 1, (int) Math.round(rows.rows() * heldOutShare)));
    int[] order = new int[rows.rows()];
    Arrays.setAll(order, i -> i);
    shuffle(order, new Random(seed ^ 0x5DEECE66DL));
    return new DataSplit(
        rows.select(Arrays.copyOfRange(order, heldOut, order.length)),
        rows.select(Arrays.copyOfRange(order, 0, heldOut)));
  }

  /** Fisher-Yates, in place: the same random source gives the same order. */
  static void shuffle(int[] order, Random random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
}
