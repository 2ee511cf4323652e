package dev.maas.contract;

import java.util.Arrays;
import java.util.Optional;

/**
 * Open Inference Protocol tensor datatypes the runtime accepts: the CRD's enum for
 * spec.model.inputs[].datatype and the signature format's. BF16 and INT16 are deliberately absent:
 * creating an array of either aborts the JVM inside DJL 0.35 (for INT16: "terminate called without
 * an active exception", found by the datatype round trip through tritonclient), so they are refused
 * at apply time and by the runtime while a request is still JSON.
 */
public enum Datatype {
  BOOL(1),
  UINT8(1),
  INT8(1),
  INT32(4),
  INT64(8),
  FP16(2),
  FP32(4),
  FP64(8);

  private final int bytes;

  Datatype(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
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

  /** Names as the error message for an unsupported datatype lists them. */
  public static String supportedNames() {
    return Arrays.toString(values());
  }
}
