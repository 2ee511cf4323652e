package dev.maas.runtime.compress;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.maas.contract.PrepareReport.Acceptance;
import java.util.List;

/**
 * {@code manifest.json} of a package: enough to restore the weights, to trace the package back to
 * its source (its digest, size and name: the name a server gives the package by default), and to
 * answer a later request with the same key without recompressing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PackageManifest(
    int formatVersion,
    String key,
    String method,
    String settings,
    String sourceSha256,
    long sourceBytes,
    String sourceName,
    String compressorVersion,
    List<TensorEntry> tensors,
    Acceptance acceptance) {

  public static final int FORMAT_VERSION = 1;

  /**
   * One compressed weight: its dense shape and how it is stored; {@code scale} and {@code mask}
   * name the safetensors entries holding per-channel scales and the kept-position bit mask.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TensorEntry(
      String name,
      List<Long> shape,
      WeightCodec.Encoding encoding,
      String storedDtype,
      String scale,
      String mask,
      long kept) {}
}
