package dev.maas.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.testing.ClusterTest;
import dev.maas.operator.testing.Commands;
import dev.maas.operator.testing.Eventually;
import dev.maas.operator.testing.FakeJobRunner;
import dev.maas.operator.testing.HostPathProvisioner;
import dev.maas.operator.testing.LocalControlPlane;
import dev.maas.operator.testing.OperatorHarness;
import dev.maas.operator.testing.Statuses;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operator as the chart installs it, proven on a real API server: run as the chart's
 * ServiceAccount (its token) with the chart's configuration, it takes every example through a whole
 * life (create, ready, autoscaling removed, revisions pruned) without a single 403, and the account
 * can do nothing beyond that; two replicas elect one leader, and when the leader is killed the
 * other takes over within the lease, without writing again what the first one wrote.
 */
@Tag(ClusterTest.TAG)
class InstalledOperatorTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path REPO = ChartTest.REPO;
  private static final String SYSTEM = "maas-system";
  private static final String WATCHED = "ml";
  private static final String ACCOUNT = "system:serviceaccount:maas-system:maas-operator";

  private static LocalControlPlane cluster;
  private static KubernetesClient client;
  private static Path work;
  private static Path tokenKubeconfig;
  private static Path config;
  private static HostPathProvisioner volumes;
  private static FakeJobRunner jobs;

  @BeforeAll
  static void start() throws Exception {
    work = REPO.resolve("e2e/target/installed-operator");
    Files.createDirectories(work);
    cluster =
        LocalControlPlane.start(
            REPO, REPO.resolve("e2e/target/installed-cluster"), Map.of("MAAS_CLUSTER_CRDS", "0"));
    client = cluster.newClient();
    for (String ns : List.of(SYSTEM, WATCHED, "other")) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    Commands.Result install =
        ChartTest.helm(
            cluster,
            "upgrade",
            "--install",
            "maas-operator",
            ChartTest.CHART.toString(),
            "-n",
            SYSTEM,
            "-f",
            ChartTest.CHART.resolve("ci/custom-pools-values.yaml").toString(),
            "--set",
            "watchNamespaces={" + WATCHED + "}",
            "--set",
            "replicas=2",
            "--wait");
    assertThat(install.exitCode()).as(install.toString()).isZero();
    // The chart's own configuration, as its pods would read it.
    config = work.resolve("config.yaml");
    Files.writeString(
        config,
        client
            .configMaps()
            .inNamespace(SYSTEM)
            .withName("maas-operator")
            .get()
            .getData()
            .get("config.yaml"));
    // The ServiceAccount's token, as its pods would present it.
    String token =
        cluster
            .kubectl("-n", SYSTEM, "create", "token", "maas-operator", "--duration", "2h")
            .strip();
    JsonNode admin = YAML.readTree(cluster.kubeconfig().toFile());
    ObjectNode kubeconfig = (ObjectNode) admin.deepCopy();
    ObjectNode user = (ObjectNode) kubeconfig.at("/users/0/user");
    user.removeAll();
    user.put("token", token);
    tokenKubeconfig = work.resolve("service-account.kubeconfig");
    YAML.writeValue(tokenKubeconfig.toFile(), kubeconfig);
    volumes = HostPathProvisioner.forNamespace(client, WATCHED);
    jobs = new FakeJobRunner(client, WATCHED);
  }

  @AfterAll
  static void stop() {
    if (jobs != null) {
      jobs.close();
      volumes.close();
    }
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Process operator(String name, int healthPort) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                "java",
                "-Xmx256m",
                "-Dkubernetes.user.agent=" + name,
                "-jar",
                System.getProperty("maas.operatorJar"),
                "run",
                "--config",
                config.toString(),
                "--health-port",
                Integer.toString(healthPort))
            .redirectErrorStream(true)
            .redirectOutput(work.resolve(name + ".log").toFile());
    builder.environment().put("KUBECONFIG", tokenKubeconfig.toString());
    builder.environment().put("POD_NAMESPACE", SYSTEM);
    builder.environment().put("POD_NAME", name);
    return builder.start();
  }

  private static String leaseHolder() {
    var lease = client.leases().inNamespace(SYSTEM).withName("maas-operator-leader").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static ModelDeployment example(String file) throws IOException {
    ObjectNode manifest =
        (ObjectNode) YAML.readTree(REPO.resolve("examples").resolve(file).toFile());
    ((ObjectNode) manifest.get("metadata")).put("namespace", WATCHED);
    return Serialization.jsonMapper().treeToValue(manifest, ModelDeployment.class);
  }

  private static ModelDeployment md(String name) {
    return client.resources(ModelDeployment.class).inNamespace(WATCHED).withName(name).get();
  }

  private static boolean ready(String name) {
    return Statuses.is(md(name), "Ready", "True");
  }

  /**
   * Read, change and replace, again on a conflict: the operator writes status between our read and
   * our write, so a single optimistic replace fails now and then, as {@code kubectl edit} would.
   */
  private static void edit(String name, Consumer<ObjectNode> change) {
    OperatorHarness.retryOnConflict(
        () -> {
          ObjectNode manifest = Serialization.jsonMapper().valueToTree(md(name));
          change.accept(manifest);
          client
              .resource(Serialization.jsonMapper().convertValue(manifest, ModelDeployment.class))
              .update();
        });
  }

  /** Writes by one operator process, told apart by the user agent it sends. */
  private static List<JsonNode> writesBy(String agent) throws IOException {
    return ChartTest.audited(cluster, ACCOUNT).stream()
        .filter(e -> e.path("userAgent").asText().startsWith(agent))
        .filter(
            e -> List.of("create", "update", "patch", "delete").contains(e.path("verb").asText()))
        .filter(e -> !e.at("/objectRef/resource").asText().equals("leases"))
        // Permission checks (selfsubjectrulesreviews) are questions, not writes.
        .filter(e -> !e.at("/objectRef/resource").asText().endsWith("reviews"))
        .toList();
  }

  @Test
  void theChartsAccountRunsEveryExampleWithoutA403AndTwoReplicasFailOverCleanly() throws Exception {
    Process a = operator("op-a", 18381);
    EndToEndTest.poll("op-a to lead", Duration.ofSeconds(60), () -> "op-a".equals(leaseHolder()));
    Process b = operator("op-b", 18382);
    EndToEndTest.poll(
        "op-b up",
        Duration.ofSeconds(60),
        () -> EndToEndTest.get("http://127.0.0.1:18382/healthz") == 200);
    try {
      for (String file :
          List.of(
              "digits-cpu.yaml",
              "digits-gpu-autoscaling.yaml",
              "digits-int8.yaml",
              "digits-protected.yaml")) {
        client.resource(example(file)).create();
      }
      for (String name : List.of("digits", "digits-cnn", "digits-int8", "digits-protected")) {
        EndToEndTest.poll(name + " Ready", Duration.ofMinutes(2), () -> ready(name));
      }
      // spec.access.allowFrom's NetworkPolicy, made with the chart's account.
      assertThat(
              client
                  .network()
                  .v1()
                  .networkPolicies()
                  .inNamespace(WATCHED)
                  .withName("digits-protected")
                  .get())
          .isNotNull();
      // spec.access.authentication.kubernetes: the runtime's own account, and the one binding
      // that lets it review tokens, made with the chart's account (create, and bind on
      // system:auth-delegator only).
      assertThat(
              client
                  .serviceAccounts()
                  .inNamespace(WATCHED)
                  .withName("digits-protected-runtime")
                  .get())
          .isNotNull();
      EndToEndTest.poll(
          "the token reviewers' binding",
          Duration.ofSeconds(30),
          () -> {
            var binding =
                client
                    .rbac()
                    .clusterRoleBindings()
                    .withName("maas-runtime-token-reviewers-" + SYSTEM)
                    .get();
            return binding != null
                && binding.getSubjects().stream()
                    .anyMatch(
                        s ->
                            s.getNamespace().equals(WATCHED)
                                && s.getName().equals("digits-protected-runtime"));
          });
      // The rest of a life: autoscaling removed (the HPA is deleted), revisions pruned.
      edit("digits-cnn", m -> ((ObjectNode) m.get("spec")).remove("autoscaling"));
      EndToEndTest.poll(
          "the HPA deleted",
          Duration.ofMinutes(1),
          () ->
              client
                      .autoscaling()
                      .v2()
                      .horizontalPodAutoscalers()
                      .inNamespace(WATCHED)
                      .withName("digits-cnn")
                      .get()
                  == null);
      edit("digits", m -> ((ObjectNode) m.get("spec")).put("revisionHistoryLimit", 1));
      for (String tag : List.of("0.2.0", "0.3.0")) {
        edit(
            "digits",
            m ->
                ((ObjectNode) m.get("spec"))
                    .putObject("runtime")
                    .put("image", "registry.example.com/maas/runtime:" + tag));
        EndToEndTest.poll(
            "digits on " + tag,
            Duration.ofMinutes(1),
            () -> {
              ModelDeployment md = md("digits");
              return ready("digits")
                  && md.getStatus().currentRevision() != null
                  && md.getStatus().currentRevision().equals(md.getStatus().desiredRevision())
                  && md.getStatus().observedGeneration().equals(md.getMetadata().getGeneration());
            });
      }
      EndToEndTest.poll(
          "revisions pruned to 1",
          Duration.ofMinutes(1),
          () ->
              client
                      .apps()
                      .controllerRevisions()
                      .inNamespace(WATCHED)
                      .withLabel("maas.dev/model-deployment", "digits")
                      .list()
                      .getItems()
                      .size()
                  == 1);

      assertThat(
              ChartTest.audited(cluster, ACCOUNT).stream()
                  .filter(e -> e.at("/responseStatus/code").asInt() == 403)
                  .map(JsonNode::toString)
                  .toList())
          .as("requests the chart's RBAC refused")
          .isEmpty();
      assertThat(writesBy("op-a")).as("the leader wrote").isNotEmpty();
      assertThat(writesBy("op-b")).as("the standby wrote nothing").isEmpty();
      assertThat(leaseHolder()).isEqualTo("op-a");
      System.out.println(
          "standby readiness: /readyz " + EndToEndTest.get("http://127.0.0.1:18382/readyz"));

      // Kill the leader: the standby takes the Lease within its duration and carries on.
      int before = writesBy("op-b").size();
      Instant killed = Instant.now();
      a.destroyForcibly().waitFor();
      EndToEndTest.poll("op-b to lead", Duration.ofSeconds(60), () -> "op-b".equals(leaseHolder()));
      Duration takeover = Duration.between(killed, Instant.now());
      assertThat(takeover)
          .as("within the lease (15 s) and a retry or two")
          .isLessThan(Duration.ofSeconds(30));
      EndToEndTest.poll(
          "op-b ready",
          Duration.ofSeconds(60),
          () -> EndToEndTest.get("http://127.0.0.1:18382/readyz") == 200);
      Eventually.stays(
          "what op-a wrote is not written again by op-b",
          Duration.ofSeconds(3),
          () -> writesBy("op-b").size() == before);
      ModelDeployment after = example("digits-cpu.yaml");
      after.getMetadata().setName("after-failover");
      client.resource(after).create();
      EndToEndTest.poll(
          "a new ModelDeployment served by op-b",
          Duration.ofMinutes(1),
          () -> ready("after-failover"));
      assertThat(writesBy("op-b"))
          .isNotEmpty()
          .allSatisfy(
              w -> assertThat(w.at("/objectRef/name").asText()).startsWith("after-failover"));
      System.out.println("failover took " + takeover.toMillis() + " ms");

      // SIGTERM (an upgrade, a node drain) with leader election on: the leader exits within
      // seconds and hands the Lease back, instead of hanging until SIGKILL.
      Instant terminated = Instant.now();
      b.destroy();
      assertThat(b.waitFor(20, TimeUnit.SECONDS))
          .as("op-b exits on SIGTERM without waiting for SIGKILL")
          .isTrue();
      Duration exit = Duration.between(terminated, Instant.now());
      assertThat(leaseHolder()).as("the Lease released on the way out").isNullOrEmpty();
      System.out.println("SIGTERM to exit with the Lease released took " + exit.toMillis() + " ms");
    } finally {
      a.destroyForcibly();
      b.destroyForcibly();
    }
  }

  @Test
  void theChartsAccountCanDoNothingBeyondWhatTheOperatorNeeds() {
    String as = "--as=" + ACCOUNT;
    assertThat(can("get", "secrets", "-n", WATCHED, as)).isFalse();
    assertThat(can("list", "secrets", "-n", SYSTEM, as)).isFalse();
    assertThat(can("create", "pods/exec", "-n", WATCHED, as)).isFalse();
    assertThat(can("create", "pods", "-n", WATCHED, as)).isFalse();
    assertThat(can("update", "pods", "-n", WATCHED, as)).isFalse();
    assertThat(can("patch", "pods", "-n", WATCHED, as)).as("only their status").isFalse();
    assertThat(can("update", "modeldeployments.maas.dev", "-n", WATCHED, as))
        .as("never the user's spec")
        .isFalse();
    assertThat(can("list", "modeldeployments.maas.dev", "-n", "other", as))
        .as("outside the watched namespaces")
        .isFalse();
    assertThat(can("list", "deployments", "-n", "other", as)).isFalse();
    assertThat(can("list", "modeldeployments.maas.dev", "--all-namespaces", as)).isFalse();
    assertThat(can("get", "nodes", as)).isFalse();
    assertThat(can("create", "clusterroles", as)).isFalse();
    assertThat(can("*", "*", "-n", WATCHED, as)).isFalse();
    // What it does need.
    assertThat(can("list", "modeldeployments.maas.dev", "-n", WATCHED, as)).isTrue();
    assertThat(can("patch", "modeldeployments.maas.dev", "--subresource=status", "-n", WATCHED, as))
        .isTrue();
    assertThat(can("create", "jobs.batch", "-n", WATCHED, as)).isTrue();
    assertThat(can("delete", "jobs.batch", "-n", WATCHED, as))
        .as("a prepare Job that succeeded goes once its report is recorded")
        .isTrue();
    assertThat(can("delete", "pods", "-n", WATCHED, as))
        .as("pods that failed for want of a lost package restart once it is back")
        .isTrue();
    assertThat(can("delete", "deployments", "-n", WATCHED, as))
        .as("a canary's own Deployment goes when the canary ends")
        .isTrue();
    assertThat(can("patch", "pods", "--subresource=status", "-n", WATCHED, as))
        .as("a canary's pods go behind the Service by their readiness gate")
        .isTrue();
    assertThat(can("create", "networkpolicies.networking.k8s.io", "-n", WATCHED, as))
        .as("spec.access.allowFrom's policy")
        .isTrue();
    assertThat(can("create", "configmaps", "-n", WATCHED, as))
        .as("a canary's live settings")
        .isTrue();
    assertThat(can("delete", "services", "-n", WATCHED, as))
        .as("a canary's own Service, where an HTTPRoute weighs it, goes when the canary ends")
        .isTrue();
    assertThat(can("patch", "httproutes.gateway.networking.k8s.io", "-n", WATCHED, as))
        .as("no HTTPRoute unless the values name one")
        .isFalse();
    assertThat(can("update", "leases.coordination.k8s.io/maas-operator-leader", "-n", SYSTEM, as))
        .isTrue();
  }

  private static boolean can(String... args) {
    String[] full = new String[args.length + 2];
    full[0] = "auth";
    full[1] = "can-i";
    System.arraycopy(args, 0, full, 2, args.length);
    Commands.Result answer = cluster.kubectlResult(full);
    return answer.stdout().strip().equals("yes");
  }
}
