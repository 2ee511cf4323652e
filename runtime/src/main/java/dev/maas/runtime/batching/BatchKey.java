package dev.maas.runtime.batching;

import dev.maas.runtime.protocol.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Which requests may share a forward pass: those whose inputs have the same datatypes and item
 * shapes, and whose inputs all agree on the batch dimension. Anything else runs alone.
 */
final class BatchKey {
  private BatchKey() {}

  /** The key, or null when the request must run alone. */
  static String of(List<Tensor> inputs, long rows) {
    StringBuilder key = new StringBuilder();
    for (Tensor tensor : inputs) {
      if (tensor.shape().length == 0 || tensor.shape()[0] != rows) {
        return null;
      }
      key.append(tensor.datatype().ordinal())
          .append(Arrays.toString(tensor.itemShape()))
          .append('|');
    }
    return key.toString();
  }
}
