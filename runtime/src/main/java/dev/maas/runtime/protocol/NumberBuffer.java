package dev.maas.runtime.protocol;

import dev.maas.contract.Datatype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A tensor's {@code data} numbers as parsed, kept exact until the datatype (which JSON may give
 * after the data) is known; then packed into the datatype's bytes, refusing what does not fit.
 */
final class NumberBuffer {
  private static final byte INT = 0;
  private static final byte FLOAT = 1;
  private static final byte BOOL = 2;

  private long[] longs = new long[64];
  private double[] doubles = new double[64];
  private byte[] kinds = new byte[64];
  private int size;

  int size() {
    return size;
  }

  void addLong(long value) {
    grow();
    longs[size] = value;
    kinds[size++] = INT;
  }

  void addDouble(double value) {
    grow();
    doubles[size] = value;
    kinds[size++] = FLOAT;
  }

  void addBool(boolean value) {
    grow();
    longs[size] = value ? 1 : 0;
    kinds[size++] = BOOL;
  }

  private void grow() {
    if (size == kinds.length) {
      int capacity = size * 2;
      longs = java.util.Arrays.copyOf(longs, capacity);
      doubles = java.util.Arrays.copyOf(doubles, capacity);
      kinds = java.util.Arrays.copyOf(kinds, capacity);
    }
  }

  byte[] pack(Datatype type, String label) {
    ByteBuffer out = ByteBuffer.allocate(size * type.bytes()).order(ByteOrder.nativeOrder());
    for (int i = 0; i < size; i++) {
      byte kind = kinds[i];
      if (type == Datatype.BOOL) {
        if (kind != BOOL) {
          throw new BadRequestException(label + ": BOOL data must be true or false");
        }
        out.put((byte) longs[i]);
      } else if (kind == BOOL) {
        throw new BadRequestException(label + ": " + type + " data must be numbers, not booleans");
      } else if (type.isInteger()) {
        if (kind != INT) {
          throw new BadRequestException(
              label + ": " + type + " data must be integers, found " + doubles[i]);
        }
        putInteger(out, type, longs[i], label);
      } else {
        double value = kind == INT ? (double) longs[i] : doubles[i];
        double max = type == Datatype.FP32 ? Float.MAX_VALUE : type == Datatype.FP16 ? 65504 : 0;
        if (max > 0 && Math.abs(value) > max) {
          throw new BadRequestException(
              label
                  + ": "
                  + value
                  + " is out of range for "
                  + type
                  + " [-"
                  + max
                  + ", "
                  + max
                  + "]");
        }
        switch (type) {
          case FP64 -> out.putDouble(value);
          case FP32 -> out.putFloat((float) value);
          case FP16 -> out.putShort(Half.fromFloat((float) value));
          default -> throw new IllegalStateException(type.name());
        }
      }
    }
    return out.array();
  }

  private static void putInteger(ByteBuffer out, Datatype type, long value, String label) {
    long min;
    long max;
    switch (type) {
      case INT8 -> {
        min = Byte.MIN_VALUE;
        max = Byte.MAX_VALUE;
      }
      case UINT8 -> {
        min = 0;
        max = 255;
      }
      case INT32 -> {
        min = Integer.MIN_VALUE;
        max = Integer.MAX_VALUE;
      }
      default -> {
        min = Long.MIN_VALUE;
        max = Long.MAX_VALUE;
      }
    }
    if (value < min || value > max) {
      throw new BadRequestException(
          label + ": " + value + " is out of range for " + type + " [" + min + ", " + max + "]");
    }
    switch (type) {
      case INT8, UINT8 -> out.put((byte) value);
      case INT32 -> out.putInt((int) value);
      default -> out.putLong(value);
    }
  }
}
