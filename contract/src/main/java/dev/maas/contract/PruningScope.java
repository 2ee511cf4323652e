package dev.maas.contract;

/** How pruning picks the weights to zero: spec.compression.pruningScope, --pruning-scope. */
public enum PruningScope {
  /** All compressible weights ranked together (layers with many small weights lose more). */
  Global,
  /** Every layer pruned to the same sparsity. */
  PerLayer;

  /** compress's default, by name so that it can be an option's default value. */
  public static final String DEFAULT = "Global";
}
