package dev.maas.operator.gitops;

import static dev.maas.operator.testing.Statuses.condition;
import static dev.maas.operator.testing.Statuses.is;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maas.contract.CompressionMethod;
import dev.maas.operator.api.CrdConstants;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.CompressionSpec;
import dev.maas.operator.api.spec.GpuSpec;
import dev.maas.operator.api.spec.RuntimeSpec;
import dev.maas.operator.testing.ClusterTest;
import dev.maas.operator.testing.CrashingImageKubelet;
import dev.maas.operator.testing.FakeJobRunner;
import dev.maas.operator.testing.LocalControlPlane;
import dev.maas.operator.testing.OperatorHarness;
import dev.maas.operator.testing.TestModelDeployments;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the operator on a real control plane through every phase a GitOps tool must tell apart,
 * and at each one checks what Argo CD (our health.lua, run by LuaJ) and Flux (the real kstatus
 * library) make of the live object. The same objects, made stable, are the committed samples in
 * gitops/argocd/maas.dev/ModelDeployment/testdata, which Argo CD's own test layout runs too.
 */
@ClusterTest
class StatusSamplesTest {
  private static final Path LIVE_SAMPLES = Path.of("target", "status-samples");

  private final LocalControlPlane cluster;
  private final Kstatus kstatus;
  private OperatorHarness harness;
  private KubernetesClient client;
  private String ns;

  StatusSamplesTest(LocalControlPlane cluster) {
    this.cluster = cluster;
    this.kstatus = new Kstatus(cluster.binary("kstatus"));
  }

  @BeforeEach
  void start(OperatorHarness harness) {
    this.harness = harness;
    client = harness.client();
    ns = harness.namespace();
  }

  private ModelDeployment md(String name) {
    return harness.modelDeployment(name);
  }

  private boolean reason(String name, String type, String status, String reason) {
    return condition(md(name), type)
        .map(c -> c.getStatus().equals(status) && c.getReason().equals(reason))
        .orElse(false);
  }

  private void capture(StatusSample sample, String name) {
    JsonNode live =
        client
            .getKubernetesSerialization()
            .convertValue(
                client
                    .genericKubernetesResources(
                        CrdConstants.GROUP + "/" + CrdConstants.VERSION, "ModelDeployment")
                    .inNamespace(ns)
                    .withName(name)
                    .get(),
                JsonNode.class);
    ObjectNode normalized = StatusSamples.normalize(live, ns);
    HealthExpectations.argoCd(sample, normalized);
    HealthExpectations.kstatus(
        kstatus, sample, StatusSamples.write(normalized, LIVE_SAMPLES, sample.file));
    StatusSamples.record(sample, normalized);
  }

  @Test
  void fromApplyThroughPreparingToReadyThenASpecChangeAndARolloutWhileTheOldRevisionServes() {
    harness.stopOperator();
    harness.jobs().hold();
    harness.create(TestModelDeployments.int8());
    capture(StatusSample.NOT_YET_OBSERVED, "digits");

    harness.startOperator();
    harness.await("Preparing", () -> reason("digits", "Reconciling", "True", "Preparing"));
    capture(StatusSample.PREPARING, "digits");

    harness.jobs().release(FakeJobRunner.Outcome.succeeds());
    harness.await("Ready", () -> reason("digits", "Ready", "True", "Serving"));
    harness.await("settled", () -> is(md("digits"), "Reconciling", "False"));
    capture(StatusSample.READY, "digits");

    harness.stopOperator();
    harness.editSpec(
        "digits",
        s ->
            s.toBuilder()
                .runtime(new RuntimeSpec("registry.example.com/maas/runtime:0.2", null, null, null))
                .build());
    capture(StatusSample.SPEC_CHANGE_NOT_OBSERVED, "digits");
    harness.startOperator();

    harness.await("revision 2 serving", () -> md("digits").getStatus().currentRevision() == 2);
    harness.editSpec(
        "digits", s -> s.toBuilder().gpu(new GpuSpec(16, "a100")).build()); // no node has 16
    harness.await(
        "revision 3 rolling out while 2 serves",
        () ->
            reason("digits", "Reconciling", "True", "RollingOut")
                && reason("digits", "Ready", "True", "PreviousRevisionServing"));
    capture(StatusSample.ROLLOUT_WHILE_PREVIOUS_SERVES, "digits");
  }

  @Test
  void firstRolloutsThatCannotScheduleThatCrashOrThatTheOperatorCannotServe() {
    harness.create(
        TestModelDeployments.modelDeployment(
            "unschedulable",
            TestModelDeployments.digits().getSpec().toBuilder()
                .gpu(new GpuSpec(16, "a100"))
                .build()));
    harness.create(
        TestModelDeployments.modelDeployment(
            "crashing",
            TestModelDeployments.digits().getSpec().toBuilder()
                .runtime(new RuntimeSpec(CrashingImageKubelet.CRASH_LOOP_IMAGE, null, null, null))
                .build()));
    harness.create(
        TestModelDeployments.modelDeployment(
            "no-such-pool",
            TestModelDeployments.digits().getSpec().toBuilder()
                .gpu(new GpuSpec(1, "tpu-v5"))
                .build()));

    harness.await(
        "the first rollout waiting",
        () -> reason("unschedulable", "Reconciling", "True", "RollingOut"));
    capture(StatusSample.FIRST_ROLLOUT, "unschedulable");
    harness.await("a failed first rollout", () -> is(md("crashing"), "Stalled", "True"));
    assertThat(reason("crashing", "Ready", "False", "NothingServing")).isTrue();
    capture(StatusSample.FIRST_ROLLOUT_FAILED, "crashing");
    harness.await(
        "an invalid spec", () -> reason("no-such-pool", "Stalled", "True", "InvalidSpec"));
    capture(StatusSample.INVALID_SPEC, "no-such-pool");
  }

  @Test
  void failuresAfterServingRollBackOrNeverLeaveTheServingRevision() {
    harness.create(TestModelDeployments.digits());
    harness.create(
        TestModelDeployments.modelDeployment("compressed", TestModelDeployments.int8().getSpec()));
    harness.await(
        "both ready",
        () -> is(md("digits"), "Ready", "True") && is(md("compressed"), "Ready", "True"));

    harness.editSpec(
        "digits",
        s ->
            s.toBuilder()
                .runtime(new RuntimeSpec(CrashingImageKubelet.CRASH_LOOP_IMAGE, null, null, null))
                .build());
    harness.await(
        "rolled back and ready again",
        () ->
            reason("digits", "Stalled", "True", "RolledBack")
                && is(md("digits"), "Ready", "True")
                && md("digits").getStatus().readyReplicas() > 0);
    capture(StatusSample.ROLLED_BACK, "digits");

    harness.jobs().willEnd(FakeJobRunner.Outcome.rejected(0.31, 0.91));
    harness.editSpec(
        "compressed",
        s ->
            s.toBuilder()
                .compression(
                    new CompressionSpec(
                        CompressionMethod.Prune,
                        0.9,
                        null,
                        s.compression().acceptance(),
                        null,
                        null,
                        null,
                        null))
                .build());
    harness.await(
        "the prepare Job rejected", () -> reason("compressed", "Stalled", "True", "PrepareFailed"));
    capture(StatusSample.PREPARE_FAILED, "compressed");
  }

  @Test
  void scaledToZeroIsHealthyAndAScaleUpThatCannotFinishIsStillInProgress() {
    harness.create(
        TestModelDeployments.modelDeployment(
            "digits", TestModelDeployments.digits().getSpec().toBuilder().replicas(0).build()));
    harness.await("scaled to zero", () -> reason("digits", "Ready", "True", "ScaledToZero"));
    capture(StatusSample.SCALED_TO_ZERO, "digits");

    // A quota that admits no pod: the scale-up cannot finish, as when the pool has no room.
    ResourceQuota noPods =
        new ResourceQuotaBuilder()
            .withNewMetadata()
            .withName("no-pods")
            .endMetadata()
            .withNewSpec()
            .withHard(Map.of("pods", new Quantity("0")))
            .endSpec()
            .build();
    client.resourceQuotas().inNamespace(ns).resource(noPods).create();
    harness.editSpec("digits", s -> s.toBuilder().replicas(2).build());
    harness.await("scaling up", () -> reason("digits", "Reconciling", "True", "Scaling"));
    assertThat(reason("digits", "Ready", "False", "NoReadyReplicas")).isTrue();
    capture(StatusSample.SCALING_UP, "digits");

    client.resourceQuotas().inNamespace(ns).withName("no-pods").delete();
    harness.await(
        "recovered once pods may run",
        Duration.ofSeconds(120),
        () ->
            reason("digits", "Ready", "True", "Serving")
                && is(md("digits"), "Stalled", "False")
                && is(md("digits"), "Reconciling", "False"));
  }

  @Test
  void theCommittedSamplesAreWhatKstatusExpects() {
    for (StatusSample sample : StatusSample.values()) {
      HealthExpectations.kstatus(kstatus, sample, StatusSamples.TESTDATA.resolve(sample.file));
    }
  }
}
