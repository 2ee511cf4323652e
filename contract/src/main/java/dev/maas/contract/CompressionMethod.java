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
  PruneInt8(true, true),
  /**
   * Knowledge distillation: a smaller student network trained to answer like the model, on the
   * user's unlabelled data; the student is what gets served.
   */
  Distill(false, false);

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

  /** Whether the method trains a student (and so needs one, and data). */
  public boolean distills() {
    return this == Distill;
  }
}
