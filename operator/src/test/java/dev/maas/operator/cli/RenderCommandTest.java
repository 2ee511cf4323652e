package dev.maas.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.MaasOperator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** render works offline on every example and prints objects that parse back. */
class RenderCommandTest {
  private static final Path EXAMPLES =
      Path.of(System.getProperty("maas.examplesDir", "../examples"));

  record Result(int exit, String out, String err) {}

  static Result render(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      List<String> all = new ArrayList<>(List.of("render"));
      all.addAll(List.of(args));
      int exit = new CommandLine(new MaasOperator()).execute(all.toArray(String[]::new));
      return new Result(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  static Stream<Path> examples() throws Exception {
    return Files.list(EXAMPLES)
        .filter(p -> p.getFileName().toString().startsWith("digits-"))
        .sorted();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void rendersEveryExample(Path example) {
    Result result =
        render(
            "-f",
            example.toString(),
            "--config",
            EXAMPLES.resolve("operator-config.yaml").toString());
    assertThat(result.exit()).as(result.err()).isZero();
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : result.out().split("(?m)^---\\s*$")) {
      if (!doc.isBlank()) {
        objects.add(new KubernetesSerialization().unmarshal(doc, HasMetadata.class));
      }
    }
    assertThat(objects).extracting(HasMetadata::getKind).contains("Deployment", "Service");
    boolean autoscaled = example.getFileName().toString().contains("autoscaling");
    assertThat(objects.stream().anyMatch(o -> o.getKind().equals("HorizontalPodAutoscaler")))
        .isEqualTo(autoscaled);
  }

  @Test
  void whatTheOperatorCannotServeIsExit2WithTheReason() {
    Result result = render("-f", EXAMPLES.resolve("digits-gpu-autoscaling.yaml").toString());
    assertThat(result.exit()).isEqualTo(RenderCommand.EXIT_STALLED);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains("digits-cnn: spec.runtime.image is not set");
  }
}
