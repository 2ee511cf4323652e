package dev.maas.operator.revision;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.maas.operator.api.spec.CompressionSpec;
import dev.maas.operator.api.spec.GpuSpec;
import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.api.spec.ModelSpec;
import dev.maas.operator.api.spec.RuntimeSpec;
import dev.maas.operator.api.spec.StorageSpec;

/**
 * The fields of a user's spec that a revision's template came from, kept with the revision so that
 * a manual rollback can write them back; scale, rollout and access settings are not among them (a
 * rollback restores a model, never weaker access).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RevisionSpec(
    ModelSpec model,
    CompressionSpec compression,
    StorageSpec storage,
    RuntimeSpec runtime,
    GpuSpec gpu) {

  public static RevisionSpec of(ModelDeploymentSpec spec) {
    return new RevisionSpec(
        spec.model(), spec.compression(), spec.storage(), spec.runtime(), spec.gpu());
  }

  /** The spec with these fields put back and everything else (scale, rollout) kept. */
  public ModelDeploymentSpec applyTo(ModelDeploymentSpec spec) {
    return new ModelDeploymentSpec(
        model,
        compression,
        storage,
        runtime,
        gpu,
        spec.replicas(),
        spec.autoscaling(),
        spec.rollout(),
        spec.access(),
        spec.revisionHistoryLimit());
  }
}
