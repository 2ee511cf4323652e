package dev.maas.contract;

import java.util.Arrays;

/** A declared tensor: name, datatype and shape, where -1 marks a variable dimension. */
public record TensorSignature(String name, Datatype datatype, long[] shape) {

  /** True when every dimension after the batch one is fixed, so warm-up inputs can be made. */
  public boolean hasFixedItemShape() {
    return Arrays.stream(shape).skip(1).allMatch(d -> d > 0);
  }

  /** Whether a request's shape fits: same rank, and equal wherever the signature is fixed. */
  public boolean accepts(long[] requestShape) {
    if (requestShape.length != shape.length) {
      return false;
    }
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] >= 0 && shape[i] != requestShape[i]) {
        return false;
      }
    }
    return true;
  }

  /** The shape with the batch dimension set to {@code rows} and other variable ones to 1. */
  public long[] concreteShape(long rows) {
    long[] concrete = shape.clone();
    for (int i = 0; i < concrete.length; i++) {
      if (concrete[i] < 0) {
        concrete[i] = i == 0 ? rows : 1;
      }
    }
    return concrete;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSignature t
        && name.equals(t.name)
        && datatype == t.datatype
        && Arrays.equals(shape, t.shape);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + ":" + datatype + ":" + Arrays.toString(shape);
  }
}
