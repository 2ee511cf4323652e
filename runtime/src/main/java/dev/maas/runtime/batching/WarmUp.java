package dev.maas.runtime.batching;

import dev.maas.contract.TensorSignature;
import dev.maas.runtime.model.InputSignature;
import dev.maas.runtime.model.ModelMismatchException;
import dev.maas.runtime.protocol.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every batch size a worker may see through its predictor before the server reports ready: the
 * profiling graph executor records a shape on its first run and optimizes on the next, so without
 * this the first requests of each new batch size would be slow under traffic. It is also where the
 * model first proves it accepts the declared inputs and has the named outputs.
 */
final class WarmUp {
  /** Capped so that a huge --max-batch-size does not delay readiness for minutes. */
  static final int MAX_WARMED_BATCH = 256;

  private final InputSignature signature;
  private final int maxBatchSize;
  private final List<String> outputNames;

  WarmUp(InputSignature signature, int maxBatchSize, List<String> outputNames) {
    this.signature = signature;
    this.maxBatchSize = maxBatchSize;
    this.outputNames = outputNames;
  }

  /** Passes timed at one row and at the largest batch, once every size is warm. */
  static final int TIMED_PASSES = 5;

  /**
   * Warms {@code runner} up; the first pass is recorded in {@code observed}, then passes of one row
   * and of the largest batch are timed into {@code costs}.
   */
  void run(BatchRunner runner, ObservedTensors observed, PassCosts costs) throws Exception {
    int largest = Math.min(maxBatchSize, MAX_WARMED_BATCH);
    for (int rows = 1; rows <= largest; rows++) {
      List<Tensor> inputs = zeros(signature, rows);
      for (int pass = 0; pass < 2; pass++) {
        List<List<Tensor>> results = runner.run(List.of(inputs));
        if (rows == 1 && pass == 0) {
          checkOutputNames(results.get(0).size());
          observed.observe(inputs, results.get(0), 1);
        }
      }
    }
    for (int rows : largest > 1 ? new int[] {1, largest} : new int[] {1}) {
      List<List<Tensor>> inputs = List.of(zeros(signature, rows));
      for (int pass = 0; pass < TIMED_PASSES; pass++) {
        long started = System.nanoTime();
        runner.run(inputs);
        costs.passRan(rows, System.nanoTime() - started);
      }
    }
  }

  private void checkOutputNames(int produced) {
    if (!outputNames.isEmpty() && outputNames.size() != produced) {
      throw new ModelMismatchException(
          "--output-names names "
              + outputNames.size()
              + " output(s) "
              + outputNames
              + " but the model produces "
              + produced);
    }
  }

  /** Zero-filled inputs with the given rows: valid for any datatype. */
  static List<Tensor> zeros(InputSignature signature, long rows) {
    List<Tensor> inputs = new ArrayList<>();
    for (TensorSignature input : signature.inputs()) {
      long[] shape = input.concreteShape(rows);
      byte[] data =
          new byte[Math.toIntExact(Tensor.elementCount(shape) * input.datatype().bytes())];
      inputs.add(new Tensor(input.name(), input.datatype(), shape, data));
    }
    return inputs;
  }
}
