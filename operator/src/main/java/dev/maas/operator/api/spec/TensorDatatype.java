package dev.maas.operator.api.spec;

/**
 * Open Inference Protocol datatypes the runtime accepts. BF16 is left out on purpose: DJL 0.35
 * aborts the JVM on a BF16 array, so a signature that declares it could never be served.
 */
public enum TensorDatatype {
  BOOL,
  UINT8,
  INT8,
  INT16,
  INT32,
  INT64,
  FP16,
  FP32,
  FP64
}
