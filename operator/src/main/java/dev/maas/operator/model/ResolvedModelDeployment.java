package dev.maas.operator.model;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.BatchingSpec;
import dev.maas.operator.api.spec.GpuSpec;
import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.api.spec.RuntimeSpec;
import dev.maas.operator.config.NodePool;
import dev.maas.operator.config.OperatorConfig;
import java.util.Optional;

/**
 * A ModelDeployment with the operator's configuration applied: the image, the node pool and the
 * batching settings it will actually get. Building one is where a spec the operator cannot serve
 * (an unknown pool, no image anywhere) is found; the reason goes to the Stalled condition.
 */
public record ResolvedModelDeployment(
    ModelDeployment resource,
    String image,
    Optional<NodePool> pool,
    int gpuCount,
    int maxBatchSize,
    int maxBatchDelayMillis,
    int queueCapacity,
    OperatorConfig config) {

  /** Either the resolved deployment or why it cannot be served; never both. */
  public record Resolution(
      Optional<ResolvedModelDeployment> resolved, Optional<String> stalledReason) {}

  public static Resolution resolve(ModelDeployment md, OperatorConfig config) {
    ModelDeploymentSpec spec = md.getSpec();
    Optional<RuntimeSpec> runtime = Optional.ofNullable(spec.runtime());
    String image = runtime.map(RuntimeSpec::image).orElse(config.defaults().runtimeImage());
    if (image == null || image.isBlank()) {
      return stalled(
          "spec.runtime.image is not set and the operator has no defaults.runtimeImage: set one of"
              + " them");
    }
    int gpus = Optional.ofNullable(spec.gpu()).map(GpuSpec::count).orElse(0);
    Optional<NodePool> pool = Optional.empty();
    if (gpus > 0) {
      String poolName = spec.gpu().pool();
      pool = Optional.ofNullable(config.nodePools().get(poolName));
      if (pool.isEmpty()) {
        return stalled(
            "spec.gpu.pool '"
                + poolName
                + "' is not a node pool of this operator; known pools: "
                + config.poolNames());
      }
    }
    Optional<BatchingSpec> batching = runtime.map(RuntimeSpec::batching);
    return new Resolution(
        Optional.of(
            new ResolvedModelDeployment(
                md,
                image,
                pool,
                gpus,
                batching.map(BatchingSpec::maxBatchSize).orElse(config.defaults().maxBatchSize()),
                batching
                    .map(BatchingSpec::maxDelayMillis)
                    .orElse(config.defaults().maxBatchDelayMillis()),
                batching.map(BatchingSpec::queueCapacity).orElse(config.defaults().queueCapacity()),
                config)),
        Optional.empty());
  }

  private static Resolution stalled(String reason) {
    return new Resolution(Optional.empty(), Optional.of(reason));
  }

  public String name() {
    return resource.getMetadata().getName();
  }

  public String namespace() {
    return resource.getMetadata().getNamespace();
  }

  public ModelDeploymentSpec spec() {
    return resource.getSpec();
  }

  public String servedName() {
    return Optional.ofNullable(spec().model().servedName()).orElse(name());
  }

  public boolean usesGpu() {
    return gpuCount > 0;
  }

  public boolean autoscaled() {
    return spec().autoscaling() != null;
  }

  /** In-cluster inference URL (Open Inference Protocol). */
  public String url() {
    String ns = namespace() == null ? "default" : namespace();
    return "http://"
        + name()
        + "."
        + ns
        + ".svc.cluster.local:"
        + DeploymentModel.HTTP_PORT
        + "/v2/models/"
        + servedName();
  }
}
