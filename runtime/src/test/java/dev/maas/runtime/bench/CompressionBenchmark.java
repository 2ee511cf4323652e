package dev.maas.runtime.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import dev.maas.contract.CompressionMethod;
import dev.maas.contract.PrepareReport;
import dev.maas.contract.PrepareReport.Acceptance;
import dev.maas.contract.PruningScope;
import dev.maas.runtime.cli.EngineSettings;
import dev.maas.runtime.compress.AcceptanceCheck;
import dev.maas.runtime.compress.AcceptanceGate;
import dev.maas.runtime.compress.CompressionSettings;
import dev.maas.runtime.compress.Compressor;
import dev.maas.runtime.compress.PackageLoader;
import dev.maas.runtime.compress.SampleData;
import dev.maas.runtime.model.InputSignature;
import dev.maas.runtime.model.ModelLoader;
import dev.maas.runtime.source.ArtifactFetcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * For each example model and method: sizes, ratio, output error, top-1 agreement, held-out accuracy
 * before and after, compress and load time; beside them, PyTorch's own quantize_dynamic on the same
 * MLP. Prints a markdown table.
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
        "| model | method | original bytes | package bytes | ratio | max error | top-1 agreement |"
            + " accuracy before | accuracy after | compress ms | load ms |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    String[][] cases = {
      {"digits_mlp.pt", "input:FP32:-1,64"}, {"digits_cnn.pt", "input:FP32:-1,1,8,8"}
    };
    ModelLoader loader = new ModelLoader();
    for (String[] c : cases) {
      Path source = models.resolve(c[0]);
      InputSignature inputs = InputSignature.parse(c[1]);
      long plainLoad = timeLoad(() -> loader.loadTorchScript(source, Device.cpu()));
      for (CompressionMethod method : CompressionMethod.values()) {
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
            compressMillis,
            load + " (plain " + plainLoad + ")");
      }
    }
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
      row(
          "digits_mlp.pt",
          "torch quantize_dynamic (reference)",
          Files.size(mlp),
          Files.size(quantized),
          result,
          0,
          Long.toString(load));
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
      long compressMillis,
      String load) {
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %d | %d | %.2fx | %.4f | %.2f%% | %.2f%% | %.2f%% | %s | %s |%n",
        model,
        method,
        original,
        packaged,
        (double) original / packaged,
        a.maxOutputError(),
        100 * a.top1Agreement(),
        100 * a.accuracyBefore(),
        100 * a.accuracyAfter(),
        compressMillis == 0 ? "-" : Long.toString(compressMillis),
        load);
  }
}
