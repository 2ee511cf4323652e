package dev.maas.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.api.status.RevisionPhase;
import dev.maas.operator.plan.ReplicaCount;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import dev.maas.operator.revision.PrepareKey;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.testing.TestModelDeployments;
import dev.maas.operator.testing.TestRevisions;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ControllerRevision, prepare Job, storage claim and replica-count builders. */
class RevisionAndJobModelTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @Test
  void aRevisionSurvivesTheRoundTripThroughAControllerRevisionAndJson() {
    ResolvedModelDeployment md = TestRevisions.resolve(TestModelDeployments.everything());
    Revision revision =
        Revision.first(3, "0123456789", md.template(), md.revisionSpec())
            .prepared(TestRevisions.preparedPackage("packages/k.maas.zip", "cafe"))
            .rollingOut(Instant.parse("2026-11-23T12:00:00Z"))
            .serving(Instant.parse("2026-11-23T12:01:00Z"));
    ControllerRevision cr = RevisionModel.build(md.owner(), revision);
    assertThat(cr.getMetadata().getName()).isEqualTo("digits-0123456789");
    assertThat(cr.getRevision()).isEqualTo(3);
    assertThat(cr.getMetadata().getLabels())
        .containsEntry("maas.dev/revision", "3")
        .containsEntry("maas.dev/revision-hash", "0123456789")
        .containsEntry("maas.dev/model-deployment", "digits");
    ControllerRevision fromServer =
        SERIALIZATION.unmarshal(SERIALIZATION.asJson(cr), ControllerRevision.class);
    assertThat(RevisionModel.read(fromServer)).hasValue(revision);

    Revision failed = revision.failed("rollout failed: crash");
    assertThat(RevisionModel.read(RevisionModel.build(md.owner(), failed)))
        .hasValueSatisfying(
            r -> {
              assertThat(r.phase()).isEqualTo(RevisionPhase.Failed);
              assertThat(r.reason()).isEqualTo("rollout failed: crash");
            });
  }

  @Test
  void thePrepareJobFailsAtOnceOnBadInputOrRejectionAndIsLockedDown() {
    ResolvedModelDeployment md = TestRevisions.resolve(TestModelDeployments.everything());
    Revision revision = Revision.first(1, "0123456789", md.template(), md.revisionSpec());
    Job job = PrepareJobModel.build(md, revision);
    assertThat(job.getMetadata().getName())
        .isEqualTo("digits-prepare-" + PrepareKey.of(md.template()))
        .hasSizeLessThanOrEqualTo(63);
    var spec = job.getSpec();
    assertThat(spec.getBackoffLimit()).isEqualTo(2);
    assertThat(spec.getActiveDeadlineSeconds()).isEqualTo(3600);
    assertThat(spec.getTtlSecondsAfterFinished()).isEqualTo(600);
    var failJob = spec.getPodFailurePolicy().getRules().get(0);
    assertThat(failJob.getAction()).isEqualTo("FailJob");
    assertThat(failJob.getOnExitCodes().getContainerName()).isEqualTo("compress");
    assertThat(failJob.getOnExitCodes().getValues()).containsExactly(2, 3);
    PodSpec pod = spec.getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    var container = pod.getContainers().get(0);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(container.getArgs())
        .containsSequence("compress", "--source", TestModelDeployments.DIGITS_URI)
        .containsSequence("--sha256", TestModelDeployments.DIGITS_SHA256)
        .containsSequence("--method", "PruneInt8", "--sparsity", "0.5")
        .containsSequence("--inputs", "input:FP32:-1,64", "--samples", "256")
        .containsSequence("--max-output-error", "0.05", "--min-top1-agreement", "0.99")
        .containsSequence("--output", "/var/lib/maas/models/packages")
        .containsSequence("--report-file", "/dev/termination-log");
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getPersistentVolumeClaim() != null)
        .singleElement()
        .satisfies(
            v ->
                assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("digits-models"));
    assertThat(container.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
  }

  @Test
  void longNamesStillMakeValidJobNames() {
    assertThat(PrepareJobModel.name("a".repeat(63), "0123456789"))
        .hasSize(63)
        .endsWith("-prepare-0123456789");
  }

  @Test
  void theStorageClaimComesFromTheSpecOrTheOperatorsDefaults() {
    ResolvedModelDeployment md = TestRevisions.resolve(TestModelDeployments.everything());
    var claim = StorageClaimModel.build(md).orElseThrow();
    assertThat(claim.getMetadata().getName()).isEqualTo("digits-models");
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
    assertThat(claim.getSpec().getStorageClassName()).isEqualTo("standard");
    assertThat(StorageClaimModel.build(TestRevisions.digits()))
        .as("no compression, no claim")
        .isEmpty();
  }

  private static Deployment deployment(int replicas, String ownerOfReplicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("digits")
        .withManagedFields(
            new ManagedFieldsEntryBuilder()
                .withManager(ownerOfReplicas)
                .withOperation(ownerOfReplicas.equals("maas-operator") ? "Apply" : "Update")
                .withNewFieldsV1()
                .addToAdditionalProperties("f:spec", Map.of("f:replicas", Map.of()))
                .endFieldsV1()
                .build())
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .endSpec()
        .build();
  }

  @Test
  void replicasAreHandedToTheHpaWithoutDroppingToOne() {
    ResolvedModelDeployment.Scale fixed = new ResolvedModelDeployment.Scale(2, Optional.empty());
    ResolvedModelDeployment.Scale auto =
        TestRevisions.resolve(TestModelDeployments.everything()).scale();
    assertThat(ReplicaCount.of(fixed, Optional.of(deployment(5, "kube-controller-manager"))))
        .isEqualTo(2);
    assertThat(ReplicaCount.of(auto, Optional.empty())).as("a new Deployment").isNull();
    assertThat(ReplicaCount.of(auto, Optional.of(deployment(4, "maas-operator"))))
        .as("still ours: keep the current count until the HPA takes it")
        .isEqualTo(4);
    assertThat(ReplicaCount.of(auto, Optional.of(deployment(6, "kube-controller-manager"))))
        .as("the HPA's")
        .isNull();
  }
}
