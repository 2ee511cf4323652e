package dev.maas.runtime.compress;

import dev.maas.contract.CompressionMethod;
import dev.maas.contract.PruningScope;

/** What to do to the weights; part of the content-addressed package key. */
public record CompressionSettings(CompressionMethod method, double sparsity, PruningScope scope) {
  /** Bumped whenever the package format or the maths change, so old packages are not reused. */
  public static final String COMPRESSOR_VERSION = "maas-compress/1";

  public CompressionSettings {
    if (method.prunes() && !(sparsity > 0 && sparsity < 1)) {
      throw new IllegalArgumentException(
          "--sparsity must be greater than 0 and less than 1 for " + method + ", got " + sparsity);
    }
    if (!method.prunes()) {
      sparsity = 0;
      scope = PruningScope.Global;
    }
  }

  /**
   * Canonical text of the settings, hashed into the package key. The sparsity is written exactly
   * (the shortest decimal that reads back as the same double): rounding would give two different
   * settings one key, and record 0.9999999 as 1.000000, a value the command refuses.
   */
  public String canonical() {
    return method.prunes()
        ? method + ";sparsity=" + Double.toString(sparsity) + ";scope=" + scope
        : method.name();
  }
}
