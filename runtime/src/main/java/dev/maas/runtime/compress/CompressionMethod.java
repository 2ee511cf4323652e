package dev.maas.runtime.compress;

/** The compressor's methods; names match the CRD's spec.compression.method. */
public enum CompressionMethod {
  Fp16(false, false),
  Int8(true, false),
  Prune(false, true),
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

  public boolean prunes() {
    return prunes;
  }
}
