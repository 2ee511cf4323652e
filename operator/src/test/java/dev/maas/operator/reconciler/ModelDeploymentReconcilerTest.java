package dev.maas.operator.reconciler;

import static dev.maas.operator.testing.OperatorHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.GpuSpec;
import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.testing.FakeDeploymentController;
import dev.maas.operator.testing.OperatorHarness;
import dev.maas.operator.testing.TestModelDeployments;
import dev.maas.operator.testing.TestOperatorConfigs;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelDeploymentReconcilerTest {
  private static final String NS = "default";
  private OperatorHarness harness;
  private KubernetesClient client;
  private FakeDeploymentController deployments;

  @BeforeEach
  void start() {
    harness = new OperatorHarness(TestOperatorConfigs.withPools());
    client = harness.client();
    deployments = new FakeDeploymentController(client);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private ModelDeployment md(String name) {
    return client.resources(ModelDeployment.class).inNamespace(NS).withName(name).get();
  }

  private Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  private HorizontalPodAutoscaler hpa(String name) {
    return client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(NS)
        .withName(name)
        .get();
  }

  private static Optional<Condition> condition(ModelDeployment md, String type) {
    return md.getStatus() == null
        ? Optional.empty()
        : md.getStatus().conditions().stream().filter(c -> c.getType().equals(type)).findFirst();
  }

  private static boolean is(ModelDeployment md, String type, String status) {
    return condition(md, type).map(c -> c.getStatus().equals(status)).orElse(false);
  }

  /** Changes the spec as a user would, retrying when the operator's writes get in between. */
  private void editSpec(String name, java.util.function.UnaryOperator<ModelDeploymentSpec> change) {
    OperatorHarness.retryOnConflict(
        () ->
            client
                .resources(ModelDeployment.class)
                .inNamespace(NS)
                .withName(name)
                .edit(
                    md -> {
                      md.setSpec(change.apply(md.getSpec()));
                      return md;
                    }));
  }

  private void create(ModelDeployment md) {
    client.resource(md).inNamespace(NS).create();
  }

  @Test
  void createAppliesTheOwnedObjectsAndReportsReadyOnceAvailable() {
    create(TestModelDeployments.everything());
    await(
        "deployment, service and HPA",
        () ->
            deployment("digits") != null
                && client.services().inNamespace(NS).withName("digits").get() != null
                && hpa("digits") != null);
    ModelDeployment created = md("digits");
    assertThat(deployment("digits").getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid()));
    String uid = created.getMetadata().getUid();
    assertThat(
            client
                .services()
                .inNamespace(NS)
                .withName("digits")
                .get()
                .getMetadata()
                .getOwnerReferences())
        .as("deleting the ModelDeployment garbage-collects the Service")
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(uid));
    assertThat(hpa("digits").getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(uid));
    await(
        "an Applied event naming what was created",
        () ->
            client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(
                    e ->
                        e.getType().equals("Normal")
                            && e.getReason().equals("Applied")
                            && e.getMessage().contains("created Deployment digits")
                            && e.getMessage().contains("created Service digits")));
    await("Reconciling while rolling out", () -> is(md("digits"), "Reconciling", "True"));
    assertThat(is(md("digits"), "Ready", "False")).isTrue();

    deployments.becomeAvailable(NS, "digits");
    await("Ready", () -> is(md("digits"), "Ready", "True"));
    ModelDeployment ready = md("digits");
    assertThat(is(ready, "Reconciling", "False")).isTrue();
    assertThat(is(ready, "Stalled", "False")).isTrue();
    assertThat(ready.getStatus().observedGeneration())
        .isEqualTo(ready.getMetadata().getGeneration());
    assertThat(ready.getStatus().selector()).isEqualTo("maas.dev/model-deployment=digits");
    assertThat(ready.getStatus().url())
        .isEqualTo("http://digits.default.svc.cluster.local:8080/v2/models/digits");
    assertThat(ready.getStatus().readyReplicas()).isPositive();
    assertThat(ready.getSpec())
        .as("the spec is never written")
        .isEqualTo(TestModelDeployments.everything().getSpec());
  }

  @Test
  void aReconcileThatFindsNothingToChangeWritesNothing() {
    create(TestModelDeployments.digits());
    await("deployment", () -> deployment("digits") != null);
    deployments.becomeAvailable(NS, "digits");
    await("Ready", () -> is(md("digits"), "Ready", "True"));
    OperatorHarness.settle(Duration.ofMillis(500));
    harness.dispatcher().clearWrites();
    // Another actor touches an owned object: the operator reconciles and finds nothing to change.
    OperatorHarness.retryOnConflict(
        () ->
            client
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName("digits")
                .edit(
                    d -> {
                      d.getMetadata()
                          .getAnnotations()
                          .put("example.com/touched-by", "someone-else");
                      return d;
                    }));
    OperatorHarness.settle(Duration.ofMillis(1500));
    assertThat(harness.dispatcher().writes())
        .as("only the test's own write")
        .singleElement()
        .isEqualTo("PATCH /apis/apps/v1/namespaces/default/deployments/digits");
  }

  @Test
  void aSpecChangeUpdatesTheDeployment() {
    create(TestModelDeployments.digits());
    await("deployment", () -> deployment("digits") != null);
    editSpec(
        "digits",
        s -> new ModelDeploymentSpec(s.model(), null, null, null, null, 3, null, null, null));
    await("3 replicas", () -> deployment("digits").getSpec().getReplicas() == 3);
  }

  @Test
  void anUnknownPoolIsStalledWithTheKnownPoolsAndAWarningEvent() {
    ModelDeploymentSpec s = TestModelDeployments.digits().getSpec();
    create(
        TestModelDeployments.modelDeployment(
            "digits",
            new ModelDeploymentSpec(
                s.model(), null, null, null, new GpuSpec(1, "v100"), 1, null, null, null)));
    await("Stalled", () -> is(md("digits"), "Stalled", "True"));
    assertThat(condition(md("digits"), "Stalled").orElseThrow().getMessage())
        .isEqualTo(
            "spec.gpu.pool 'v100' is not a node pool of this operator; known pools: [a100, h100-mig]");
    assertThat(is(md("digits"), "Ready", "False")).isTrue();
    assertThat(deployment("digits")).as("nothing is applied").isNull();
    await(
        "Warning event",
        () ->
            client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(
                    e -> e.getType().equals("Warning") && e.getMessage().contains("known pools")));
  }

  @Test
  void autoscalingOnCreatesTheHpaAndLeavesReplicasToItOffDeletesIt() {
    create(TestModelDeployments.everything());
    await("HPA and Deployment", () -> hpa("digits") != null && deployment("digits") != null);
    deployments.scaleAsHpa(NS, "digits", 5);
    OperatorHarness.settle(Duration.ofMillis(1000));
    assertThat(deployment("digits").getSpec().getReplicas())
        .as("the HPA's choice stays")
        .isEqualTo(5);

    editSpec(
        "digits",
        s ->
            new ModelDeploymentSpec(
                s.model(),
                s.compression(),
                s.storage(),
                s.runtime(),
                s.gpu(),
                2,
                null,
                s.rollout(),
                s.revisionHistoryLimit()));
    await("HPA deleted", () -> hpa("digits") == null);
    await("spec.replicas applies again", () -> deployment("digits").getSpec().getReplicas() == 2);
  }

  @Test
  void aMissedProgressDeadlineIsStalled() {
    create(TestModelDeployments.digits());
    await("deployment", () -> deployment("digits") != null);
    deployments.missProgressDeadline(NS, "digits");
    await("Stalled", () -> is(md("digits"), "Stalled", "True"));
    assertThat(condition(md("digits"), "Stalled").orElseThrow().getReason())
        .isEqualTo("ProgressDeadlineExceeded");
  }
}
