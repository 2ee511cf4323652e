package dev.maas.runtime.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the parameters of a TorchScript module that was loaded with {@code
 * trainParam=true} and frozen. Writes copy through {@link NDArray#set(NDIndex, NDArray)}, so no
 * buffer handed to libtorch can be freed under it.
 */
public final class WeightEditor {
  /** Weights with fewer elements stay as they are: biases, norms, tiny layers. */
  static final long MIN_COMPRESSED_ELEMENTS = 256;

  private final Block block;
  private final NDManager manager;

  public WeightEditor(Block block, NDManager manager) {
    this.block = block;
    this.manager = manager;
  }

  /** A named float32 weight matrix or kernel worth compressing. */
  public record Weight(String name, long[] shape, NDArray array) {}

  public List<Weight> compressibleWeights() {
    List<Weight> weights = new ArrayList<>();
    PairList<String, Parameter> parameters = block.getParameters();
    for (int i = 0; i < parameters.size(); i++) {
      NDArray array = parameters.valueAt(i).getArray();
      if (array.getDataType() == DataType.FLOAT32
          && array.getShape().dimension() >= 2
          && array.getShape().size() >= MIN_COMPRESSED_ELEMENTS) {
        weights.add(new Weight(parameters.keyAt(i), array.getShape().getShape(), array));
      }
    }
    return weights;
  }

  public Weight weight(String name) {
    return compressibleWeights().stream()
        .filter(w -> w.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the module has no weight " + name));
  }

  public void set(Weight weight, float[] values) {
    try (NDManager scratch = manager.newSubManager()) {
      weight.array().set(new NDIndex("..."), scratch.create(values, new Shape(weight.shape())));
    }
  }

  public void zero(Weight weight) {
    try (NDManager scratch = manager.newSubManager()) {
      weight.array().set(new NDIndex("..."), scratch.zeros(new Shape(weight.shape())));
    }
  }
}
