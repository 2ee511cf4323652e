package dev.maas.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.api.spec.ModelSpec;
import dev.maas.operator.decide.Decision;
import dev.maas.operator.observe.DeploymentProgress;
import dev.maas.operator.observe.Observation;
import dev.maas.operator.observe.PrepareJobState;
import dev.maas.operator.render.DeploymentModel;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import dev.maas.operator.revision.History;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.testing.TestModelDeployments;
import dev.maas.operator.testing.TestRevisions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An API server without image volumes (1.33 and 1.34 without the ImageVolume gate) drops an oci://
 * model's volume and mount silently; the pods would fail to find the model for a reason nobody
 * could see. Stalled says it.
 */
class ImageVolumeStatusTest {
  private static final Instant NOW = Instant.parse("2026-12-02T07:00:00Z");
  private final StatusFactory statuses =
      new StatusFactory(new Conditions(Clock.fixed(NOW, ZoneOffset.UTC)));

  private static ModelDeployment fromImage() {
    ModelSpec digits = TestModelDeployments.digitsModel();
    return TestModelDeployments.modelDeployment(
        "digits",
        ModelDeploymentSpec.builder(
                new ModelSpec(
                    "oci://registry.example.com/models/digits:v1",
                    digits.sha256(),
                    null,
                    digits.inputs()))
            .replicas(1)
            .build());
  }

  private Condition stalled(boolean apiServerDropsImageVolumes) {
    ModelDeployment md = fromImage();
    ResolvedModelDeployment resolved = TestRevisions.resolve(md);
    Revision first =
        Revision.first(1, "abc", resolved.template(), resolved.revisionSpec()).rollingOut(NOW);
    Deployment applied = DeploymentModel.build(resolved, first, 1);
    if (apiServerDropsImageVolumes) {
      var pod = applied.getSpec().getTemplate().getSpec();
      pod.getVolumes().removeIf(v -> v.getImage() != null);
      pod.getContainers().get(0).getVolumeMounts().removeIf(m -> m.getName().equals("model-image"));
    }
    Observation seen =
        new Observation(
            Optional.of(DeploymentProgress.of(applied)),
            List.of(),
            new PrepareJobState.Absent(),
            NOW,
            List.of(),
            Optional.empty());
    return statuses
        .of(
            md,
            resolved,
            first,
            new Decision.RollOut(first, Duration.ofMinutes(5), List.of()),
            new History(List.of(first)),
            seen)
        .conditions()
        .stream()
        .filter(c -> c.getType().equals("Stalled"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aDroppedImageVolumeIsStalledSayingWhatTheClusterNeeds() {
    Condition stalled = stalled(true);
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo("ImageVolumesUnsupported");
    assertThat(stalled.getMessage()).contains("ImageVolume feature gate", "1.35");
  }

  @Test
  void anAdmittedImageVolumeIsNotStalled() {
    assertThat(stalled(false).getStatus()).isEqualTo("False");
  }
}
