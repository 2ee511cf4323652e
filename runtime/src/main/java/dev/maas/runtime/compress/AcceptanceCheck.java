package dev.maas.runtime.compress;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.maas.contract.PrepareReport.Acceptance;
import java.util.Optional;

/**
 * Runs the original and the compressed model on the same samples and compares their first output:
 * max and mean absolute error, top-1 agreement, and accuracy on labelled data when given.
 */
public final class AcceptanceCheck {
  private static final int CHUNK_ROWS = 64;

  /** The first output of every sample row, flattened, and its per-row width. */
  public record Outputs(float[] values, int width) {
    public int rows() {
      return values.length / width;
    }

    /** Fraction of rows whose top-1 class is the same in {@code other}. */
    public double agreement(Outputs other) {
      int agree = 0;
      for (int r = 0; r < rows(); r++) {
        agree += argmax(r) == other.argmax(r) ? 1 : 0;
      }
      return (double) agree / rows();
    }

    public int argmax(int row) {
      int best = 0;
      for (int k = 1; k < width; k++) {
        if (values[row * width + k] > values[row * width + best]) {
          best = k;
        }
      }
      return best;
    }
  }

  public static Acceptance compare(
      ZooModel<NDList, NDList> original,
      ZooModel<NDList, NDList> compressed,
      SampleData samples,
      Optional<SampleData> labelled)
      throws TranslateException {
    Outputs before = firstOutputs(original, samples);
    Outputs after = firstOutputs(compressed, samples);
    double max = 0;
    double sum = 0;
    for (int i = 0; i < before.values().length; i++) {
      double error = Math.abs(before.values()[i] - after.values()[i]);
      max = Math.max(max, error);
      sum += error;
    }
    Double agreement = before.width() > 1 ? before.agreement(after) : null;
    Double accuracyBefore = null;
    Double accuracyAfter = null;
    if (labelled.isPresent() && labelled.get().labels().isPresent()) {
      int[] labels = labelled.get().labels().get();
      accuracyBefore = accuracy(firstOutputs(original, labelled.get()), labels);
      accuracyAfter = accuracy(firstOutputs(compressed, labelled.get()), labels);
    }
    return new Acceptance(
        samples.rows(),
        max,
        sum / Math.max(1, before.values().length),
        agreement,
        accuracyBefore,
        accuracyAfter);
  }

  private static double accuracy(Outputs outputs, int[] labels) {
    int correct = 0;
    for (int r = 0; r < labels.length; r++) {
      correct += outputs.argmax(r) == labels[r] ? 1 : 0;
    }
    return (double) correct / labels.length;
  }

  /** The model's first output on every row, in inference mode, in chunks. */
  public static Outputs firstOutputs(Model model, SampleData samples) throws TranslateException {
    float[] all = null;
    int width = 1;
    try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
      for (int start = 0; start < samples.rows(); start += CHUNK_ROWS) {
        int rows = Math.min(CHUNK_ROWS, samples.rows() - start);
        int[] picked = new int[rows];
        int first = start;
        java.util.Arrays.setAll(picked, i -> first + i);
        try (NDManager manager = model.getNDManager().newSubManager()) {
          NDArray out = predictor.predict(Batches.of(manager, samples, picked)).get(0);
          float[] values = out.toType(DataType.FLOAT32, false).toFloatArray();
          width = values.length / rows;
          if (all == null) {
            all = new float[samples.rows() * width];
          }
          System.arraycopy(values, 0, all, start * width, values.length);
        }
      }
    }
    return new Outputs(all, width);
  }
}
