package dev.maas.runtime.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import dev.maas.contract.CompressionMethod;
import dev.maas.contract.PrepareReport;
import dev.maas.contract.PrepareReport.Acceptance;
import dev.maas.contract.PruningScope;
import dev.maas.contract.ServingDefaults;
import dev.maas.runtime.cli.EngineSettings;
import dev.maas.runtime.compress.AcceptanceCheck;
import dev.maas.runtime.compress.AcceptanceGate;
import dev.maas.runtime.compress.CompressionSettings;
import dev.maas.runtime.compress.Compressor;
import dev.maas.runtime.compress.PackageLoader;
import dev.maas.runtime.compress.SampleData;
import dev.maas.runtime.compress.distill.SpeedComparison;
import dev.maas.runtime.compress.distill.TrainingSettings;
import dev.maas.runtime.model.InputSignature;
import dev.maas.runtime.model.ModelLoader;
import dev.maas.runtime.source.ArtifactFetcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * For each example model and method: sizes, ratio, output error, top-1 agreement on generated noise
 * and on the held-out digits, held-out accuracy before and after, compress and load time; beside
 * them, PyTorch's own quantize_dynamic on the same MLP, and the MLP distilled into its student
 * (with a second table of what the student costs to run). Prints markdown tables.
 *
 * <p>Usage: {@code CompressionBenchmark MODELS_DIR WORK_DIR}
 */
public final class CompressionBenchmark {
  public static void main(String[] args) throws Exception {
    Path models = Path.of(args[0]);
    Path work = Path.of(args[1]);
    EngineSettings.apply(Runtime.getRuntime().availableProcessors());
    Path eval = models.resolve("digits_test.json");
    System.out.println(
        "| model | method | original bytes | package bytes | ratio | max error | top-1 agreement"
            + " (noise) | top-1 agreement (held-out digits) | accuracy before | accuracy after |"
            + " compress ms | load ms |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    String[][] cases = {
      {"digits_mlp.pt", "input:FP32:-1,64"}, {"digits_cnn.pt", "input:FP32:-1,1,8,8"}
    };
    ModelLoader loader = new ModelLoader();
    for (String[] c : cases) {
      Path source = models.resolve(c[0]);
      InputSignature inputs = InputSignature.parse(c[1]);
      long plainLoad = timeLoad(() -> loader.loadTorchScript(source, Device.cpu()));
      for (CompressionMethod method : CompressionMethod.values()) {
        if (method.distills()) {
          continue; // its own row below: it needs a student and data
        }
        Path out = Files.createTempDirectory(work, "bench-");
        CompressionSettings settings =
            new CompressionSettings(method, method.prunes() ? 0.5 : 0, PruningScope.Global);
        long start = System.nanoTime();
        Compressor.Outcome outcome =
            new Compressor(new ArtifactFetcher(work))
                .compress(
                    new Compressor.Request(
                        source.toString(),
                        Optional.empty(),
                        settings,
                        out,
                        inputs,
                        256,
                        Optional.empty(),
                        Optional.of(eval),
                        // Measures every setting; the gate (default top-1 floor) is not its job.
                        new AcceptanceGate(Optional.empty(), Optional.of(0.0)),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty()));
        long compressMillis = (System.nanoTime() - start) / 1_000_000;
        PrepareReport r = outcome.report();
        Path pkg = Path.of(r.packagePath());
        long load =
            timeLoad(
                () ->
                    new PackageLoader(loader, work.resolve("packages"))
                        .load(pkg, Device.cpu())
                        .model());
        row(
            c[0],
            method.name() + (method.prunes() ? " 50%" : ""),
            r.originalBytes(),
            r.packageBytes(),
            r.acceptance(),
            onDigits(loader, source, pkg, work, inputs, eval),
            compressMillis,
            load + " (plain " + plainLoad + ")");
      }
    }
    distill(models, work, eval, loader);
    Path mlp = models.resolve("digits_mlp.pt");
    Path quantized = models.resolve("digits_mlp_qdynamic.pt");
    try (ZooModel<NDList, NDList> original = loader.loadTorchScript(mlp, Device.cpu());
        ZooModel<NDList, NDList> torchInt8 = loader.loadTorchScript(quantized, Device.cpu())) {
      InputSignature inputs = InputSignature.parse("input:FP32:-1,64");
      Acceptance result =
          AcceptanceCheck.compare(
              original,
              torchInt8,
              SampleData.generate(inputs, 256, 20261123L),
              Optional.of(SampleData.read(eval, inputs)));
      long load = timeLoad(() -> loader.loadTorchScript(quantized, Device.cpu()));
      Acceptance digits =
          AcceptanceCheck.compare(
              original, torchInt8, SampleData.read(eval, inputs), Optional.empty());
      row(
          "digits_mlp.pt",
          "torch quantize_dynamic (reference)",
          Files.size(mlp),
          Files.size(quantized),
          result,
          digits.top1Agreement(),
          0,
          Long.toString(load));
    }
    System.out.println();
    System.out.println(distillation);
  }

  private static String distillation = "";

  /**
   * The MLP distilled into examples/models/digits_student.pt on digits_unlabelled.safetensors with
   * compress's defaults: a row of the table, and what the student costs to run against the teacher.
   */
  private static void distill(Path models, Path work, Path eval, ModelLoader loader)
      throws Exception {
    Path source = models.resolve("digits_mlp.pt");
    InputSignature inputs = InputSignature.parse("input:FP32:-1,64");
    Path out = Files.createTempDirectory(work, "bench-");
    long start = System.nanoTime();
    Compressor.Outcome outcome =
        new Compressor(new ArtifactFetcher(work))
            .compress(
                new Compressor.Request(
                    source.toString(),
                    Optional.empty(),
                    new CompressionSettings(CompressionMethod.Distill, 0, PruningScope.Global),
                    out,
                    inputs,
                    256,
                    Optional.empty(),
                    Optional.of(eval),
                    new AcceptanceGate(Optional.empty(), Optional.of(0.0)),
                    Optional.empty(),
                    Optional.of(
                        new Compressor.Fetched(
                            models.resolve("digits_unlabelled.safetensors").toString(),
                            Optional.empty())),
                    Optional.of(
                        new Compressor.Distillation(
                            new Compressor.Fetched(
                                models.resolve("digits_student.pt").toString(), Optional.empty()),
                            new TrainingSettings(
                                ServingDefaults.DISTILL_EPOCHS,
                                ServingDefaults.DISTILL_BATCH_SIZE,
                                ServingDefaults.DISTILL_LEARNING_RATE,
                                ServingDefaults.DISTILL_TEMPERATURE,
                                ServingDefaults.DISTILL_SEED)))));
    long compressMillis = (System.nanoTime() - start) / 1_000_000;
    PrepareReport r = outcome.report();
    Path pkg = Path.of(r.packagePath());
    Path student = work.resolve("student");
    try (ZooModel<NDList, NDList> teacher = loader.loadTorchScript(source, Device.cpu());
        ZooModel<NDList, NDList> served =
            new PackageLoader(loader, student).load(pkg, Device.cpu()).model()) {
      // The report judged the student on the data's held-out split; the table's columns judge
      // every method alike: 256 generated samples, and the held-out digits.
      Acceptance noise =
          AcceptanceCheck.compare(
              teacher,
              served,
              SampleData.generate(inputs, 256, 20261123L),
              Optional.of(SampleData.read(eval, inputs)));
      Acceptance digits =
          AcceptanceCheck.compare(teacher, served, SampleData.read(eval, inputs), Optional.empty());
      long load =
          timeLoad(() -> new PackageLoader(loader, student).load(pkg, Device.cpu()).model());
      row(
          "digits_mlp.pt",
          "Distill (digits_student.pt, defaults)",
          r.originalBytes(),
          r.packageBytes(),
          noise,
          digits.top1Agreement(),
          compressMillis,
          Long.toString(load));
      SpeedComparison.Measured speed =
          SpeedComparison.measure(teacher, served, SampleData.read(eval, inputs));
      PrepareReport.Training t = r.training();
      StringBuilder table = new StringBuilder();
      table.append("| distilled digits MLP | teacher | student | ratio |\n|---|---:|---:|---:|\n");
      table.append(
          String.format(
              Locale.ROOT,
              "| parameters | %d | %d | %.1fx fewer |%n",
              t.teacherParameters(),
              t.studentParameters(),
              (double) t.teacherParameters() / t.studentParameters()));
      for (String batch : speed.teacherMillis().keySet()) {
        double tMs = speed.teacherMillis().get(batch);
        double sMs = speed.studentMillis().get(batch);
        table.append(
            String.format(
                Locale.ROOT,
                "| rows/s at %s (median forward pass) | %.0f | %.0f | %.2fx |%n",
                batch.replace("batch", "batch "),
                rows(batch) * 1000 / tMs,
                rows(batch) * 1000 / sMs,
                tMs / sMs));
      }
      table.append(
          String.format(
              Locale.ROOT,
              "| held-out digits accuracy | %.2f%% | %.2f%% | %+.2f points |%n",
              100 * noise.accuracyBefore(),
              100 * noise.accuracyAfter(),
              100 * (noise.accuracyAfter() - noise.accuracyBefore())));
      table.append(
          String.format(
              Locale.ROOT,
              "| training | %d epochs on %d rows, judged on %d | %d ms | final loss %.4f |%n",
              t.epochs(),
              t.trainRows(),
              t.heldOutRows(),
              r.durationsMillis().get("train"),
              t.finalLoss()));
      distillation = table.toString();
    }
  }

  private static int rows(String batch) {
    return Integer.parseInt(batch.replace("batch", ""));
  }

  /** Top-1 agreement of a package with its source on the held-out digits. */
  private static double onDigits(
      ModelLoader loader, Path source, Path pkg, Path work, InputSignature inputs, Path eval)
      throws Exception {
    try (ZooModel<NDList, NDList> original = loader.loadTorchScript(source, Device.cpu());
        ZooModel<NDList, NDList> restored =
            new PackageLoader(loader, work.resolve("packages")).load(pkg, Device.cpu()).model()) {
      SampleData digits = SampleData.read(eval, inputs);
      if (inputs.inputs().get(0).shape().length == 4) {
        // The CNN takes the same digits as 1x8x8 images: the same bytes, another shape.
        digits =
            new SampleData(
                java.util.List.of(
                    new dev.maas.runtime.protocol.Tensor(
                        "input",
                        dev.maas.contract.Datatype.FP32,
                        new long[] {digits.rows(), 1, 8, 8},
                        digits.inputs().get(0).data())),
                digits.rows(),
                digits.labels());
      }
      return AcceptanceCheck.compare(original, restored, digits, Optional.empty()).top1Agreement();
    }
  }

  interface Load {
    AutoCloseable load() throws Exception;
  }

  private static long timeLoad(Load load) throws Exception {
    load.load().close(); // the first load also pays for starting the engine
    long start = System.nanoTime();
    load.load().close();
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static void row(
      String model,
      String method,
      long original,
      long packaged,
      Acceptance a,
      double onDigits,
      long compressMillis,
      String load) {
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %d | %d | %.2fx | %.4f | %.2f%% | %.2f%% | %.2f%% | %.2f%% | %s | %s |%n",
        model,
        method,
        original,
        packaged,
        (double) original / packaged,
        a.maxOutputError(),
        100 * a.top1Agreement(),
        100 * onDigits,
        100 * a.accuracyBefore(),
        100 * a.accuracyAfter(),
        compressMillis == 0 ? "-" : Long.toString(compressMillis),
        load);
  }
}
