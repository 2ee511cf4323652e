package dev.maas.runtime.batching;

import dev.maas.runtime.protocol.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The inputs and outputs as the model was first seen to take and produce them (at warm-up, or by
 * the first request when nothing was declared to warm up with): what metadata shows.
 */
final class ObservedTensors {
  private volatile List<TensorDescription> inputs = List.of();
  private volatile List<TensorDescription> outputs = List.of();

  List<TensorDescription> inputs() {
    return inputs;
  }

  List<TensorDescription> outputs() {
    return outputs;
  }

  /** Records the first answered request's tensors; later ones change nothing. */
  void observe(List<Tensor> requestInputs, List<Tensor> results, long rows) {
    if (inputs.isEmpty()) {
      inputs = describe(requestInputs, rows);
    }
    if (outputs.isEmpty()) {
      outputs = describe(results, rows);
    }
  }

  private static List<TensorDescription> describe(List<Tensor> tensors, long rows) {
    List<TensorDescription> described = new ArrayList<>(tensors.size());
    for (Tensor t : tensors) {
      long[] itemShape = t.shape().length > 0 && t.shape()[0] == rows ? t.itemShape() : t.shape();
      described.add(new TensorDescription(t.name(), t.datatype(), itemShape));
    }
    return List.copyOf(described);
  }
}
