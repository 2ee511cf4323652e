package dev.maas.runtime.compress.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Hinton's distillation loss: the Kullback-Leibler divergence from the teacher's softened output
 * distribution to the student's, scaled by the temperature squared so that the gradients keep their
 * size whatever the temperature. The labels are the teacher's softened probabilities and their
 * logarithms, computed once per row before training.
 */
final class DistillationLoss extends Loss {
  private final float temperature;

  DistillationLoss(double temperature) {
    super("distillation");
    this.temperature = (float) temperature;
  }

  @Override
  public NDArray evaluate(NDList teacher, NDList student) {
    NDArray probabilities = teacher.get(0);
    NDArray logProbabilities = teacher.get(1);
    NDArray studentLog = student.head().div(temperature).logSoftmax(1);
    return probabilities
        .mul(logProbabilities.sub(studentLog))
        .sum(new int[] {1})
        .mean()
        .mul(temperature * temperature);
  }
}
