package dev.maas.runtime.compress;

/**
 * Global ranks all compressible weights together (layers with many small weights lose more);
 * PerLayer prunes every layer to the same sparsity.
 */
public enum PruningScope {
  Global,
  PerLayer
}
