package dev.maas.e2e;

import static dev.maas.operator.testing.Statuses.condition;
import static dev.maas.operator.testing.Statuses.is;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.maas.e2e.kubelet.ProcessKubelet;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.status.RevisionPhase;
import dev.maas.operator.api.status.RevisionStatus;
import dev.maas.operator.testing.ClusterTest;
import dev.maas.operator.testing.Commands;
import dev.maas.operator.testing.Eventually;
import dev.maas.operator.testing.LocalControlPlane;
import dev.maas.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * From {@code kubectl apply} to a correct inference answer on one machine: the local control plane,
 * the operator jar as its own process, and a kubelet played by local processes that runs the
 * runtime jar (serve, and compress in prepare Jobs) under bubblewrap as the pods ask. A client
 * playing kube-proxy sends inference requests to the Service's ready endpoints throughout and
 * counts every failure.
 */
@Tag(ClusterTest.TAG)
@ExtendWith(ProcessCluster.class)
class EndToEndTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path REPO =
      Path.of(System.getProperty("maas.repoRoot")).toAbsolutePath().normalize();
  private static final Path EXAMPLES = REPO.resolve("examples");
  private static final HeldOutDigits DIGITS =
      new HeldOutDigits(EXAMPLES.resolve("models/digits_test.json"));

  private static LocalControlPlane cluster;
  private static KubernetesClient client;
  private static ProcessKubelet kubelet;
  private static ModelServer models;
  private static Path work;
  private static ProcessCluster fixture;

  @BeforeAll
  static void start(ProcessCluster shared) {
    fixture = shared;
    cluster = shared.controlPlane();
    client = shared.client();
    kubelet = shared.kubelet();
    models = shared.models();
    work = shared.work();
  }

  // --- helpers ---------------------------------------------------------------------------

  static int get(String url) {
    return ProcessCluster.get(url);
  }

  static void poll(String what, Duration timeout, Supplier<Boolean> condition) {
    poll(() -> what, timeout, condition);
  }

  /** What a namespace holds, as kubectl shows it: for failure messages. */
  private static String describe(String ns) {
    return cluster
        .kubectlResult(
            "-n", ns, "get", "md,deploy,rs,pods,jobs,pvc,svc,controllerrevisions", "-o", "wide")
        .toString();
  }

  static void poll(Supplier<String> what, Duration timeout, Supplier<Boolean> condition) {
    Eventually.until(what, timeout, Duration.ofMillis(250), condition::get);
  }

  private static String namespace() {
    return fixture.namespace("e2e");
  }

  /** An example, as a user would apply it, with its model URI pointed at the local model server. */
  private static ModelDeployment example(String file, String namespace, String model)
      throws IOException {
    ObjectNode manifest = (ObjectNode) YAML.readTree(EXAMPLES.resolve(file).toFile());
    ((ObjectNode) manifest.get("metadata")).put("namespace", namespace);
    ((ObjectNode) manifest.at("/spec/model")).put("uri", models.url(model));
    return Serialization.jsonMapper().treeToValue(manifest, ModelDeployment.class);
  }

  private static ModelDeployment md(String ns, String name) {
    return client.resources(ModelDeployment.class).inNamespace(ns).withName(name).get();
  }

  private static void awaitServing(String ns, String name, long revision, Duration timeout) {
    poll(
        name + " serving revision " + revision,
        timeout,
        () -> {
          ModelDeployment md = md(ns, name);
          return md.getStatus() != null
              && Long.valueOf(revision).equals(md.getStatus().currentRevision())
              && Long.valueOf(revision).equals(md.getStatus().desiredRevision())
              && is(md, "Ready", "True")
              && is(md, "Reconciling", "False");
        });
  }

  private static RevisionStatus revision(ModelDeployment md, long number) {
    return md.getStatus().revisions().stream()
        .filter(r -> r.number() == number)
        .findFirst()
        .orElseThrow();
  }

  private static void editModel(
      String ns, String name, java.util.function.Consumer<JsonNode> change) {
    OperatorHarness.retryOnConflict(
        () -> {
          ObjectNode manifest = Serialization.jsonMapper().valueToTree(md(ns, name));
          change.accept(manifest);
          client
              .resource(Serialization.jsonMapper().convertValue(manifest, ModelDeployment.class))
              .update();
        });
  }

  private static String inferUrl(InetSocketAddress endpoint, String servedName) {
    return "http://"
        + endpoint.getHostString()
        + ":"
        + endpoint.getPort()
        + "/v2/models/"
        + servedName
        + "/infer";
  }

  private static List<Pod> runtimePods(String ns) {
    return client.pods().inNamespace(ns).withLabel("maas.dev/revision-hash").list().getItems();
  }

  // --- scenarios -------------------------------------------------------------------------

  /**
   * Scenarios 1, 3, 4, 8 and 7: the CPU example serves the held-out digits at the recorded
   * accuracy, over REST and over gRPC; a model change rolls out with no failed request; a corrupt
   * model crash-loops and is rolled back with no failed request; a pod killed under load fails no
   * request; and deleting the ModelDeployment leaves no object and no process behind.
   */
  @Test
  void applyServeChangeRollBackDrainAndDelete() throws Exception {
    String ns = namespace();
    client.resource(example("digits-cpu.yaml", ns, "digits_mlp.pt")).create();
    awaitServing(ns, "digits", 1, Duration.ofMinutes(3));
    assertThat(runtimePods(ns))
        .as("on the process kubelet's nodes")
        .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).startsWith("process-"));

    try (ServiceProxy proxy = new ServiceProxy(client, ns, "digits", "http", 0)) {
      poll("a ready endpoint", Duration.ofSeconds(30), () -> !proxy.readyEndpoints().isEmpty());
      // 1. The held-out digits through the pod's address, at the recorded accuracy.
      double accuracy = DIGITS.accuracy(inferUrl(proxy.readyEndpoints().get(0), "digits"));
      assertThat(accuracy).isEqualTo(0.9778, org.assertj.core.data.Offset.offset(0.0001));
      // 1b. The same pods over gRPC, through the Service's grpc port the operator renders,
      // with Triton's own gRPC client.
      try (ServiceProxy grpc = new ServiceProxy(client, ns, "digits", "grpc", 0)) {
        poll(
            "a ready gRPC endpoint",
            Duration.ofSeconds(30),
            () -> !grpc.readyEndpoints().isEmpty());
        assertThat(
                TritonGrpcClient.checkDigits(
                    "127.0.0.1:" + grpc.port(),
                    "digits",
                    EXAMPLES.resolve("models/digits_test.json")))
            .contains("held-out accuracy through tritonclient.grpc: 0.9778");
      }

      String proxied = "http://127.0.0.1:" + proxy.port() + "/v2/models/digits/infer";
      try (Traffic traffic = new Traffic(proxied, DIGITS.request(0, 1))) {
        // 3. A model change: revision 2 rolls out while the client keeps being answered.
        editModel(
            ns,
            "digits",
            m -> {
              ((ObjectNode) m.at("/spec/model")).put("uri", models.url("digits_mlp_qdynamic.pt"));
              ((ObjectNode) m.at("/spec/model"))
                  .put(
                      "sha256", "0dd9c384349ba76ebd33226f96c006e9bafad7e17262566e453121ad8550633b");
              ((ObjectNode) m.get("spec")).put("replicas", 2);
            });
        awaitServing(ns, "digits", 2, Duration.ofMinutes(3));
        poll(
            "both new pods ready behind the Service",
            Duration.ofMinutes(1),
            () -> proxy.readyEndpoints().size() == 2);
        assertThat(traffic.failures()).as("failed requests during the rollout").isEmpty();
        assertThat(traffic.succeeded()).isPositive();

        // 4. A corrupt model: the runtime exits with its error, the pod crash-loops, the
        // operator rolls back long before the 300 s deadline, the old pods never stop serving.
        Instant changed = Instant.now();
        editModel(
            ns,
            "digits",
            m -> {
              ((ObjectNode) m.at("/spec/model")).put("uri", models.url("corrupt.pt"));
              ((ObjectNode) m.at("/spec/model")).remove("sha256");
            });
        poll("a rollback", Duration.ofMinutes(2), () -> is(md(ns, "digits"), "Stalled", "True"));
        assertThat(Duration.between(changed, Instant.now())).isLessThan(Duration.ofSeconds(120));
        ModelDeployment rolledBack = md(ns, "digits");
        Condition stalled = condition(rolledBack, "Stalled").orElseThrow();
        assertThat(stalled.getReason()).isEqualTo("RolledBack");
        assertThat(stalled.getMessage())
            .startsWith("revision 3 failed: rollout failed: pod digits-")
            .endsWith("revision 2 is serving instead");
        assertThat(revision(rolledBack, 3).phase()).isEqualTo(RevisionPhase.Failed);
        poll(
            "revision 2's pods only",
            Duration.ofMinutes(2),
            () ->
                runtimePods(ns).stream()
                    .allMatch(
                        p -> p.getMetadata().getLabels().get("maas.dev/revision").equals("2")));
        assertThat(traffic.failures())
            .as("failed requests while revision 3 crash-looped")
            .isEmpty();

        // 8. SIGTERM to a pod under load: preStop, endpoint removal and drain together.
        Pod victim = runtimePods(ns).get(0);
        client.pods().inNamespace(ns).resource(victim).delete();
        poll(
            "the pod replaced and ready",
            Duration.ofMinutes(2),
            () ->
                client.pods().inNamespace(ns).withName(victim.getMetadata().getName()).get() == null
                    && proxy.readyEndpoints().size() == 2);
        assertThat(traffic.failures()).as("failed requests while a pod terminated").isEmpty();
        assertThat(traffic.succeeded()).isGreaterThan(50);
      }
    }

    // 7. Delete: every owned object and every process gone.
    client.resources(ModelDeployment.class).inNamespace(ns).withName("digits").delete();
    poll(
        () ->
            "everything gone; left: " + describe(ns) + "pods the kubelet runs: " + kubelet.pods(ns),
        Duration.ofMinutes(2),
        () ->
            client.apps().deployments().inNamespace(ns).list().getItems().isEmpty()
                && client.services().inNamespace(ns).list().getItems().isEmpty()
                && client.apps().controllerRevisions().inNamespace(ns).list().getItems().isEmpty()
                && client.pods().inNamespace(ns).list().getItems().isEmpty()
                && kubelet.pods(ns) == 0);
    assertThat(kubelet.processes(ns)).as("no container process left").isZero();
  }

  /** How many prepare Jobs the operator started: each says so in an event. */
  private long preparesStarted(String ns) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "Preparing".equals(e.getReason()))
        .count();
  }

  /**
   * Scenarios 2, 5 and 6: the int8 example's prepare Job really compresses, the pods load the
   * package at the model's accuracy and the report is in status; a rollback with kubectl maas
   * reuses the package (no Job); thresholds that cannot be met fail their revision with the
   * report's numbers while the serving revision keeps serving.
   */
  @Test
  void compressRollBackWithThePluginAndRejectWhatMissesItsThresholds() throws Exception {
    String ns = namespace();
    client.resource(example("digits-int8.yaml", ns, "digits_mlp.pt")).create();
    awaitServing(ns, "digits-int8", 1, Duration.ofMinutes(4));
    ModelDeployment md = md(ns, "digits-int8");
    RevisionStatus first = revision(md, 1);
    assertThat(first.compression().status()).isEqualTo("ok");
    assertThat(Double.parseDouble(first.compression().ratio())).isGreaterThan(3.5);
    assertThat(Double.parseDouble(first.compression().maxOutputError())).isLessThan(0.1);
    assertThat(first.artifact()).startsWith("/var/lib/maas/models/packages/").endsWith(".maas.zip");
    assertThat(preparesStarted(ns)).isEqualTo(1);
    poll(
        "the prepare Job gone once its report is in the revision (its pod pins no claim)",
        Duration.ofMinutes(1),
        () -> client.batch().v1().jobs().inNamespace(ns).list().getItems().isEmpty());

    try (ServiceProxy proxy = new ServiceProxy(client, ns, "digits-int8", "http", 0)) {
      poll("two ready endpoints", Duration.ofMinutes(1), () -> proxy.readyEndpoints().size() == 2);
      // 2. The package, restored by the runtime, serves the held-out digits as well as the
      // original.
      assertThat(DIGITS.accuracy(inferUrl(proxy.readyEndpoints().get(0), "digits")))
          .isEqualTo(0.9778, org.assertj.core.data.Offset.offset(0.0001));

      String proxied = "http://127.0.0.1:" + proxy.port() + "/v2/models/digits/infer";
      try (Traffic traffic = new Traffic(proxied, DIGITS.request(5, 1))) {
        editModel(
            ns, "digits-int8", m -> ((ObjectNode) m.at("/spec/compression")).put("method", "Fp16"));
        awaitServing(ns, "digits-int8", 2, Duration.ofMinutes(4));
        assertThat(preparesStarted(ns)).isEqualTo(2);

        // 5. kubectl maas rollback: the spec goes back, the package is reused, no Job runs.
        Commands.Result rollback = plugin(ns, "rollback", "digits-int8", "--to-revision", "1");
        assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
        assertThat(rollback.stdout())
            .contains("spec set to revision 1; its prepared package is reused");
        awaitServing(ns, "digits-int8", 1, Duration.ofMinutes(3));
        assertThat(preparesStarted(ns)).as("no new Job").isEqualTo(2);
        String history = plugin(ns, "history", "digits-int8").stdout();
        assertThat(history.lines().filter(l -> l.startsWith("1 ")).findFirst().orElseThrow())
            .contains("serving,spec")
            .contains("Int8");
        assertThat(history.lines().filter(l -> l.startsWith("2 ")).findFirst().orElseThrow())
            .contains("Superseded")
            .contains("Fp16");

        // 6. Thresholds no compression can meet: the revision fails with the report's numbers.
        editModel(
            ns,
            "digits-int8",
            m ->
                ((ObjectNode) m.at("/spec/compression/acceptance"))
                    .put("maxOutputError", 0.000001));
        poll(
            "revision 3 failed",
            Duration.ofMinutes(3),
            () -> {
              ModelDeployment now = md(ns, "digits-int8");
              return now.getStatus().revisions().stream()
                  .anyMatch(r -> r.number() == 3 && r.phase() == RevisionPhase.Failed);
            });
        ModelDeployment rejected = md(ns, "digits-int8");
        RevisionStatus third = revision(rejected, 3);
        assertThat(third.compression().status()).isEqualTo("rejected");
        assertThat(third.compression().exitCode()).isEqualTo(3);
        assertThat(Double.parseDouble(third.compression().maxOutputError()))
            .isGreaterThan(0.000001);
        assertThat(condition(rejected, "Stalled").orElseThrow().getReason())
            .isEqualTo("PrepareFailed");
        assertThat(is(rejected, "Ready", "True")).isTrue();
        assertThat(rejected.getStatus().currentRevision()).isEqualTo(1);
        assertThat(traffic.failures()).as("failed requests through all of it").isEmpty();
        assertThat(traffic.succeeded()).isPositive();
      }
    }
  }

  /**
   * Distillation as a rollout: the MLP serves as it is (revision 1); the distilled example's
   * compression makes revision 2, whose prepare Job trains the student from the local model
   * server's student and data; the pods serve the student (its own answers, within 1.5 points of
   * the teacher's accuracy, agreeing with it about as often as the report says); a rollback with
   * kubectl maas brings the teacher back, answer for answer.
   */
  @Test
  void aDistilledStudentRollsOutAsARevisionAndRollsBackToTheTeacher() throws Exception {
    String ns = namespace();
    ModelDeployment example = example("digits-distilled.yaml", ns, "digits_mlp.pt");
    ObjectNode manifest = Serialization.jsonMapper().valueToTree(example);
    ObjectNode compression = (ObjectNode) ((ObjectNode) manifest.get("spec")).remove("compression");
    ((ObjectNode) compression.get("student")).put("uri", models.url("digits_student.pt"));
    ((ObjectNode) compression.get("data")).put("uri", models.url("digits_unlabelled.safetensors"));
    client
        .resource(Serialization.jsonMapper().convertValue(manifest, ModelDeployment.class))
        .create();
    awaitServing(ns, "digits-distilled", 1, Duration.ofMinutes(3));
    try (ServiceProxy proxy = new ServiceProxy(client, ns, "digits-distilled", "http", 0)) {
      String infer = "http://127.0.0.1:" + proxy.port() + "/v2/models/digits/infer";
      poll("a ready endpoint", Duration.ofMinutes(1), () -> !proxy.readyEndpoints().isEmpty());
      int[] teacher = DIGITS.answers(infer);

      editModel(
          ns,
          "digits-distilled",
          m -> ((ObjectNode) m.get("spec")).set("compression", compression));
      awaitServing(ns, "digits-distilled", 2, Duration.ofMinutes(4));
      RevisionStatus distilled = revision(md(ns, "digits-distilled"), 2);
      assertThat(distilled.compression().status()).isEqualTo("ok");
      assertThat(distilled.compression().training())
          .startsWith("30 epochs on 1150 rows, judged on 287")
          .contains("parameters 167178 -> 2410");
      double reported = Double.parseDouble(distilled.compression().top1Agreement());
      assertThat(reported).isGreaterThanOrEqualTo(0.97);
      poll(
          "only the student's pods ready",
          Duration.ofMinutes(1),
          () -> proxy.readyEndpoints().size() == 1);
      int[] student = DIGITS.answers(infer);
      double agreement = HeldOutDigits.agreement(teacher, student);
      assertThat(agreement).as("the student, not the teacher, answers").isLessThan(1.0);
      assertThat(agreement)
          .as("as often as on the data's held-out rows")
          .isCloseTo(reported, org.assertj.core.data.Offset.offset(0.03));
      assertThat(DIGITS.accuracy(infer))
          .as("within 1.5 points of the teacher's 0.9778")
          .isGreaterThanOrEqualTo(0.9628);

      Commands.Result rollback = plugin(ns, "rollback", "digits-distilled", "--to-revision", "1");
      assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
      awaitServing(ns, "digits-distilled", 1, Duration.ofMinutes(3));
      poll(
          "only the teacher's pods ready",
          Duration.ofMinutes(1),
          () -> proxy.readyEndpoints().size() == 1);
      assertThat(DIGITS.answers(infer)).as("the teacher again").isEqualTo(teacher);
    }
  }

  /** kubectl maas, as a user runs it: kubectl finds the plugin on the PATH. */
  private static Commands.Result plugin(String ns, String... args) {
    return fixture.plugin(ns, args);
  }
}
