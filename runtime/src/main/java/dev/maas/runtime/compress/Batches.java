package dev.maas.runtime.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.maas.runtime.protocol.DjlDatatypes;
import dev.maas.runtime.protocol.Tensor;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Rows of {@link SampleData} as the arrays a forward pass takes. Each array owns a copy of its
 * rows: DJL hands a direct buffer to libtorch without copying, so an array made straight from a
 * local buffer reads freed memory once the collector takes the buffer (a training run turned to NaN
 * at a random epoch that way).
 */
public final class Batches {
  private Batches() {}

  /** All rows of {@code data}. */
  public static NDList of(NDManager manager, SampleData data) {
    int[] all = new int[data.rows()];
    java.util.Arrays.setAll(all, i -> i);
    return of(manager, data, all);
  }

  /** The rows at {@code rows}, in that order. */
  public static NDList of(NDManager manager, SampleData data, int[] rows) {
    NDList list = new NDList(data.inputs().size());
    for (Tensor input : data.inputs()) {
      int rowBytes = input.data().length / data.rows();
      ByteBuffer buffer =
          ByteBuffer.allocateDirect(rows.length * rowBytes).order(ByteOrder.nativeOrder());
      for (int row : rows) {
        buffer.put(input.data(), row * rowBytes, rowBytes);
      }
      buffer.flip();
      long[] shape = input.shape().clone();
      shape[0] = rows.length;
      try (NDArray view =
          manager.create(buffer, new Shape(shape), DjlDatatypes.toDjl(input.datatype()))) {
        list.add(view.duplicate());
      }
      Reference.reachabilityFence(buffer);
    }
    return list;
  }
}
