package dev.maas.operator.reconciler;

import static dev.maas.operator.testing.Statuses.condition;
import static dev.maas.operator.testing.Statuses.is;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.AutoscalingSpec;
import dev.maas.operator.api.spec.GpuSpec;
import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.api.spec.ModelSpec;
import dev.maas.operator.api.spec.RolloutSpec;
import dev.maas.operator.api.spec.RuntimeSpec;
import dev.maas.operator.api.status.RevisionPhase;
import dev.maas.operator.testing.ClusterTest;
import dev.maas.operator.testing.FakeNodes;
import dev.maas.operator.testing.LocalControlPlane;
import dev.maas.operator.testing.OperatorHarness;
import dev.maas.operator.testing.TestModelDeployments;
import dev.maas.operator.testing.TestOperatorConfigs;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against a real API server with the real Deployment, ReplicaSet, HPA, namespace and
 * garbage-collector controllers, and kwok nodes whose pods become ready: what the operator writes,
 * what it leaves alone, and what it reports.
 */
@ClusterTest
class ModelDeploymentReconcilerTest {
  private final LocalControlPlane cluster;
  private OperatorHarness harness;
  private KubernetesClient client;
  private String ns;

  ModelDeploymentReconcilerTest(LocalControlPlane cluster) {
    this.cluster = cluster;
  }

  @BeforeEach
  void start(OperatorHarness harness) {
    this.harness = harness;
    client = harness.client();
    ns = harness.namespace();
  }

  private ModelDeployment md(String name) {
    return client.resources(ModelDeployment.class).inNamespace(ns).withName(name).get();
  }

  private Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  private Service service(String name) {
    return client.services().inNamespace(ns).withName(name).get();
  }

  private NetworkPolicy networkPolicy(String name) {
    return client.network().v1().networkPolicies().inNamespace(ns).withName(name).get();
  }

  private HorizontalPodAutoscaler hpa(String name) {
    return client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(ns)
        .withName(name)
        .get();
  }

  /** The managers that ever applied (server-side) to the object. */
  private static List<String> appliers(HasMetadata object) {
    return object.getMetadata().getManagedFields().stream()
        .filter(m -> "Apply".equals(m.getOperation()))
        .map(ManagedFieldsEntry::getManager)
        .distinct()
        .toList();
  }

  private void awaitReady(String name) {
    harness.await("Ready", () -> is(md(name), "Ready", "True"));
  }

  /** Lets the informers and controllers catch up, then forgets what the operator sent so far. */
  private void quiesce() {
    OperatorHarness.settle(Duration.ofSeconds(2));
    harness.operatorRequests().clear();
  }

  @Test
  void createAppliesTheOwnedObjectsAndReportsReadyOnceThePodsAreReady() {
    ModelDeployment created = harness.create(TestModelDeployments.everything());
    harness.await(
        "deployment, service, HPA and NetworkPolicy",
        () ->
            deployment("digits") != null
                && service("digits") != null
                && hpa("digits") != null
                && networkPolicy("digits") != null);
    String uid = created.getMetadata().getUid();
    for (HasMetadata owned :
        List.of(deployment("digits"), service("digits"), hpa("digits"), networkPolicy("digits"))) {
      assertThat(owned.getMetadata().getOwnerReferences())
          .as(owned.getKind() + " is garbage-collected with its ModelDeployment")
          .singleElement()
          .satisfies(o -> assertThat(o.getUid()).isEqualTo(uid));
      assertThat(appliers(owned)).as(owned.getKind()).containsExactly("maas-operator");
    }
    harness.await(
        "Applied events naming what was created",
        () -> {
          String applied =
              client.v1().events().inNamespace(ns).list().getItems().stream()
                  .filter(e -> e.getType().equals("Normal") && e.getReason().equals("Applied"))
                  .map(e -> e.getMessage())
                  .reduce("", String::concat);
          return applied.contains("created Deployment digits")
              && applied.contains("created Service digits")
              && applied.contains("created PersistentVolumeClaim digits-models")
              && applied.contains("created Job digits-prepare-");
        });

    awaitReady("digits");
    ModelDeployment ready = md("digits");
    assertThat(is(ready, "Reconciling", "False")).isTrue();
    assertThat(is(ready, "Stalled", "False")).isTrue();
    assertThat(ready.getStatus().observedGeneration())
        .isEqualTo(ready.getMetadata().getGeneration());
    assertThat(ready.getStatus().selector()).isEqualTo("maas.dev/model-deployment=digits");
    assertThat(ready.getStatus().url())
        .as("spec.access.tls: the runtime serves HTTPS")
        .isEqualTo("https://digits." + ns + ".svc.cluster.local:8080/v2/models/digits");
    assertThat(ready.getStatus().readyReplicas()).isPositive();
    assertThat(appliers(ready)).as("status patches").containsExactly("maas-operator");
    assertThat(ready.getSpec())
        .as("the spec is never written")
        .isEqualTo(TestModelDeployments.everything().getSpec());
    assertThat(client.pods().inNamespace(ns).withLabel("maas.dev/revision-hash").list().getItems())
        .as("the scheduler placed the GPU pods on the a100 pool's nodes")
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).startsWith("a100-"));
  }

  @Test
  void aRolloutOfThirtyPodsWritesFewStatusesAndTheLastCountsLand() {
    ModelDeploymentSpec s = TestModelDeployments.digits().getSpec();
    harness.operatorRequests().clear();
    harness.create(
        TestModelDeployments.modelDeployment("digits", s.toBuilder().replicas(30).build()));
    harness.await(
        "30 ready, said in status",
        Duration.ofSeconds(90),
        () ->
            md("digits").getStatus() != null
                && Integer.valueOf(30).equals(md("digits").getStatus().readyReplicas())
                && is(md("digits"), "Ready", "True")
                && is(md("digits"), "Reconciling", "False"));
    long statusWrites =
        harness.operatorRequests().writes().stream()
            .filter(w -> w.endsWith("/modeldeployments/digits/status"))
            .count();
    // kwok readies pods all at once, so this bounds writes but cannot show the pacing of pods
    // that come up one by one (StatusPacingTest does); it shows the final counts are written.
    assertThat(statusWrites)
        .as("status writes: " + harness.operatorRequests().describe())
        .isLessThanOrEqualTo(15);
    assertThat(condition(md("digits"), "Ready").orElseThrow().getMessage())
        .contains("serving 30 replica(s)");
  }

  @Test
  void aReconcileThatFindsNothingToChangeWritesNothing() {
    harness.create(TestModelDeployments.everything());
    awaitReady("digits");
    quiesce();
    // Another actor touches an owned object: the operator reconciles and finds nothing to change.
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("digits")
        .edit(
            d -> {
              d.getMetadata().getAnnotations().put("example.com/touched-by", "someone-else");
              return d;
            });
    OperatorHarness.settle(Duration.ofSeconds(3));
    assertThat(harness.operatorRequests().writes())
        .as(harness.operatorRequests().describe())
        .isEmpty();
  }

  @Test
  void aFullResyncAfterARestartWritesNothing() {
    harness.create(TestModelDeployments.everything());
    harness.create(
        TestModelDeployments.modelDeployment("plain", TestModelDeployments.digits().getSpec()));
    awaitReady("digits");
    awaitReady("plain");
    quiesce();
    harness.stopOperator();
    harness.startOperator();
    OperatorHarness.settle(Duration.ofSeconds(5));
    assertThat(harness.operatorRequests().writes())
        .as(harness.operatorRequests().describe())
        .isEmpty();
  }

  @Test
  void theApiServersDefaultsAndCanonicalFormsAreNotSeenAsChanges() {
    ModelDeploymentSpec s = TestModelDeployments.digits().getSpec();
    // "0.5" is stored as "500m" and "1024Mi" as "1Gi"; the pod template gets a dozen defaults.
    harness.create(
        TestModelDeployments.modelDeployment(
            "digits",
            s.toBuilder()
                .runtime(
                    new RuntimeSpec(
                        null,
                        null,
                        new ResourceRequirementsBuilder()
                            .addToRequests("cpu", new Quantity("0.5"))
                            .addToRequests("memory", new Quantity("1024Mi"))
                            .addToLimits("memory", new Quantity("1024Mi"))
                            .build(),
                        null))
                .build()));
    awaitReady("digits");
    quiesce();
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("digits")
        .edit(
            d -> {
              d.getMetadata().getAnnotations().put("example.com/touched-by", "someone-else");
              return d;
            });
    OperatorHarness.settle(Duration.ofSeconds(3));
    assertThat(harness.operatorRequests().writes())
        .as(harness.operatorRequests().describe())
        .isEmpty();
    assertThat(
            deployment("digits")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getRequests())
        .containsEntry("cpu", new Quantity("500m"));
  }

  @Test
  void fieldsOtherManagersOwnSurviveTheOperatorsApplies() {
    harness.create(TestModelDeployments.digits());
    awaitReady("digits");
    // kubectl rollout restart stamps the pod template; another tool labels the Service.
    cluster.kubectl("-n", ns, "rollout", "restart", "deployment/digits");
    cluster.kubectl("-n", ns, "label", "service/digits", "team=vision");
    harness.editSpec("digits", s -> s.toBuilder().replicas(3).build());
    harness.await("3 replicas", () -> deployment("digits").getSpec().getReplicas() == 3);
    Deployment d = deployment("digits");
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsKey("kubectl.kubernetes.io/restartedAt");
    assertThat(service("digits").getMetadata().getLabels()).containsEntry("team", "vision");
    assertThat(appliers(d)).containsExactly("maas-operator");
  }

  @Test
  void aSpecChangeUpdatesTheDeployment() {
    harness.create(TestModelDeployments.digits());
    harness.await("deployment", () -> deployment("digits") != null);
    harness.editSpec("digits", s -> s.toBuilder().replicas(3).build());
    harness.await("3 replicas", () -> deployment("digits").getSpec().getReplicas() == 3);
    harness.await(
        "3 ready replicas reported",
        () -> md("digits").getStatus().readyReplicas() == 3 && is(md("digits"), "Ready", "True"));
  }

  @Test
  void whatTheOperatorNoLongerWantsIsRemoved() {
    ModelDeploymentSpec s = TestModelDeployments.digits().getSpec();
    harness.create(
        TestModelDeployments.modelDeployment(
            "digits",
            s.toBuilder()
                .runtime(
                    new RuntimeSpec(
                        null,
                        null,
                        new ResourceRequirementsBuilder()
                            .addToRequests("memory", new Quantity("1Gi"))
                            .addToLimits("memory", new Quantity("2Gi"))
                            .build(),
                        null))
                .build()));
    awaitReady("digits");
    harness.editSpec(
        "digits",
        spec ->
            spec.toBuilder()
                .runtime(
                    new RuntimeSpec(
                        null,
                        null,
                        new ResourceRequirementsBuilder()
                            .addToRequests("memory", new Quantity("1Gi"))
                            .build(),
                        null))
                .build());
    harness.await(
        "the memory limit gone",
        () ->
            deployment("digits")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getLimits()
                .isEmpty());
  }

  @Test
  void anUnknownPoolIsStalledWithTheKnownPoolsAndAWarningEvent() {
    ModelDeploymentSpec s = TestModelDeployments.digits().getSpec();
    harness.create(
        TestModelDeployments.modelDeployment(
            "digits",
            ModelDeploymentSpec.builder(s.model())
                .gpu(new GpuSpec(1, "v100"))
                .replicas(1)
                .build()));
    harness.await("Stalled", () -> is(md("digits"), "Stalled", "True"));
    assertThat(condition(md("digits"), "Stalled").orElseThrow().getMessage())
        .isEqualTo(
            "spec.gpu.pool 'v100' is not a node pool of this operator; known pools: [a100, h100-mig]");
    assertThat(is(md("digits"), "Ready", "False")).isTrue();
    assertThat(deployment("digits")).as("nothing is applied").isNull();
    harness.await(
        "Warning event",
        () ->
            client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(
                    e -> e.getType().equals("Warning") && e.getMessage().contains("known pools")));
  }

  @Test
  void aSpecTooLargeToRecordIsStalledNamingTheFieldNotRetriedUntilTheOperatorGivesUp() {
    // Each value within the CRD's bound; together, twice over in the revision's record, too much
    // for etcd.
    List<io.fabric8.kubernetes.api.model.EnvVar> env =
        java.util.stream.IntStream.range(0, 40)
            .mapToObj(
                i ->
                    new io.fabric8.kubernetes.api.model.EnvVar(
                        "SETTING_" + i, Character.toString('a' + i % 26).repeat(16_000), null))
            .toList();
    ModelDeploymentSpec s = TestModelDeployments.digits().getSpec();
    harness.create(
        TestModelDeployments.modelDeployment(
            "digits", s.toBuilder().runtime(new RuntimeSpec(null, null, null, env)).build()));
    harness.await("Stalled", () -> is(md("digits"), "Stalled", "True"));
    Condition stalled = condition(md("digits"), "Stalled").orElseThrow();
    assertThat(stalled.getReason()).isEqualTo("SpecTooLarge");
    assertThat(stalled.getMessage())
        .startsWith(
            "the spec is too large to record as a revision: its ControllerRevision would be")
        .endsWith("the largest value is spec.runtime.env[0].value (16000 characters)");
    assertThat(md("digits").getStatus().observedGeneration()).isEqualTo(1);
    assertThat(client.apps().controllerRevisions().inNamespace(ns).list().getItems()).isEmpty();
    harness.await(
        "Warning event",
        () ->
            client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(
                    e -> e.getType().equals("Warning") && e.getReason().equals("SpecTooLarge")));

    harness.editSpec("digits", spec -> spec.toBuilder().runtime(null).build());
    awaitReady("digits");
  }

  /**
   * An oci:// model: the API server (1.34, with the ImageVolume gate the local cluster turns on)
   * admits the Deployment with its image volume and mount intact, so the operator does not report
   * them dropped. kwok plays the kubelet here: no image is pulled.
   */
  @Test
  void anImageModelsVolumeIsAdmittedByTheApiServerAndTheModelIsNotStalled() {
    ModelDeploymentSpec s = TestModelDeployments.digits().getSpec();
    String reference = "registry.example.com/models/digits@sha256:" + "ab".repeat(32);
    harness.create(
        TestModelDeployments.modelDeployment(
            "digits",
            s.toBuilder()
                .model(
                    new ModelSpec(
                        "oci://" + reference,
                        s.model().sha256(),
                        s.model().servedName(),
                        s.model().inputs()))
                .build()));
    harness.await("deployment", () -> deployment("digits") != null);
    var pod = deployment("digits").getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getImage() != null)
        .singleElement()
        .satisfies(v -> assertThat(v.getImage().getReference()).isEqualTo(reference));
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/var/lib/maas/image"));
    awaitReady("digits");
    assertThat(condition(md("digits"), "Stalled").map(Condition::getStatus)).contains("False");
  }

  @Test
  void aMissingClaimAtTheFirstRevisionIsStalledNamingItAndRecoversOnceItExists() {
    ModelDeploymentSpec s = TestModelDeployments.digits().getSpec();
    harness.create(
        TestModelDeployments.modelDeployment(
            "digits",
            s.toBuilder()
                .model(
                    new ModelSpec(
                        "pvc://weights/digits/digits_mlp.pt",
                        s.model().sha256(),
                        s.model().servedName(),
                        s.model().inputs()))
                .build()));
    harness.await(
        "Stalled on the claim within seconds",
        Duration.ofSeconds(30),
        () -> is(md("digits"), "Stalled", "True"));
    Condition stalled = condition(md("digits"), "Stalled").orElseThrow();
    assertThat(stalled.getReason()).isEqualTo("ClaimNotFound");
    assertThat(stalled.getMessage()).startsWith("persistentvolumeclaim \"weights\" does not exist");
    assertThat(condition(md("digits"), "Reconciling").orElseThrow().getMessage())
        .contains("persistentvolumeclaim \"weights\" not found");
    harness.await(
        "a Warning event with the scheduler's reason",
        () ->
            client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(
                    e ->
                        e.getReason().equals("Unschedulable")
                            && e.getMessage().contains("\"weights\" not found")));

    client
        .persistentVolumeClaims()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("weights")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteMany")
                .withStorageClassName("standard")
                .withNewResources()
                .addToRequests("storage", new Quantity("1Gi"))
                .endResources()
                .endSpec()
                .build())
        .create();
    harness.await(
        "Ready with no spec change",
        Duration.ofSeconds(60),
        () -> is(md("digits"), "Ready", "True"));
    assertThat(is(md("digits"), "Stalled", "False")).isTrue();
    assertThat(md("digits").getMetadata().getGeneration()).isEqualTo(1);
  }

  @Test
  void autoscalingHandsReplicasToTheRealHpaAndTakesThemBackWhenRemoved() {
    ModelDeploymentSpec s = TestModelDeployments.everything().getSpec();
    // The HPA controller brings replicas up to minReplicas even without a metrics server.
    harness.create(
        TestModelDeployments.modelDeployment(
            "digits",
            s.toBuilder()
                .autoscaling(new AutoscalingSpec(3, 8, s.autoscaling().metrics()))
                .build()));
    harness.await("HPA", () -> hpa("digits") != null);
    harness.await(
        "the HPA scales the Deployment to its minimum",
        () -> deployment("digits").getSpec().getReplicas() == 3);
    awaitReady("digits");
    OperatorHarness.settle(Duration.ofSeconds(2));
    assertThat(deployment("digits").getSpec().getReplicas())
        .as("the operator leaves the HPA's choice alone")
        .isEqualTo(3);

    harness.editSpec(
        "digits",
        spec -> spec.toBuilder().autoscaling(null).build().toBuilder().replicas(2).build());
    harness.await("HPA deleted", () -> hpa("digits") == null);
    harness.await(
        "spec.replicas applies again", () -> deployment("digits").getSpec().getReplicas() == 2);
  }

  @Test
  void turningAutoscalingOnNeverDropsTheReplicasTheDeploymentRuns() {
    ModelDeploymentSpec s = TestModelDeployments.digits().getSpec();
    harness.create(
        TestModelDeployments.modelDeployment("digits", s.toBuilder().replicas(3).build()));
    harness.await("3 ready", () -> md("digits").getStatus().readyReplicas() == 3);
    List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (var watch =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName("digits")
            .inform(
                new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Deployment d) {
                    seen.add(d.getSpec().getReplicas());
                  }

                  @Override
                  public void onUpdate(Deployment before, Deployment d) {
                    seen.add(d.getSpec().getReplicas());
                  }

                  @Override
                  public void onDelete(Deployment d, boolean unknown) {}
                })) {
      // With a new revision in the same change, the Deployment is applied again for sure.
      harness.editSpec(
          "digits",
          spec ->
              spec.toBuilder()
                  .autoscaling(
                      new AutoscalingSpec(
                          1,
                          8,
                          TestModelDeployments.everything().getSpec().autoscaling().metrics()))
                  .build()
                  .toBuilder()
                  .runtime(
                      new RuntimeSpec("registry.example.com/maas/runtime:0.2.0", null, null, null))
                  .build());
      harness.await("HPA", () -> hpa("digits") != null);
      // Two HPA sync periods: it keeps 3 (within 1..8; no metrics to scale on).
      OperatorHarness.settle(Duration.ofSeconds(11));
    }
    assertThat(seen).isNotEmpty().allSatisfy(r -> assertThat(r).isEqualTo(3));
    assertThat(deployment("digits").getSpec().getReplicas()).isEqualTo(3);
  }

  /** digits on 16 GPUs of a pool whose nodes have 8, with a 30 s deadline: Stalled. */
  private void stalledWithNoRoom() {
    ModelDeploymentSpec s = TestModelDeployments.digits().getSpec();
    harness.create(
        TestModelDeployments.modelDeployment(
            "digits",
            ModelDeploymentSpec.builder(s.model())
                .gpu(new GpuSpec(16, "a100"))
                .replicas(1)
                .rollout(new RolloutSpec(null, null, 30, null))
                .build()));
    harness.await(
        "Stalled once the progress deadline passed",
        Duration.ofSeconds(90),
        () -> is(md("digits"), "Stalled", "True"));
  }

  @Test
  void aRolloutPastItsProgressDeadlineIsStalled() {
    // Sixteen GPUs fit on no node of the pool: the pods stay Pending until the deadline.
    stalledWithNoRoom();
    Condition stalled = condition(md("digits"), "Stalled").orElseThrow();
    assertThat(stalled.getReason()).isEqualTo("RolloutFailed");
    assertThat(stalled.getMessage())
        .startsWith(
            "revision 1 failed: rollout failed: not available 30 s after its rollout started")
        .endsWith("no revision has served yet, so there is none to go back to");
    assertThat(is(md("digits"), "Ready", "False")).isTrue();
  }

  @Test
  void podsWithNoRoomAreSaidAndThoseThatFitServe() {
    ModelDeploymentSpec s = TestModelDeployments.digits().getSpec();
    // Eight GPUs a pod: the pool's two nodes hold two of the three pods, the third waits.
    harness.create(
        TestModelDeployments.modelDeployment(
            "digits",
            ModelDeploymentSpec.builder(s.model())
                .gpu(new GpuSpec(8, "a100"))
                .replicas(3)
                .build()));
    harness.await(
        "Ready with the pods that fit, the one that does not fit said",
        () ->
            is(md("digits"), "Ready", "True")
                && condition(md("digits"), "Reconciling")
                    .map(c -> c.getMessage().contains("cannot be scheduled"))
                    .orElse(false));
    ModelDeployment md = md("digits");
    assertThat(condition(md, "Ready").orElseThrow().getReason()).isEqualTo("Serving");
    assertThat(condition(md, "Reconciling").orElseThrow().getMessage())
        .startsWith("rolling out revision 1")
        .contains("cannot be scheduled: 0/")
        .contains("nvidia.com/gpu");
    assertThat(md.getStatus().currentRevision()).isEqualTo(1);
    harness.await(
        "an Unschedulable event",
        () ->
            client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(
                    e ->
                        "Unschedulable".equals(e.getReason())
                            && e.getMessage().contains("cannot be scheduled")));
  }

  @Test
  void capacityThatArrivesAfterTheDeadlineServesAndStatusSaysSo() {
    stalledWithNoRoom();
    // A node with room arrives (the cluster autoscaler, late): the pod is scheduled and serves.
    Node big =
        new NodeBuilder(FakeNodes.nodes(TestOperatorConfigs.example(), 0, 1).get(0))
            .editMetadata()
            .withName("a100-big-" + ns)
            .addToLabels("kubernetes.io/hostname", "a100-big-" + ns)
            .endMetadata()
            .editStatus()
            .addToCapacity("nvidia.com/gpu", new Quantity("16"))
            .addToAllocatable("nvidia.com/gpu", new Quantity("16"))
            .endStatus()
            .build();
    client.nodes().resource(big).create();
    try {
      harness.await(
          "Ready once the revision's pod serves",
          Duration.ofSeconds(60),
          () -> is(md("digits"), "Ready", "True"));
      ModelDeployment md = md("digits");
      assertThat(condition(md, "Ready").orElseThrow().getReason()).isEqualTo("Serving");
      assertThat(md.getStatus().currentRevision()).isEqualTo(1);
      assertThat(md.getStatus().revisions().get(0).phase())
          .as("the failure stays in the record")
          .isEqualTo(RevisionPhase.Failed);
    } finally {
      client.nodes().resource(big).delete();
    }
  }

  @Test
  void deletingTheModelDeploymentGarbageCollectsEverythingItOwns() {
    harness.create(TestModelDeployments.everything());
    awaitReady("digits");
    client.resources(ModelDeployment.class).inNamespace(ns).withName("digits").delete();
    harness.await(
        "the garbage collector removed the owned objects and their pods",
        () ->
            deployment("digits") == null
                && service("digits") == null
                && hpa("digits") == null
                && client.pods().inNamespace(ns).list().getItems().isEmpty());
    assertThat(client.apps().replicaSets().inNamespace(ns).list().getItems()).isEmpty();
  }
}
