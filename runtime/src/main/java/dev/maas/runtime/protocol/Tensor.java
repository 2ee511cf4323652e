package dev.maas.runtime.protocol;

import dev.maas.contract.Datatype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A named tensor whose elements are stored packed in native byte order, ready to be copied into a
 * batch buffer without another conversion.
 */
public record Tensor(String name, Datatype datatype, long[] shape, byte[] data) {

  public long elementCount() {
    return elementCount(shape);
  }

  /** Rows along the first (batch) dimension. */
  public long rows() {
    return shape.length == 0 ? 1 : shape[0];
  }

  /** The shape of one row: everything after the batch dimension. */
  public long[] itemShape() {
    return shape.length == 0 ? shape : Arrays.copyOfRange(shape, 1, shape.length);
  }

  public ByteBuffer buffer() {
    return ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
  }

  public static long elementCount(long[] shape) {
    long count = 1;
    for (long dim : shape) {
      count = Math.multiplyExact(count, dim);
    }
    return count;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t
        && name.equals(t.name)
        && datatype == t.datatype
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + ":" + datatype + Arrays.toString(shape);
  }
}
