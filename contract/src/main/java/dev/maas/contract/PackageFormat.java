package dev.maas.contract;

/** A compressed package's file name: {@code <64-hex key>.maas.zip}. */
public final class PackageFormat {
  public static final String SUFFIX = ".maas.zip";

  private PackageFormat() {}

  public static String fileName(String key) {
    return key + SUFFIX;
  }
}
