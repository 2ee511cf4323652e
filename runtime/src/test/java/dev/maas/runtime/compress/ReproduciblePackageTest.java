package dev.maas.runtime.compress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.contract.ExitCodes;
import dev.maas.runtime.RuntimeProcess;
import dev.maas.runtime.TestModels;
import dev.maas.runtime.model.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same inputs give the same package, byte for byte, whichever process makes it: a package that
 * was lost is prepared again under the digest its revision recorded, and only identical bytes pass
 * that check.
 */
class ReproduciblePackageTest {
  @TempDir Path dir;

  @Test
  void theWeightsFileDoesNotDependOnTheOrderMetadataComesIn() throws Exception {
    Map<String, StoredTensor> tensors = new LinkedHashMap<>();
    tensors.put("w", new StoredTensor("F32", new long[] {2}, new byte[8]));
    Map<String, String> oneOrder = new LinkedHashMap<>();
    oneOrder.put("format", "maas-package");
    oneOrder.put("method", "Int8");
    Map<String, String> otherOrder = new LinkedHashMap<>();
    otherOrder.put("method", "Int8");
    otherOrder.put("format", "maas-package");
    assertThat(Safetensors.write(tensors, oneOrder))
        .isEqualTo(Safetensors.write(tensors, otherOrder));
  }

  @Test
  void twoProcessesMakeTheSameBytes() throws Exception {
    String first = compressInItsOwnJvm(dir.resolve("a"));
    String second = compressInItsOwnJvm(dir.resolve("b"));
    assertThat(second).as("the package digest of a second, separate run").isEqualTo(first);
  }

  private String compressInItsOwnJvm(Path out) throws Exception {
    Process process =
        new ProcessBuilder(
                RuntimeProcess.command(
                    "compress",
                    "--source",
                    TestModels.digitsMlp().toString(),
                    "--method",
                    "Int8",
                    "--inputs",
                    "input:FP32:-1,64",
                    "--output",
                    out.toString(),
                    "--report-file",
                    out.resolveSibling(out.getFileName() + ".json").toString(),
                    "--cache-dir",
                    dir.resolve("cache").toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(out.getFileName() + ".log").toFile())
            .start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue())
        .as(Files.readString(dir.resolve(out.getFileName() + ".log")))
        .isEqualTo(ExitCodes.OK);
    try (var files = Files.list(out)) {
      List<Path> packages = files.toList();
      assertThat(packages).hasSize(1);
      return Sha256.of(packages.get(0));
    }
  }
}
