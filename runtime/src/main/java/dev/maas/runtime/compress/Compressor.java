package dev.maas.runtime.compress;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import dev.maas.runtime.model.ArtifactFetcher;
import dev.maas.runtime.model.InputSignature;
import dev.maas.runtime.model.ModelLoader;
import dev.maas.runtime.model.ServedName;
import dev.maas.runtime.model.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The prepare step: fetch and verify the source, compress its weights, check the result against the
 * original, and only then write the content-addressed package. The acceptance check runs on the
 * weights exactly as the server will restore them from the package.
 */
public final class Compressor {
  /**
   * Without a threshold a compression that destroyed the model would pass (Prune at 0.999 keeps
   * 0.8% of the top-1 answers): when the first output has a top-1 class, at least 90% of the
   * samples must keep theirs unless the caller says otherwise. No default for the output error: its
   * scale is the model's.
   */
  public static final double DEFAULT_MIN_TOP1_AGREEMENT = 0.90;

  private final ArtifactFetcher fetcher;
  private final ModelLoader loader = new ModelLoader();

  public Compressor(ArtifactFetcher fetcher) {
    this.fetcher = fetcher;
  }

  /** What to compress, how, and what the result must meet. */
  public record Request(
      String source,
      Optional<String> sha256,
      CompressionSettings settings,
      Path outputDir,
      InputSignature inputs,
      int samples,
      Optional<Path> sampleData,
      Optional<Path> evalData,
      Optional<Double> maxOutputError,
      Optional<Double> minTop1Agreement) {}

  /** The report and whether the thresholds held. */
  public record Outcome(CompressionReport report, boolean accepted) {}

  public static String key(String sourceSha256, CompressionSettings settings) {
    return Sha256.of(
        (sourceSha256 + "|" + settings.canonical() + "|" + CompressionSettings.COMPRESSOR_VERSION)
            .getBytes(StandardCharsets.UTF_8));
  }

  public static Path packagePath(Path outputDir, String key) {
    return outputDir.resolve(key + ".maas.zip");
  }

  public Outcome compress(Request request) throws IOException, TranslateException {
    long start = System.nanoTime();
    Map<String, Long> durations = new LinkedHashMap<>();
    ArtifactFetcher.Artifact source = fetcher.fetch(request.source(), request.sha256());
    durations.put("fetch", millisSince(start));
    String key = key(source.sha256(), request.settings());
    Files.createDirectories(request.outputDir());
    Path target = packagePath(request.outputDir(), key);
    if (Files.isRegularFile(target)) {
      PackageManifest manifest = ModelPackage.readManifest(target);
      durations.put("total", millisSince(start));
      // The gate holds for every run: a package made under looser thresholds (or none) is not
      // accepted by a run with stricter ones. It stays, for the runs it does satisfy.
      Optional<String> cachedViolation =
          manifest.acceptance() == null
              ? Optional.empty()
              : violation(request, manifest.acceptance());
      if (cachedViolation.isPresent()) {
        return new Outcome(
            report(
                "rejected",
                request,
                key,
                null,
                true,
                source.bytes(),
                null,
                manifest.acceptance(),
                durations,
                cachedViolation.get() + " (measured when the package was made)"),
            false);
      }
      return new Outcome(
          report(
              "ok",
              request,
              key,
              target,
              true,
              source.bytes(),
              Files.size(target),
              manifest.acceptance(),
              durations,
              "package already exists; nothing to do"),
          true);
    }
    SampleData samples =
        request.sampleData().isPresent()
            ? SampleData.read(request.sampleData().get(), request.inputs())
            : SampleData.generate(request.inputs(), request.samples(), 20261123L);
    Optional<SampleData> labelled =
        request.evalData().isPresent()
            ? Optional.of(SampleData.read(request.evalData().get(), request.inputs()))
            : Optional.empty();

    try (ZooModel<NDList, NDList> original = loader.loadTorchScript(source.path(), Device.cpu());
        ZooModel<NDList, NDList> compressed = loader.loadForEditing(source.path(), Device.cpu())) {
      long compressStart = System.nanoTime();
      WeightEditor editor = new WeightEditor(compressed.getBlock(), compressed.getNDManager());
      List<WeightEditor.Weight> weights = editor.compressibleWeights();
      if (weights.isEmpty()) {
        throw new IllegalArgumentException(
            "the model has no float32 weight matrices or kernels to compress");
      }
      EncodedWeights encoded = encodeAndApply(editor, weights, request.settings());
      Map<String, StoredTensor> stored = encoded.stored();
      List<PackageManifest.TensorEntry> entries = encoded.entries();
      durations.put("compress", millisSince(compressStart));

      long checkStart = System.nanoTime();
      AcceptanceResult acceptance =
          AcceptanceCheck.compare(original, compressed, samples, labelled);
      durations.put("check", millisSince(checkStart));
      Optional<String> violation = violation(request, acceptance);
      if (violation.isPresent()) {
        durations.put("total", millisSince(start));
        return new Outcome(
            report(
                "rejected",
                request,
                key,
                null,
                false,
                source.bytes(),
                null,
                acceptance,
                durations,
                violation.get()),
            false);
      }

      long writeStart = System.nanoTime();
      for (WeightEditor.Weight weight : weights) {
        editor.zero(weight);
      }
      Path module = Files.createTempFile(request.outputDir(), ".module-", ".pt");
      try {
        try (OutputStream out = Files.newOutputStream(module)) {
          JniUtils.writeModule((PtSymbolBlock) compressed.getBlock(), out, false);
        }
        byte[] safetensors =
            Safetensors.write(
                stored,
                Map.of("format", "maas-package", "method", request.settings().method().name()));
        PackageManifest manifest =
            new PackageManifest(
                PackageManifest.FORMAT_VERSION,
                key,
                request.settings().method().name(),
                request.settings().canonical(),
                source.sha256(),
                source.bytes(),
                ServedName.fromLocation(request.source()),
                CompressionSettings.COMPRESSOR_VERSION,
                entries,
                acceptance);
        ModelPackage.write(target, manifest, module, safetensors);
      } finally {
        Files.deleteIfExists(module);
      }
      durations.put("write", millisSince(writeStart));
      durations.put("total", millisSince(start));
      return new Outcome(
          report(
              "ok",
              request,
              key,
              target,
              false,
              source.bytes(),
              Files.size(target),
              acceptance,
              durations,
              null),
          true);
    }
  }

  /** Everything the package stores for the compressed weights, and their manifest entries. */
  private record EncodedWeights(
      Map<String, StoredTensor> stored, List<PackageManifest.TensorEntry> entries) {}

  /**
   * Encodes every weight and writes its decoded form back into the editable module, so that the
   * acceptance check measures exactly what serve will restore.
   */
  private static EncodedWeights encodeAndApply(
      WeightEditor editor, List<WeightEditor.Weight> weights, CompressionSettings settings) {
    Map<String, StoredTensor> stored = new LinkedHashMap<>();
    List<PackageManifest.TensorEntry> entries = new ArrayList<>();
    float globalThreshold =
        settings.method().prunes() && settings.scope() == PruningScope.Global
            ? WeightCodec.pruneThreshold(concat(weights), settings.sparsity())
            : -1f;
    for (WeightEditor.Weight weight : weights) {
      float[] values = weight.array().toFloatArray();
      float threshold =
          !settings.method().prunes()
              ? -1f
              : settings.scope() == PruningScope.Global
                  ? globalThreshold
                  : WeightCodec.pruneThreshold(values, settings.sparsity());
      WeightCodec.Encoded encoded =
          WeightCodec.encode(weight.name(), values, weight.shape(), settings.method(), threshold);
      stored.putAll(encoded.tensors());
      editor.set(
          weight,
          WeightCodec.decode(weight.name(), encoded.encoding(), weight.shape(), encoded.tensors()));
      entries.add(
          new PackageManifest.TensorEntry(
              weight.name(),
              Arrays.stream(weight.shape()).boxed().toList(),
              encoded.encoding(),
              encoded.tensors().get(weight.name()).dtype(),
              encoded.tensors().containsKey(weight.name() + ".scale")
                  ? weight.name() + ".scale"
                  : null,
              encoded.tensors().containsKey(weight.name() + ".mask")
                  ? weight.name() + ".mask"
                  : null,
              encoded.kept()));
    }
    return new EncodedWeights(stored, entries);
  }

  private static Optional<String> violation(Request request, AcceptanceResult result) {
    if (request.maxOutputError().isPresent()
        && result.maxOutputError() > request.maxOutputError().get()) {
      return Optional.of(
          String.format(
              "max output error %.6f exceeds --max-output-error %.6f",
              result.maxOutputError(), request.maxOutputError().get()));
    }
    if (request.minTop1Agreement().isPresent() && result.top1Agreement() == null) {
      return Optional.of(
          "--min-top1-agreement was given but the first output has one value per row, so it has no top-1 class");
    }
    if (result.top1Agreement() != null) {
      double floor = request.minTop1Agreement().orElse(DEFAULT_MIN_TOP1_AGREEMENT);
      if (result.top1Agreement() < floor) {
        return Optional.of(
            String.format(
                "top-1 agreement %.4f is below --min-top1-agreement %.4f%s",
                result.top1Agreement(),
                floor,
                request.minTop1Agreement().isPresent()
                    ? ""
                    : " (the default: set it, or 0 to accept any agreement)"));
      }
    }
    return Optional.empty();
  }

  private static CompressionReport report(
      String status,
      Request request,
      String key,
      Path target,
      boolean cached,
      long originalBytes,
      Long packageBytes,
      AcceptanceResult acceptance,
      Map<String, Long> durations,
      String message) {
    Double ratio =
        packageBytes == null ? null : Math.round(1000.0 * originalBytes / packageBytes) / 1000.0;
    return new CompressionReport(
        status,
        request.settings().method().name(),
        request.settings().canonical(),
        key,
        target == null ? null : target.toString(),
        target == null ? null : digest(target),
        cached,
        originalBytes,
        packageBytes,
        ratio,
        acceptance,
        durations,
        message);
  }

  private static String digest(Path file) {
    try {
      return Sha256.of(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static float[] concat(List<WeightEditor.Weight> weights) {
    int total = weights.stream().mapToInt(w -> Math.toIntExact(w.array().size())).sum();
    float[] all = new float[total];
    int offset = 0;
    for (WeightEditor.Weight w : weights) {
      float[] values = w.array().toFloatArray();
      System.arraycopy(values, 0, all, offset, values.length);
      offset += values.length;
    }
    return all;
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
