package dev.maas.runtime.compress.distill;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import ai.djl.util.Pair;
import dev.maas.runtime.compress.AcceptanceCheck;
import dev.maas.runtime.compress.Batches;
import dev.maas.runtime.compress.SampleData;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a student TorchScript to answer like the teacher: the teacher's first output on every
 * training row, softened by the temperature, is the target; the student's first output is pulled
 * towards it by {@link DistillationLoss} with Adam, in shuffled mini-batches (seeded). Both run on
 * the CPU through DJL's PyTorch engine; the student is loaded with its parameters trainable and
 * written back as TorchScript, so serve loads it as any model.
 */
public final class Distiller {

  private final TrainingSettings settings;
  private final Consumer<String> progress;

  /** {@code progress}: one line per epoch (the Job's log). */
  public Distiller(TrainingSettings settings, Consumer<String> progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** What training did. */
  public record Result(int epochs, double finalLoss, double heldOutAgreement) {}

  /**
   * Trains {@code student} on {@code train}, reporting agreement on {@code heldOut} after every
   * epoch, and writes it to {@code module}.
   */
  public Result train(
      Model teacher, Model student, SampleData train, SampleData heldOut, Path module)
      throws TranslateException, IOException {
    Engine.getEngine("PyTorch").setRandomSeed((int) settings.seed());
    float[] teacherTrain = AcceptanceCheck.firstOutputs(teacher, train).values();
    AcceptanceCheck.Outputs teacherHeldOut = AcceptanceCheck.firstOutputs(teacher, heldOut);
    int classes = teacherHeldOut.width();
    int studentWidth = AcceptanceCheck.firstOutputs(student, heldOut.select(new int[] {0})).width();
    if (studentWidth != classes) {
      throw new IllegalArgumentException(
          "the student's first output has "
              + studentWidth
              + " value(s) per row and the teacher's "
              + classes
              + ": a student must answer with the teacher's outputs");
    }
    DefaultTrainingConfig config =
        new DefaultTrainingConfig(new DistillationLoss(settings.temperature()))
            .optOptimizer(
                Optimizer.adam()
                    .optLearningRateTracker(Tracker.fixed((float) settings.learningRate()))
                    .build());
    double loss = Double.NaN;
    double agreement = teacherHeldOut.agreement(AcceptanceCheck.firstOutputs(student, heldOut));
    try (Trainer trainer = student.newTrainer(config)) {
      trainer.initialize(shapes(train, settings.batchSize()));
      Random shuffle = new Random(settings.seed());
      int[] order = new int[train.rows()];
      Arrays.setAll(order, i -> i);
      for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
        DataSplit.shuffle(order, shuffle);
        double sum = 0;
        for (int start = 0; start < order.length; start += settings.batchSize()) {
          int[] rows =
              Arrays.copyOfRange(
                  order, start, Math.min(order.length, start + settings.batchSize()));
          sum += step(trainer, train, teacherTrain, classes, rows) * rows.length;
        }
        loss = sum / order.length;
        agreement = teacherHeldOut.agreement(AcceptanceCheck.firstOutputs(student, heldOut));
        progress.accept(
            String.format(
                "epoch %d/%d: loss %.5f, held-out top-1 agreement with the teacher %.4f",
                epoch, settings.epochs(), loss, agreement));
      }
    }
    ((PtSymbolBlock) student.getBlock()).freezeParameters(true);
    try (OutputStream out = Files.newOutputStream(module)) {
      JniUtils.writeModule((PtSymbolBlock) student.getBlock(), out, false);
    }
    return new Result(settings.epochs(), loss, agreement);
  }

  /** Parameters (weights, biases, buffers DJL reports) of a model loaded with them exposed. */
  public static long parameters(Model model) {
    long count = 0;
    for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
      if (p.getValue().isInitialized()) {
        count += p.getValue().getArray().size();
      }
    }
    return count;
  }

  private double step(Trainer trainer, SampleData train, float[] teacher, int classes, int[] rows) {
    try (NDManager batch = trainer.getManager().newSubManager()) {
      NDList inputs = Batches.of(batch, train, rows);
      float[] targets = new float[rows.length * classes];
      for (int i = 0; i < rows.length; i++) {
        System.arraycopy(teacher, rows[i] * classes, targets, i * classes, classes);
      }
      NDArray soft =
          batch
              .create(targets, new Shape(rows.length, classes))
              .div((float) settings.temperature());
      NDList labels = new NDList(soft.softmax(1), soft.logSoftmax(1));
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDList predictions = trainer.forward(inputs);
        NDArray loss = trainer.getLoss().evaluate(labels, predictions);
        collector.backward(loss);
        trainer.step();
        return loss.getFloat();
      }
    }
  }

  private static Shape[] shapes(SampleData data, int batchSize) {
    Shape[] shapes = new Shape[data.inputs().size()];
    for (int i = 0; i < shapes.length; i++) {
      long[] shape = data.inputs().get(i).shape().clone();
      shape[0] = Math.min(batchSize, data.rows());
      shapes[i] = new Shape(shape);
    }
    return shapes;
  }
}
