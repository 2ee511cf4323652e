package dev.maas.runtime.cli;

import dev.maas.contract.Commands;
import dev.maas.contract.CompressFlags;
import dev.maas.contract.CompressionMethod;
import dev.maas.contract.ExitCodes;
import dev.maas.contract.PackageFormat;
import dev.maas.contract.PodLayout;
import dev.maas.contract.PrepareReport;
import dev.maas.contract.PruningScope;
import dev.maas.contract.ServeFlags;
import dev.maas.contract.ServingDefaults;
import dev.maas.runtime.compress.AcceptanceGate;
import dev.maas.runtime.compress.CompressionSettings;
import dev.maas.runtime.compress.Compressor;
import dev.maas.runtime.compress.distill.TrainingSettings;
import dev.maas.runtime.crypto.DecryptedArtifact;
import dev.maas.runtime.model.ArtifactException;
import dev.maas.runtime.model.ArtifactUnavailableException;
import dev.maas.runtime.model.InputSignature;
import dev.maas.runtime.source.ArtifactFetcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code compress}: the operator runs it as a Job and reads the report from the pod's termination
 * message, so its exit codes and report are a contract: 0 package written (or already there), 3
 * thresholds not met (no package), 2 bad input, 1 anything else.
 */
@Command(
    name = Commands.COMPRESS,
    mixinStandardHelpOptions = true,
    description = "Compress a TorchScript model into a verified package that serve can load.")
public final class CompressCommand implements Callable<Integer> {
  static final Path TERMINATION_LOG = Path.of(PodLayout.TERMINATION_LOG);

  @Option(
      names = CompressFlags.SOURCE,
      required = true,
      description = "Source TorchScript: path, file: or http(s) URI.")
  String source;

  @Option(names = CompressFlags.SHA256, description = "Expected sha256 of the source.")
  String sha256;

  @Option(
      names = CompressFlags.METHOD,
      required = true,
      description = "Fp16, Int8, Prune, PruneInt8 or Distill.")
  String method;

  @Option(
      names = CompressFlags.STUDENT,
      description =
          "Distill: the student TorchScript (path or URI), with the model's inputs and outputs and"
              + " any initial weights.")
  String student;

  @Option(names = CompressFlags.STUDENT_SHA256, description = "Expected sha256 of the student.")
  String studentSha256;

  @Option(
      names = CompressFlags.DATA,
      description =
          "Inputs like the model will see (path or URI; safetensors, one tensor per input name, or"
              + " JSON rows). Distill trains on it; every method's check judges on it.")
  String data;

  @Option(names = CompressFlags.DATA_SHA256, description = "Expected sha256 of --data.")
  String dataSha256;

  @Option(
      names = CompressFlags.EPOCHS,
      description =
          "Distill: passes over the training rows (default "
              + ServingDefaults.DISTILL_EPOCHS
              + ").")
  Integer epochs;

  @Option(
      names = CompressFlags.BATCH_SIZE,
      description = "Distill: rows per step (default " + ServingDefaults.DISTILL_BATCH_SIZE + ").")
  Integer batchSize;

  @Option(
      names = CompressFlags.LEARNING_RATE,
      description =
          "Distill: Adam's learning rate (default " + ServingDefaults.DISTILL_LEARNING_RATE + ").")
  Double learningRate;

  @Option(
      names = CompressFlags.TEMPERATURE,
      description =
          "Distill: softens both outputs before comparing them (default "
              + ServingDefaults.DISTILL_TEMPERATURE
              + ").")
  Double temperature;

  @Option(
      names = CompressFlags.SEED,
      description =
          "Distill: the shuffle and the held-out split (default "
              + ServingDefaults.DISTILL_SEED
              + ").")
  Long seed;

  @Option(
      names = CompressFlags.SPARSITY,
      description = "Fraction of weights pruned, in (0, 1); Prune and PruneInt8.")
  Double sparsity;

  @Option(
      names = CompressFlags.PRUNING_SCOPE,
      defaultValue = PruningScope.DEFAULT,
      description = "Global (default) or PerLayer.")
  String pruningScope;

  @Option(
      names = CompressFlags.OUTPUT,
      required = true,
      description = "Directory that receives <key>" + PackageFormat.SUFFIX + ".")
  Path output;

  @Option(
      names = CompressFlags.INPUTS,
      required = true,
      description = "Input signature, e.g. input:FP32:-1,64.")
  String inputs;

  @Option(
      names = CompressFlags.SAMPLES,
      defaultValue = "" + ServingDefaults.SAMPLES,
      description = "Generated sample rows for the check.")
  int samples;

  @Option(
      names = CompressFlags.SAMPLE_DATA,
      description = "JSON rows {\"inputs\": [[...]]} to check on instead.")
  Path sampleData;

  @Option(
      names = CompressFlags.EVAL_DATA,
      description = "Labelled JSON rows {\"inputs\", \"labels\"}: accuracy before/after.")
  Path evalData;

  @Option(
      names = CompressFlags.MAX_OUTPUT_ERROR,
      description = "Largest allowed absolute output difference.")
  Double maxOutputError;

  @Option(
      names = CompressFlags.MIN_TOP1_AGREEMENT,
      description =
          "Smallest allowed fraction of unchanged top-1 classes; default "
              + ServingDefaults.MIN_TOP1_AGREEMENT
              + " when the first"
              + " output has classes, 0 turns the check off.")
  Double minTop1Agreement;

  @Option(
      names = CompressFlags.REPORT_FILE,
      description = "Also write the report here; default /dev/termination-log when it exists.")
  Path reportFile;

  @Option(
      names = ServeFlags.CACHE_DIR,
      defaultValue = "${env:" + ServeFlags.ENV_CACHE_DIR + ":-${sys:java.io.tmpdir}/maas-cache}",
      description = "Where downloaded sources are kept.")
  Path cacheDir;

  @Mixin ModelKeyOptions modelKey = new ModelKeyOptions();

  @Mixin SourceOptions sources = new SourceOptions();

  @Override
  public Integer call() {
    PrepareReport report;
    int exit;
    try {
      Compressor.Request request = request();
      EngineSettings.apply(Math.max(1, Runtime.getRuntime().availableProcessors()));
      Compressor.Outcome outcome =
          new Compressor(new ArtifactFetcher(cacheDir, sources.settings(), sources.tuning()))
              .compress(request);
      report = outcome.report();
      exit = outcome.accepted() ? ExitCodes.OK : ExitCodes.Compress.REJECTED;
    } catch (ArtifactUnavailableException e) {
      // The store is down or unreachable: the Job's next attempt may find it back.
      report = PrepareReport.error(e.getMessage());
      exit = ExitCodes.Compress.FAILED;
    } catch (IllegalArgumentException | ArtifactException e) {
      report = PrepareReport.error(e.getMessage());
      exit = ExitCodes.Compress.BAD_INPUT;
    } catch (Exception e) {
      report = PrepareReport.error("compression failed: " + e);
      exit = ExitCodes.Compress.FAILED;
    }
    String json = report.toJson();
    System.out.println(json);
    writeReportFile(json);
    if (exit != ExitCodes.OK) {
      System.err.println("compress: " + report.message());
    }
    return exit;
  }

  private Compressor.Request request() {
    CompressionMethod parsedMethod;
    PruningScope scope;
    try {
      parsedMethod = CompressionMethod.valueOf(method);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown --method "
              + method
              + "; use one of "
              + java.util.Arrays.toString(CompressionMethod.values()));
    }
    try {
      scope = PruningScope.valueOf(pruningScope);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown --pruning-scope " + pruningScope + "; use Global or PerLayer");
    }
    if (sparsity != null && !parsedMethod.prunes()) {
      throw new IllegalArgumentException("--sparsity applies only to Prune and PruneInt8");
    }
    if (parsedMethod.prunes() && sparsity == null) {
      throw new IllegalArgumentException(
          "--sparsity is required for " + parsedMethod + ", e.g. 0.5");
    }
    boolean trainingFlags =
        epochs != null
            || batchSize != null
            || learningRate != null
            || temperature != null
            || seed != null;
    if (!parsedMethod.distills() && (student != null || studentSha256 != null || trainingFlags)) {
      throw new IllegalArgumentException(
          "--student and the training flags (--epochs, --batch-size, --learning-rate,"
              + " --temperature, --seed) apply only to --method Distill");
    }
    if (parsedMethod.distills() && student == null) {
      throw new IllegalArgumentException(
          "--method Distill needs --student: a TorchScript with the model's inputs and outputs");
    }
    if (parsedMethod.distills() && data == null) {
      throw new IllegalArgumentException(
          "--method Distill needs --data: inputs like the model will see, to train on");
    }
    if (dataSha256 != null && data == null) {
      throw new IllegalArgumentException("--data-sha256 needs --data");
    }
    if (data != null && sampleData != null) {
      throw new IllegalArgumentException(
          "--data and --sample-data both name the rows to check on: give one");
    }
    if (samples < 1) {
      throw new IllegalArgumentException("--samples must be at least 1");
    }
    if (Files.exists(output) && !Files.isDirectory(output)) {
      throw new IllegalArgumentException(
          "--output " + output + " is a file; name a directory (it is created when missing)");
    }
    return new Compressor.Request(
        source,
        Optional.ofNullable(sha256),
        new CompressionSettings(parsedMethod, sparsity == null ? 0 : sparsity, scope),
        output,
        InputSignature.parse(inputs),
        samples,
        Optional.ofNullable(sampleData),
        Optional.ofNullable(evalData),
        new AcceptanceGate(
            Optional.ofNullable(maxOutputError), Optional.ofNullable(minTop1Agreement)),
        modelKey
            .keyFile()
            .map(
                key ->
                    new Compressor.Encryption(
                        DecryptedArtifact.readKey(key), modelKey.decryptedDir)),
        Optional.ofNullable(data)
            .map(d -> new Compressor.Fetched(d, Optional.ofNullable(dataSha256))),
        parsedMethod.distills()
            ? Optional.of(
                new Compressor.Distillation(
                    new Compressor.Fetched(student, Optional.ofNullable(studentSha256)),
                    new TrainingSettings(
                        epochs != null ? epochs : ServingDefaults.DISTILL_EPOCHS,
                        batchSize != null ? batchSize : ServingDefaults.DISTILL_BATCH_SIZE,
                        learningRate != null ? learningRate : ServingDefaults.DISTILL_LEARNING_RATE,
                        temperature != null ? temperature : ServingDefaults.DISTILL_TEMPERATURE,
                        seed != null ? seed : ServingDefaults.DISTILL_SEED)))
            : Optional.empty());
  }

  private void writeReportFile(String json) {
    Path target =
        reportFile != null
            ? reportFile
            : Files.isWritable(TERMINATION_LOG) ? TERMINATION_LOG : null;
    if (target == null) {
      return;
    }
    try {
      Files.writeString(target, json, StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("compress: cannot write the report to " + target + ": " + e.getMessage());
    }
  }
}
