package dev.maas.operator.api.spec;

/**
 * Open Inference Protocol datatypes the runtime accepts. BF16 and INT16 are left out on purpose:
 * DJL 0.35 aborts the JVM on an array of either, so a signature that declares one could never be
 * served.
 */
public enum TensorDatatype {
  BOOL,
  UINT8,
  INT8,
  INT32,
  INT64,
  FP16,
  FP32,
  FP64
}
