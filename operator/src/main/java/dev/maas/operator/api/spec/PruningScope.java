package dev.maas.operator.api.spec;

/** Whether magnitude pruning ranks weights across the whole model or within each layer. */
public enum PruningScope {
  Global,
  PerLayer
}
