package dev.maas.runtime.compress.distill;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.maas.runtime.compress.Batches;
import dev.maas.runtime.compress.SampleData;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The teacher's and the student's forward time on this machine, on the same rows, at batch 1 and at
 * batch 32: the median of repeated passes after a warm-up, the two models alternating so that the
 * machine's moment-to-moment noise falls on both alike.
 */
public final class SpeedComparison {
  static final int[] BATCHES = {1, 32};
  private static final int WARM_UP_PASSES = 20;
  private static final int TIMED_PASSES = 60;

  private SpeedComparison() {}

  /** Milliseconds per pass by batch ("batch1", "batch32"), teacher then student, and the ratio. */
  public record Measured(
      Map<String, Double> teacherMillis,
      Map<String, Double> studentMillis,
      Map<String, Double> speedup) {}

  public static Measured measure(Model teacher, Model student, SampleData rows)
      throws TranslateException {
    Map<String, Double> teacherMillis = new LinkedHashMap<>();
    Map<String, Double> studentMillis = new LinkedHashMap<>();
    Map<String, Double> speedup = new LinkedHashMap<>();
    try (Predictor<NDList, NDList> t = teacher.newPredictor(new NoopTranslator());
        Predictor<NDList, NDList> s = student.newPredictor(new NoopTranslator());
        NDManager manager = teacher.getNDManager().newSubManager()) {
      for (int batch : BATCHES) {
        int[] picked = new int[batch];
        Arrays.setAll(picked, i -> i % rows.rows());
        SampleData input = rows.select(picked);
        long[] tNanos = new long[TIMED_PASSES];
        long[] sNanos = new long[TIMED_PASSES];
        for (int pass = -WARM_UP_PASSES; pass < TIMED_PASSES; pass++) {
          long tTime = time(t, manager, input);
          long sTime = time(s, manager, input);
          if (pass >= 0) {
            tNanos[pass] = tTime;
            sNanos[pass] = sTime;
          }
        }
        String key = "batch" + batch;
        double tMillis = median(tNanos) / 1e6;
        double sMillis = median(sNanos) / 1e6;
        teacherMillis.put(key, round(tMillis, 4));
        studentMillis.put(key, round(sMillis, 4));
        speedup.put(key, round(tMillis / sMillis, 2));
      }
    }
    return new Measured(teacherMillis, studentMillis, speedup);
  }

  private static long time(Predictor<NDList, NDList> predictor, NDManager parent, SampleData input)
      throws TranslateException {
    try (NDManager manager = parent.newSubManager()) {
      NDList in = Batches.of(manager, input);
      long start = System.nanoTime();
      predictor.predict(in).get(0).toFloatArray();
      return System.nanoTime() - start;
    }
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }
}
