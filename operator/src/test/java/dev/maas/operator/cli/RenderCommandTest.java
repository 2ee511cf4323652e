package dev.maas.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.MaasOperator;
import dev.maas.operator.plan.FirstRevision;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** render works offline on every example and prints objects that parse back. */
class RenderCommandTest {
  private static final Path EXAMPLES =
      Path.of(System.getProperty("maas.examplesDir", "../examples"));

  record Result(int exit, String out, String err) {}

  static Result render(String... args) {
    List<String> all = new ArrayList<>(List.of("render"));
    all.addAll(List.of(args));
    return execute(all.toArray(String[]::new));
  }

  /** Runs the operator's command line in this JVM, capturing what it prints. */
  static Result execute(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = new CommandLine(new MaasOperator()).execute(args);
      return new Result(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  /** The objects of render's output, in order. */
  static List<HasMetadata> objects(String rendered) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : rendered.split("(?m)^---\\s*$")) {
      if (!doc.isBlank()) {
        objects.add(new KubernetesSerialization().unmarshal(doc, HasMetadata.class));
      }
    }
    return objects;
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
    List<HasMetadata> objects = objects(result.out());
    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .contains("ControllerRevision", "Deployment", "Service");
    boolean autoscaled = example.getFileName().toString().contains("autoscaling");
    assertThat(objects.stream().anyMatch(o -> o.getKind().equals("HorizontalPodAutoscaler")))
        .isEqualTo(autoscaled);
    boolean protectedModel = example.getFileName().toString().contains("protected");
    String file = example.getFileName().toString();
    boolean compressed =
        file.contains("int8")
            || file.contains("distilled")
            || file.contains("s3")
            || protectedModel;
    assertThat(objects)
        .as("the prepare objects come first, with compression; the NetworkPolicy before the pods")
        .extracting(HasMetadata::getKind)
        .startsWith(
            protectedModel
                ? new String[] {
                  "ControllerRevision",
                  "PersistentVolumeClaim",
                  "Job",
                  "NetworkPolicy",
                  "ServiceAccount",
                  "Service"
                }
                : compressed
                    ? new String[] {"ControllerRevision", "PersistentVolumeClaim", "Job"}
                    : new String[] {"ControllerRevision", "Service"});
    if (protectedModel) {
      assertThat(result.out())
          .contains("secretName: \"digits-keys\"")
          .contains("scheme: \"HTTPS\"")
          .contains("team: \"web\"");
    }
    if (compressed) {
      assertThat(result.out())
          .contains("- \"compress\"")
          .contains("/var/lib/maas/models/" + FirstRevision.REPORTED_PACKAGE);
    }
    boolean canary = example.getFileName().toString().contains("canary");
    List<String> deployments =
        objects.stream()
            .filter(o -> o.getKind().equals("Deployment"))
            .map(o -> o.getMetadata().getName())
            .toList();
    if (canary) {
      // Both Deployments: the serving one, and the candidate's as a canary's first step runs it,
      // held out of the Service by its readiness gate; and the serving pods' live settings.
      assertThat(deployments).containsExactly("digits-prod", "digits-prod-canary");
      assertThat(objects)
          .anyMatch(
              o ->
                  o.getKind().equals("ConfigMap")
                      && o.getMetadata().getName().equals("digits-prod-live"));
      assertThat(result.out())
          .contains("conditionType: \"maas.dev/live\"")
          .contains("MAAS_SHADOW_CONFIG");
    } else {
      assertThat(deployments).hasSize(1);
    }
  }

  @Test
  void withAnHttpRouteNamedACanaryExampleAlsoPrintsTheCandidatesServiceAndTheRoutesSplit() {
    // The example configuration names the HTTPRoute "models".
    Path config = EXAMPLES.resolve("operator-config.yaml");

    Result result =
        render(
            "-f", EXAMPLES.resolve("digits-canary.yaml").toString(), "--config", config.toString());

    assertThat(result.exit()).as(result.err()).isZero();
    List<HasMetadata> objects = objects(result.out());
    assertThat(objects)
        .filteredOn(o -> o.getKind().equals("Service"))
        .extracting(o -> o.getMetadata().getName())
        .containsExactly("digits-prod", "digits-prod-canary");
    assertThat(result.out())
        .contains(
            "# HTTPRoute models (yours, in the same namespace): at the first live step, each rule"
                + " that sends to Service digits-prod gets backendRefs"
                + " [{\"name\":\"digits-prod\",\"port\":8080,\"weight\":90},"
                + "{\"name\":\"digits-prod-canary\",\"port\":8080,\"weight\":10}]");
  }

  @Test
  void whatTheOperatorCannotServeIsExit2WithTheReason() {
    Result result = render("-f", EXAMPLES.resolve("digits-gpu-autoscaling.yaml").toString());
    assertThat(result.exit()).isEqualTo(RenderCommand.EXIT_INVALID);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains("digits-cnn: spec.runtime.image is not set");
  }

  private static Path manifest(Path dir, String yaml) throws Exception {
    Path file = dir.resolve("md.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static final String HEADER =
      "apiVersion: maas.dev/v1alpha1\nkind: ModelDeployment\nmetadata: {name: digits}\n";

  /**
   * What kubectl apply would refuse, render refuses too: one line per problem, naming the field.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "spec: {model: {uri: https://m/a.pt}, replicas: -2}"
            + "|digits: spec.replicas: Invalid value: -2: spec.replicas in body should be greater"
            + " than or equal to 0",
        "spec: {model: {uri: https://m/a.pt}, autoscaling: {minReplicas: 5, maxReplicas: 2}}"
            + "|digits: spec.autoscaling: Invalid value: \"object\": spec.autoscaling.minReplicas"
            + " must be less than or equal to maxReplicas",
        "spec: {model: {uri: https://m/a.pt, sha256: abc}}"
            + "|digits: spec.model.sha256: Invalid value: \"object\": spec.model.sha256 must be 64"
            + " hexadecimal characters",
        "spec: {model: {sha256: abc}}|digits: spec.model.uri: Required value",
        "spec: {model: {uri: https://m/a.pt}, gpu: {count: 1}}"
            + "|digits: spec.gpu: Invalid value: \"object\": spec.gpu.pool is required when"
            + " spec.gpu.count > 0",
        "spec: {model: {uri: https://m/a.pt}, replica: 2}|digits: unknown field \"spec.replica\"",
      })
  void aSpecTheApiServerWouldRefuseIsExit2WithOneLinePerProblem(
      String spec, String expected, @TempDir Path dir) throws Exception {
    Result result = render("-f", manifest(dir, HEADER + spec).toString());
    assertThat(result.exit()).isEqualTo(RenderCommand.EXIT_INVALID);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().lines())
        .singleElement()
        .asString()
        .startsWith("render: " + dir.resolve("md.yaml") + ": " + expected);
  }

  @Test
  void badFilesAreOneLineAndExit2WithoutAStackTrace(@TempDir Path dir) throws Exception {
    Path config = EXAMPLES.resolve("operator-config.yaml");
    Path notYaml = manifest(dir, HEADER + "spec: {model: [unclosed\n");
    Result broken = render("-f", notYaml.toString());
    assertThat(broken.exit()).isEqualTo(RenderCommand.EXIT_INVALID);
    assertThat(broken.err().lines())
        .singleElement()
        .asString()
        .startsWith("render: " + notYaml + ": not valid YAML: ")
        .contains("(line ");

    Path wrongKind = dir.resolve("svc.yaml");
    Files.writeString(wrongKind, "apiVersion: v1\nkind: Service\nmetadata: {name: x}\n");
    assertThat(render("-f", wrongKind.toString()).err().lines())
        .singleElement()
        .asString()
        .isEqualTo(
            "render: "
                + wrongKind
                + ": x is a v1 Service, not a maas.dev/v1alpha1 ModelDeployment");

    Result missing = render("-f", dir.resolve("absent.yaml").toString());
    assertThat(missing.exit()).isEqualTo(RenderCommand.EXIT_INVALID);
    assertThat(missing.err().lines())
        .singleElement()
        .asString()
        .isEqualTo("render: " + dir.resolve("absent.yaml") + ": no such file");

    Path badConfig = dir.resolve("config.yaml");
    Files.writeString(badConfig, "nodePool: {}\n");
    Result config2 =
        render(
            "-f", EXAMPLES.resolve("digits-cpu.yaml").toString(), "--config", badConfig.toString());
    assertThat(config2.exit()).isEqualTo(RenderCommand.EXIT_INVALID);
    assertThat(config2.err().lines())
        .singleElement()
        .asString()
        .isEqualTo(
            "render: "
                + badConfig
                + ": unknown field \"nodePool\"; known fields: [defaults, nodePools, operatorPods, sources, trafficRouting, watchNamespaces]");

    Result noFile = render("--config", config.toString());
    assertThat(noFile.exit()).isEqualTo(2);
    assertThat(noFile.err()).contains("Missing required option: '--file").doesNotContain("\tat ");
  }
}
