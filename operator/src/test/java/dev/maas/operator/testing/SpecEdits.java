package dev.maas.operator.testing;

import dev.maas.operator.api.spec.AutoscalingSpec;
import dev.maas.operator.api.spec.CompressionSpec;
import dev.maas.operator.api.spec.GpuSpec;
import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.api.spec.ModelSpec;
import dev.maas.operator.api.spec.RolloutSpec;
import dev.maas.operator.api.spec.RuntimeSpec;

/** A spec with one section changed, as a user edits one thing at a time. */
public final class SpecEdits {
  private SpecEdits() {}

  public static ModelDeploymentSpec withModel(ModelDeploymentSpec s, ModelSpec model) {
    return new ModelDeploymentSpec(
        model,
        s.compression(),
        s.storage(),
        s.runtime(),
        s.gpu(),
        s.replicas(),
        s.autoscaling(),
        s.rollout(),
        s.revisionHistoryLimit());
  }

  public static ModelDeploymentSpec withCompression(ModelDeploymentSpec s, CompressionSpec c) {
    return new ModelDeploymentSpec(
        s.model(),
        c,
        s.storage(),
        s.runtime(),
        s.gpu(),
        s.replicas(),
        s.autoscaling(),
        s.rollout(),
        s.revisionHistoryLimit());
  }

  public static ModelDeploymentSpec withRuntime(ModelDeploymentSpec s, RuntimeSpec runtime) {
    return new ModelDeploymentSpec(
        s.model(),
        s.compression(),
        s.storage(),
        runtime,
        s.gpu(),
        s.replicas(),
        s.autoscaling(),
        s.rollout(),
        s.revisionHistoryLimit());
  }

  public static ModelDeploymentSpec withImage(ModelDeploymentSpec s, String image) {
    return withRuntime(s, new RuntimeSpec(image, null, null, null));
  }

  public static ModelDeploymentSpec withGpu(ModelDeploymentSpec s, GpuSpec gpu) {
    return new ModelDeploymentSpec(
        s.model(),
        s.compression(),
        s.storage(),
        s.runtime(),
        gpu,
        s.replicas(),
        s.autoscaling(),
        s.rollout(),
        s.revisionHistoryLimit());
  }

  public static ModelDeploymentSpec withReplicas(ModelDeploymentSpec s, int replicas) {
    return new ModelDeploymentSpec(
        s.model(),
        s.compression(),
        s.storage(),
        s.runtime(),
        s.gpu(),
        replicas,
        s.autoscaling(),
        s.rollout(),
        s.revisionHistoryLimit());
  }

  public static ModelDeploymentSpec withRollout(ModelDeploymentSpec s, RolloutSpec rollout) {
    return new ModelDeploymentSpec(
        s.model(),
        s.compression(),
        s.storage(),
        s.runtime(),
        s.gpu(),
        s.replicas(),
        s.autoscaling(),
        rollout,
        s.revisionHistoryLimit());
  }

  public static ModelDeploymentSpec withAutoscaling(
      ModelDeploymentSpec s, AutoscalingSpec autoscaling) {
    return new ModelDeploymentSpec(
        s.model(),
        s.compression(),
        s.storage(),
        s.runtime(),
        s.gpu(),
        s.replicas(),
        autoscaling,
        s.rollout(),
        s.revisionHistoryLimit());
  }
}
