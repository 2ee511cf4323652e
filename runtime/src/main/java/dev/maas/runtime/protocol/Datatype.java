package dev.maas.runtime.protocol;

import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Optional;

/**
 * Open Inference Protocol tensor datatypes the server accepts, with their DJL counterparts. BF16
 * and INT16 are deliberately absent: creating an array of either aborts the JVM inside DJL 0.35
 * (for INT16: "terminate called without an active exception", found by the datatype round trip
 * through tritonclient), so they are refused while the request is still JSON.
 */
public enum Datatype {
  BOOL(DataType.BOOLEAN, 1),
  UINT8(DataType.UINT8, 1),
  INT8(DataType.INT8, 1),
  INT32(DataType.INT32, 4),
  INT64(DataType.INT64, 8),
  FP16(DataType.FLOAT16, 2),
  FP32(DataType.FLOAT32, 4),
  FP64(DataType.FLOAT64, 8);

  private final DataType djl;
  private final int bytes;

  Datatype(DataType djl, int bytes) {
    this.djl = djl;
    this.bytes = bytes;
  }

  public DataType djl() {
    return djl;
  }

  public int bytes() {
    return bytes;
  }

  public boolean isFloatingPoint() {
    return this == FP16 || this == FP32 || this == FP64;
  }

  public boolean isInteger() {
    return this != BOOL && !isFloatingPoint();
  }

  public static Optional<Datatype> fromName(String name) {
    return Arrays.stream(values()).filter(d -> d.name().equals(name)).findFirst();
  }

  public static Optional<Datatype> fromDjl(DataType type) {
    return Arrays.stream(values()).filter(d -> d.djl == type).findFirst();
  }

  /** Names as the error message for an unsupported datatype lists them. */
  public static String supportedNames() {
    return Arrays.toString(values());
  }
}
