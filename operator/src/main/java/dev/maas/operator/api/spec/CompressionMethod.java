package dev.maas.operator.api.spec;

/** How the compression Job shrinks the artifact; names match the runtime's --method values. */
public enum CompressionMethod {
  Fp16,
  Int8,
  Prune,
  PruneInt8
}
