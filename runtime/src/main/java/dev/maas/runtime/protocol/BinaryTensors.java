package dev.maas.runtime.protocol;

import dev.maas.contract.Datatype;
import java.nio.ByteOrder;

/**
 * Tensor bytes as the binary tensor data extension carries them (little-endian, row-major, no
 * padding; BOOL one byte) and as {@link Tensor} keeps them (native order): the same bytes on every
 * machine this runs on, swapped only where the native order is big-endian.
 */
public final class BinaryTensors {
  private static final boolean NATIVE_IS_LITTLE =
      ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  private BinaryTensors() {}

  /** Little-endian wire bytes to native order (a copy only where they differ). */
  public static byte[] fromWire(byte[] wire, Datatype type) {
    return NATIVE_IS_LITTLE ? wire : swapped(wire, type.bytes());
  }

  /** Native bytes to little-endian wire bytes. */
  public static byte[] toWire(byte[] data, Datatype type) {
    return NATIVE_IS_LITTLE ? data : swapped(data, type.bytes());
  }

  private static byte[] swapped(byte[] bytes, int width) {
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i += width) {
      for (int j = 0; j < width; j++) {
        out[i + j] = bytes[i + width - 1 - j];
      }
    }
    return out;
  }
}
