package dev.maas.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas.operator.testing.ClusterTest;
import dev.maas.operator.testing.Commands;
import dev.maas.operator.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Helm chart as users meet it: linted, rendered for several value sets and each rendering
 * accepted by a real API server (server-side dry run), installed and upgraded into a real control
 * plane (without the CRD preinstalled: the chart brings it), an upgrade that changes the CRD
 * reaching the cluster, and an uninstall that keeps the CRD (and so every ModelDeployment).
 */
@Tag(ClusterTest.TAG)
class ChartTest {
  static final Path REPO =
      Path.of(System.getProperty("maas.repoRoot")).toAbsolutePath().normalize();
  static final Path CHART = REPO.resolve("helm/maas-operator");
  static final String RELEASE_NAMESPACE = "maas-system";

  private static LocalControlPlane cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    cluster =
        LocalControlPlane.start(
            REPO, REPO.resolve("e2e/target/chart-cluster"), Map.of("MAAS_CLUSTER_CRDS", "0"));
    client = cluster.newClient();
    for (String ns : List.of(RELEASE_NAMESPACE, "ml", "team-b")) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static Commands.Result helm(LocalControlPlane cluster, String... args) {
    List<String> command = new ArrayList<>(List.of(cluster.binary("helm").toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--kubeconfig", cluster.kubeconfig().toString()));
    return Commands.run(
        command,
        Map.of(
            "HELM_CACHE_HOME",
            "/tmp/maas-helm-cache",
            "HELM_CONFIG_HOME",
            "/tmp/maas-helm-config",
            "HELM_DATA_HOME",
            "/tmp/maas-helm-data"));
  }

  static Stream<Path> valueSets() throws IOException {
    try (Stream<Path> files = Files.list(CHART.resolve("ci"))) {
      return files.filter(f -> f.toString().endsWith("-values.yaml")).sorted().toList().stream();
    }
  }

  @Test
  void lintsStrictAndRefusesATypoInValues() throws IOException {
    Commands.Result lint = helm(cluster, "lint", "--strict", CHART.toString());
    assertThat(lint.exitCode()).as(lint.toString()).isZero();
    for (Path values : valueSets().toList()) {
      Commands.Result withValues =
          helm(cluster, "lint", "--strict", CHART.toString(), "-f", values.toString());
      assertThat(withValues.exitCode()).as(values + ": " + withValues).isZero();
    }
    Commands.Result typo = helm(cluster, "template", "t", CHART.toString(), "--set", "replica=2");
    assertThat(typo.exitCode()).isNotZero();
    assertThat(typo.stderr()).contains("additional properties 'replica' not allowed");
  }

  @ParameterizedTest
  @MethodSource("valueSets")
  void everyValueSetRendersObjectsTheApiServerAccepts(Path values) throws IOException {
    Commands.Result rendered =
        helm(
            cluster,
            "template",
            "maas-operator",
            CHART.toString(),
            "-n",
            RELEASE_NAMESPACE,
            "--kube-version",
            "1.34.4",
            "-f",
            values.toString());
    assertThat(rendered.exitCode()).as(rendered.toString()).isZero();
    Path manifest = Files.createTempFile("chart", ".yaml");
    Files.writeString(manifest, rendered.stdout());
    Commands.Result dryRun =
        cluster.kubectlResult(
            "apply", "--dry-run=server", "--server-side", "-f", manifest.toString());
    assertThat(dryRun.exitCode()).as(values.getFileName() + ": " + dryRun).isZero();
    Files.delete(manifest);
  }

  @Test
  void installUpgradeWithANewCrdFieldAndUninstallKeepingTheCrd() throws IOException {
    Commands.Result install =
        helm(
            cluster,
            "upgrade",
            "--install",
            "maas-operator",
            CHART.toString(),
            "-n",
            RELEASE_NAMESPACE,
            "--set",
            "watchNamespaces={ml}",
            "--wait",
            "--timeout",
            "2m");
    assertThat(install.exitCode()).as(install.toString()).isZero();
    JsonNode crd = crd();
    assertThat(crd.at("/metadata/annotations/helm.sh~1resource-policy").asText()).isEqualTo("keep");
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(RELEASE_NAMESPACE)
                .withName("maas-operator")
                .get()
                .getStatus()
                .getAvailableReplicas())
        .isEqualTo(1);

    // The next chart version adds a field to the CRD: helm upgrade must bring it to the cluster.
    Path next = Files.createTempDirectory("chart-next").resolve("maas-operator");
    copy(CHART, next);
    Path crdFile = next.resolve("files/crds/modeldeployments.maas.dev-v1.yml");
    String withField =
        Files.readString(crdFile)
            .replaceFirst(
                "(?m)^( +)spec:\n\\1  properties:\n",
                "$1spec:\n$1  properties:\n$1    canary:\n$1      description: A field the"
                    + " next version adds.\n$1      type: string\n");
    assertThat(withField).contains("canary:");
    Files.writeString(crdFile, withField);
    Commands.Result upgrade =
        helm(
            cluster,
            "upgrade",
            "maas-operator",
            next.toString(),
            "-n",
            RELEASE_NAMESPACE,
            "--reuse-values",
            "--wait");
    assertThat(upgrade.exitCode()).as(upgrade.toString()).isZero();
    assertThat(
            crd()
                .at(
                    "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/canary/type")
                .asText())
        .as("the upgraded CRD is in the cluster")
        .isEqualTo("string");

    Commands.Result uninstall =
        helm(cluster, "uninstall", "maas-operator", "-n", RELEASE_NAMESPACE, "--wait");
    assertThat(uninstall.exitCode()).as(uninstall.toString()).isZero();
    assertThat(client.apps().deployments().inNamespace(RELEASE_NAMESPACE).list().getItems())
        .isEmpty();
    assertThat(crd()).as("kept: deleting it would delete every ModelDeployment").isNotNull();

    // Installing again adopts the kept CRD and puts this version's schema back.
    Commands.Result again =
        helm(
            cluster,
            "upgrade",
            "--install",
            "maas-operator",
            CHART.toString(),
            "-n",
            RELEASE_NAMESPACE,
            "--set",
            "watchNamespaces={ml}",
            "--wait");
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(
            crd()
                .at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/canary")
                .isMissingNode())
        .isTrue();
  }

  @Test
  void installAfterTheCrdWasAppliedByHandLeavesItAloneAndSaysHowToUpgradeIt() throws IOException {
    // As the README's own order, or a GitOps tool that applies CRDs first, would leave it.
    cluster.kubectl("delete", "crd", "modeldeployments.maas.dev", "--ignore-not-found", "--wait");
    cluster.kubectl("apply", "--server-side", "-f", REPO.resolve("crds").toString());
    try {
      Commands.Result install =
          helm(
              cluster,
              "upgrade",
              "--install",
              "by-hand",
              CHART.toString(),
              "-n",
              "team-b",
              "--set",
              "watchNamespaces={team-b}",
              "--wait",
              "--timeout",
              "2m");
      assertThat(install.exitCode()).as(install.toString()).isZero();
      assertThat(install.stdout())
          .contains("was already in the cluster, installed outside")
          .contains("kubectl apply --server-side");
      assertThat(crd().at("/metadata/annotations/meta.helm.sh~1release-name").isMissingNode())
          .as("the chart did not take the CRD over")
          .isTrue();
      Commands.Result uninstall = helm(cluster, "uninstall", "by-hand", "-n", "team-b", "--wait");
      assertThat(uninstall.exitCode()).as(uninstall.toString()).isZero();
      assertThat(crd()).as("not the release's to delete").isNotNull();
    } finally {
      cluster.kubectl("delete", "crd", "modeldeployments.maas.dev", "--ignore-not-found", "--wait");
    }
  }

  private static JsonNode crd() throws IOException {
    Commands.Result get =
        cluster.kubectlResult("get", "crd", "modeldeployments.maas.dev", "-o", "json");
    return get.exitCode() == 0 ? new ObjectMapper().readTree(get.stdout()) : null;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }

  /** The audit log's lines about one user. */
  static List<JsonNode> audited(LocalControlPlane cluster, String user) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> events = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(cluster.auditLog())) {
      String line;
      while ((line = reader.readLine()) != null) {
        JsonNode event = json.readTree(line);
        if (user.equals(event.at("/user/username").asText())
            && "ResponseComplete".equals(event.path("stage").asText())) {
          events.add(event);
        }
      }
    }
    return events;
  }
}
