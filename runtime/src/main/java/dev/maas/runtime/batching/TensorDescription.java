package dev.maas.runtime.batching;

import dev.maas.contract.Datatype;

/** What the model was seen to take or produce: a tensor's name, datatype and per-row shape. */
public record TensorDescription(String name, Datatype datatype, long[] itemShape) {

  /** The shape as metadata shows it: the batch dimension first, as -1. */
  public long[] batchedShape() {
    long[] shape = new long[itemShape.length + 1];
    shape[0] = -1;
    System.arraycopy(itemShape, 0, shape, 1, itemShape.length);
    return shape;
  }
}
