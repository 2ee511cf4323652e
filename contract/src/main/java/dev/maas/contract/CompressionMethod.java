package dev.maas.contract;

/** The compressor's methods: spec.compression.method, compress's --method. */
public enum CompressionMethod {
  /** Half-precision weights. */
  Fp16(false, false),
  /** Weight-only int8, per-output-channel symmetric scales. */
  Int8(true, false),
  /** Magnitude pruning. */
  Prune(false, true),
  /** Pruning, then int8. */
  PruneInt8(true, true);

  private final boolean quantizes;
  private final boolean prunes;

  CompressionMethod(boolean quantizes, boolean prunes) {
    this.quantizes = quantizes;
    this.prunes = prunes;
  }

  public boolean quantizes() {
    return quantizes;
  }

  /** Whether the method takes a sparsity and a pruning scope. */
  public boolean prunes() {
    return prunes;
  }
}
