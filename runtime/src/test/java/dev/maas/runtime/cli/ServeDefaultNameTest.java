package dev.maas.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.runtime.RuntimeMain;
import dev.maas.runtime.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeDefaultNameTest {
  @TempDir Path dir;

  private static String defaultName(String model) {
    CommandLine serve = new CommandLine(new ServeCommand());
    serve.parseArgs("--model", model);
    return ((ServeCommand) serve.getCommand()).options.toConfig().servedName();
  }

  @Test
  void aPackageIsServedUnderItsSourceModelsNameNotItsKey() throws Exception {
    Path out = dir.resolve("out");
    int exit =
        new CommandLine(new RuntimeMain())
            .execute(
                "compress",
                "--report-file",
                dir.resolve("r.json").toString(),
                "--source",
                TestModels.digitsMlp().toString(),
                "--method",
                "Int8",
                "--inputs",
                "input:FP32:-1,64",
                "--output",
                out.toString());
    assertThat(exit).isZero();
    Path pkg;
    try (Stream<Path> files = Files.list(out)) {
      pkg = files.filter(p -> p.toString().endsWith(".maas.zip")).findFirst().orElseThrow();
    }
    assertThat(pkg.getFileName().toString()).matches("[0-9a-f]{64}\\.maas\\.zip");
    assertThat(defaultName(pkg.toString())).isEqualTo("digits_mlp");
    assertThat(defaultName(pkg.toUri().toString())).isEqualTo("digits_mlp");
    assertThat(defaultName(TestModels.digitsMlp().toString())).isEqualTo("digits_mlp");
    assertThat(defaultName("https://models.example.com/v1/cnn.pt?sig=x")).isEqualTo("cnn");
  }
}
