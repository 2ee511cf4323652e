package dev.maas.runtime.compress.distill;

/**
 * How Distill trains the student; part of the package key, so that changing any of them trains
 * again and an unchanged spec never does.
 *
 * @param epochs passes over the training rows; 0 keeps the student as it came (for checking the
 *     gate)
 * @param batchSize rows per optimizer step
 * @param learningRate Adam's step size
 * @param temperature softens both networks' outputs before they are compared: above 1, the
 *     teacher's near-zero scores for the wrong classes (how alike it finds them) still teach
 * @param seed the shuffle of the rows and the held-out split
 */
public record TrainingSettings(
    int epochs, int batchSize, double learningRate, double temperature, long seed) {

  public TrainingSettings {
    if (epochs < 0 || epochs > 10_000) {
      throw new IllegalArgumentException("--epochs must be between 0 and 10000, got " + epochs);
    }
    if (batchSize < 1 || batchSize > 65_536) {
      throw new IllegalArgumentException(
          "--batch-size must be between 1 and 65536, got " + batchSize);
    }
    if (!(learningRate > 0 && learningRate <= 10)) {
      throw new IllegalArgumentException(
          "--learning-rate must be greater than 0 and at most 10, got " + learningRate);
    }
    if (!(temperature > 0 && temperature <= 100)) {
      throw new IllegalArgumentException(
          "--temperature must be greater than 0 and at most 100, got " + temperature);
    }
  }

  /** Exact decimal forms, so that two different settings never share a key. */
  public String canonical() {
    return "epochs="
        + epochs
        + ";batchSize="
        + batchSize
        + ";learningRate="
        + Double.toString(learningRate)
        + ";temperature="
        + Double.toString(temperature)
        + ";seed="
        + seed;
  }
}
