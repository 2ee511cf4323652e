package dev.maas.runtime.compress;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import dev.maas.contract.CompressionMethod;
import dev.maas.contract.PackageFormat;
import dev.maas.contract.PrepareReport;
import dev.maas.contract.PrepareReport.Acceptance;
import dev.maas.contract.PrepareStatus;
import dev.maas.contract.ServingDefaults;
import dev.maas.runtime.compress.distill.DataSplit;
import dev.maas.runtime.compress.distill.Distiller;
import dev.maas.runtime.compress.distill.SpeedComparison;
import dev.maas.runtime.compress.distill.TrainingSettings;
import dev.maas.runtime.crypto.DecryptedArtifact;
import dev.maas.runtime.crypto.ModelKey;
import dev.maas.runtime.model.InputSignature;
import dev.maas.runtime.model.ModelLoader;
import dev.maas.runtime.model.ServedName;
import dev.maas.runtime.model.Sha256;
import dev.maas.runtime.source.ArtifactFetcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
      AcceptanceGate gate,
      Optional<Encryption> encryption,
      Optional<Fetched> data,
      Optional<Distillation> distillation) {}

  /** Something compress fetches and verifies besides the source: a location and its digest. */
  public record Fetched(String location, Optional<String> sha256) {}

  /** Distill's student and training settings. */
  public record Distillation(Fetched student, TrainingSettings training) {}

  /**
   * An encrypted source: decrypted into {@code memoryDir} (tmpfs) for as long as the step runs, and
   * the package written encrypted with the same key, so that no plaintext reaches the volume.
   */
  public record Encryption(ModelKey key, Path memoryDir) {}

  /** The report and whether the thresholds held. */
  public record Outcome(PrepareReport report, boolean accepted) {}

  public static String key(String sourceSha256, CompressionSettings settings) {
    return key(sourceSha256, settings.canonical());
  }

  /**
   * Distill's key: the student's and the data's digests and every training setting join the
   * source's, so that an unchanged spec never trains twice and any change trains again.
   */
  public static String distillKey(
      String sourceSha256, String studentSha256, String dataSha256, TrainingSettings training) {
    return key(
        sourceSha256,
        CompressionMethod.Distill.name()
            + ";student="
            + studentSha256
            + ";data="
            + dataSha256
            + ";"
            + training.canonical());
  }

  private static String key(String sourceSha256, String canonicalSettings) {
    return Sha256.of(
        (sourceSha256 + "|" + canonicalSettings + "|" + CompressionSettings.COMPRESSOR_VERSION)
            .getBytes(StandardCharsets.UTF_8));
  }

  public static Path packagePath(Path outputDir, String key) {
    return outputDir.resolve(PackageFormat.fileName(key));
  }

  public Outcome compress(Request request) throws IOException, TranslateException {
    Timings timings = new Timings();
    ArtifactFetcher.Artifact source = fetcher.fetch(request.source(), request.sha256());
    Optional<ArtifactFetcher.Artifact> data =
        request.data().map(d -> fetcher.fetch(d.location(), d.sha256()));
    if (request.distillation().isPresent()) {
      return distill(request, request.distillation().get(), source, data, timings);
    }
    timings.lap("fetch");
    String key = key(source.sha256(), request.settings());
    Files.createDirectories(request.outputDir());
    Path target = packagePath(request.outputDir(), key);
    Reporter reporter = new Reporter(request, key, source.bytes(), timings);
    if (Files.isRegularFile(target)) {
      return alreadyPrepared(request, target, reporter);
    }
    SampleData samples =
        data.isPresent()
            ? DataFile.read(data.get().path(), request.inputs())
            : request.sampleData().isPresent()
                ? SampleData.read(request.sampleData().get(), request.inputs())
                : SampleData.generate(request.inputs(), request.samples(), 20261123L);
    Optional<SampleData> labelled = labelled(request);
    try (DecryptedArtifact decrypted = decrypt(request, source.path());
        ZooModel<NDList, NDList> original =
            loader.loadTorchScript(plain(decrypted, source), Device.cpu());
        ZooModel<NDList, NDList> compressed =
            loader.loadForEditing(plain(decrypted, source), Device.cpu())) {
      timings.lap("load");
      WeightEditor editor = new WeightEditor(compressed.getBlock(), compressed.getNDManager());
      List<WeightEditor.Weight> weights = editor.compressibleWeights();
      if (weights.isEmpty()) {
        throw new IllegalArgumentException(
            "the model has no float32 weight matrices or kernels to compress");
      }
      WeightEncoding.EncodedWeights encoded =
          WeightEncoding.encodeAndApply(editor, weights, request.settings());
      timings.lap("compress");
      Acceptance acceptance = AcceptanceCheck.compare(original, compressed, samples, labelled);
      timings.lap("check");
      Optional<String> violation = request.gate().violation(acceptance);
      if (violation.isPresent()) {
        return reporter.rejected(false, acceptance, violation.get());
      }
      weights.forEach(editor::zero);
      writePackage(
          request,
          key,
          source,
          target,
          out -> JniUtils.writeModule((PtSymbolBlock) compressed.getBlock(), out, false),
          encoded,
          acceptance,
          decrypted);
      timings.lap("write");
      return reporter.accepted(target, false, acceptance, null);
    }
  }

  /**
   * Distill: train the student on the data's training split against the model's answers, judge the
   * student (as written, reloaded) on the held-out split, time both, and package the student.
   */
  private Outcome distill(
      Request request,
      Distillation distillation,
      ArtifactFetcher.Artifact source,
      Optional<ArtifactFetcher.Artifact> data,
      Timings timings)
      throws IOException, TranslateException {
    if (data.isEmpty()) {
      throw new IllegalArgumentException("--method Distill needs --data: rows to train on");
    }
    ArtifactFetcher.Artifact student =
        fetcher.fetch(distillation.student().location(), distillation.student().sha256());
    timings.lap("fetch");
    TrainingSettings training = distillation.training();
    String key = distillKey(source.sha256(), student.sha256(), data.get().sha256(), training);
    Files.createDirectories(request.outputDir());
    Path target = packagePath(request.outputDir(), key);
    Reporter reporter = new Reporter(request, key, source.bytes(), timings);
    if (Files.isRegularFile(target)) {
      return alreadyPrepared(request, target, reporter);
    }
    SampleData rows = DataFile.read(data.get().path(), request.inputs());
    DataSplit split = DataSplit.of(rows, ServingDefaults.DISTILL_HELD_OUT_SHARE, training.seed());
    Optional<SampleData> labelled = labelled(request);
    try (DecryptedArtifact decrypted = decrypt(request, source.path());
        ZooModel<NDList, NDList> teacher =
            loader.loadForEditing(plain(decrypted, source), Device.cpu());
        ZooModel<NDList, NDList> trainee = loader.loadForTraining(student.path(), Device.cpu())) {
      timings.lap("load");
      Path module =
          decrypted == null
              ? Files.createTempFile(request.outputDir(), ".student-", ".pt")
              : decrypted.beside("student.pt");
      try {
        Distiller.Result result =
            new Distiller(training, line -> System.err.println("compress: " + line))
                .train(teacher, trainee, split.train(), split.heldOut(), module);
        timings.lap("train");
        try (ZooModel<NDList, NDList> trained = loader.loadTorchScript(module, Device.cpu())) {
          Acceptance acceptance =
              AcceptanceCheck.compare(teacher, trained, split.heldOut(), labelled);
          timings.lap("check");
          SpeedComparison.Measured speed =
              SpeedComparison.measure(teacher, trained, split.heldOut());
          timings.lap("time");
          PrepareReport.Training summary =
              new PrepareReport.Training(
                  result.epochs(),
                  split.train().rows(),
                  split.heldOut().rows(),
                  result.finalLoss(),
                  result.heldOutAgreement(),
                  Distiller.parameters(teacher),
                  Distiller.parameters(trainee),
                  speed.teacherMillis(),
                  speed.studentMillis(),
                  speed.speedup());
          Reporter withTraining = reporter.withTraining(summary);
          Optional<String> violation = request.gate().violation(acceptance);
          if (violation.isPresent()) {
            return withTraining.rejected(false, acceptance, violation.get());
          }
          writePackage(
              request,
              key,
              source,
              target,
              out -> Files.copy(module, out),
              new WeightEncoding.EncodedWeights(Map.of(), List.of()),
              acceptance,
              decrypted);
          timings.lap("write");
          return withTraining.accepted(target, false, acceptance, null);
        }
      } finally {
        Files.deleteIfExists(module);
      }
    }
  }

  /** {@code --eval-data}'s labelled rows, for accuracy before and after. */
  private static Optional<SampleData> labelled(Request request) throws IOException {
    return request.evalData().isPresent()
        ? Optional.of(SampleData.read(request.evalData().get(), request.inputs()))
        : Optional.empty();
  }

  /** The decrypted source of an encrypted one, in memory; null for a plain source. */
  private static DecryptedArtifact decrypt(Request request, Path source) {
    return request
        .encryption()
        .map(e -> DecryptedArtifact.decrypt(e.key(), source, e.memoryDir()))
        .orElse(null);
  }

  private static Path plain(DecryptedArtifact decrypted, ArtifactFetcher.Artifact source) {
    return decrypted == null ? source.path() : decrypted.file();
  }

  /**
   * The package is already there under its key. The gate holds for every run: a package made under
   * looser thresholds (or none) is not accepted by a run with stricter ones. It stays, for the runs
   * it does satisfy.
   */
  private static Outcome alreadyPrepared(Request request, Path target, Reporter reporter)
      throws IOException {
    Acceptance measured = readManifest(request, target).acceptance();
    Optional<String> violation =
        measured == null ? Optional.empty() : request.gate().violation(measured);
    if (violation.isPresent()) {
      return reporter.rejected(
          true, measured, violation.get() + " (measured when the package was made)");
    }
    return reporter.accepted(target, true, measured, "package already exists; nothing to do");
  }

  private static PackageManifest readManifest(Request request, Path target) throws IOException {
    if (request.encryption().isEmpty()) {
      return ModelPackage.readManifest(target);
    }
    Encryption encryption = request.encryption().get();
    try (DecryptedArtifact decrypted =
        DecryptedArtifact.decrypt(encryption.key(), target, encryption.memoryDir())) {
      return ModelPackage.readManifest(decrypted.file());
    }
  }

  /**
   * Writes the package under its key; for an encrypted source, the module and the package are made
   * beside the decrypted source (in memory), and only the package's ciphertext reaches the volume,
   * renamed into place once complete.
   */
  private static void writePackage(
      Request request,
      String key,
      ArtifactFetcher.Artifact source,
      Path target,
      ModuleWriter moduleWriter,
      WeightEncoding.EncodedWeights encoded,
      Acceptance acceptance,
      DecryptedArtifact decrypted)
      throws IOException {
    Path module =
        decrypted == null
            ? Files.createTempFile(request.outputDir(), ".module-", ".pt")
            : decrypted.beside("module.pt");
    Path plainPackage =
        decrypted == null ? target : decrypted.beside(target.getFileName().toString());
    try {
      try (OutputStream out = Files.newOutputStream(module)) {
        moduleWriter.write(out);
      }
      String method = request.settings().method().name();
      byte[] safetensors =
          Safetensors.write(encoded.stored(), Map.of("format", "maas-package", "method", method));
      PackageManifest manifest =
          new PackageManifest(
              PackageManifest.FORMAT_VERSION,
              key,
              method,
              request.settings().canonical(),
              source.sha256(),
              source.bytes(),
              ServedName.fromLocation(request.source()),
              CompressionSettings.COMPRESSOR_VERSION,
              encoded.entries(),
              acceptance);
      ModelPackage.write(plainPackage, manifest, module, safetensors);
      if (decrypted != null) {
        encryptInto(request.encryption().get().key(), plainPackage, target);
      }
    } finally {
      Files.deleteIfExists(module);
    }
  }

  /** Writes the TorchScript module that goes into the package. */
  @FunctionalInterface
  private interface ModuleWriter {
    void write(OutputStream out) throws IOException;
  }

  private static void encryptInto(ModelKey key, Path plain, Path target) throws IOException {
    Path partial = Files.createTempFile(target.getParent(), ".package-", ".partial");
    try {
      try (InputStream in = Files.newInputStream(plain);
          OutputStream out = Files.newOutputStream(partial)) {
        key.encrypt(in, out);
      }
      Files.move(
          partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** Milliseconds per phase, in the order they ran, and the total at every lap. */
  private static final class Timings {
    private final long start = System.nanoTime();
    private long last = start;
    private final Map<String, Long> millis = new LinkedHashMap<>();

    void lap(String phase) {
      long now = System.nanoTime();
      millis.put(phase, (now - last) / 1_000_000);
      last = now;
    }

    Map<String, Long> withTotal() {
      Map<String, Long> all = new LinkedHashMap<>(millis);
      all.put("total", (System.nanoTime() - start) / 1_000_000);
      return all;
    }
  }

  /** Builds the report of one run: what every outcome of it has in common. */
  private record Reporter(
      Request request,
      String key,
      long originalBytes,
      Timings timings,
      PrepareReport.Training training) {
    Reporter(Request request, String key, long originalBytes, Timings timings) {
      this(request, key, originalBytes, timings, null);
    }

    Reporter withTraining(PrepareReport.Training summary) {
      return new Reporter(request, key, originalBytes, timings, summary);
    }

    Outcome rejected(boolean cached, Acceptance acceptance, String why) {
      return new Outcome(base(PrepareStatus.REJECTED, cached, acceptance, why).build(), false);
    }

    Outcome accepted(Path target, boolean cached, Acceptance acceptance, String message)
        throws IOException {
      long packageBytes = Files.size(target);
      PrepareReport report =
          base(PrepareStatus.OK, cached, acceptance, message)
              .packagePath(target.toString())
              .packageSha256(digest(target))
              .packageBytes(packageBytes)
              .ratio(Math.round(1000.0 * originalBytes / packageBytes) / 1000.0)
              .build();
      return new Outcome(report, true);
    }

    private String settings() {
      return request
          .distillation()
          .map(d -> CompressionMethod.Distill.name() + ";" + d.training().canonical())
          .orElse(request.settings().canonical());
    }

    private PrepareReport.Builder base(
        PrepareStatus status, boolean cached, Acceptance acceptance, String message) {
      return PrepareReport.builder(status)
          .method(request.settings().method().name())
          .settings(settings())
          .key(key)
          .cached(cached)
          .originalBytes(originalBytes)
          .acceptance(acceptance)
          .training(training)
          .durationsMillis(timings.withTotal())
          .message(message);
    }
  }

  private static String digest(Path file) {
    try {
      return Sha256.of(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
