package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/**
 * What the user asks for. Descriptions live in {@link JsonPropertyDescription} because the CRD
 * generator reads annotations from bytecode, not Javadoc: they are what {@code kubectl explain}
 * shows.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.compression) || (has(self.model.inputs) && size(self.model.inputs) > 0)",
    message =
        "spec.model.inputs is required when spec.compression is set: the acceptance check"
            + " generates its sample inputs from the input signature")
public record ModelDeploymentSpec(
    @Required
        @JsonPropertyDescription("The model artifact to serve: where it is and how it is called.")
        ModelSpec model,
    @JsonPropertyDescription(
            "Optional compression before rollout (Fp16, Int8, Prune, PruneInt8); absent means the"
                + " artifact is served as it is.")
        CompressionSpec compression,
    @JsonPropertyDescription(
            "Where prepared (compressed) artifacts are kept: an existing PVC (claimName) or one"
                + " the operator creates (size, storageClassName).")
        StorageSpec storage,
    @JsonPropertyDescription(
            "The model server: image, dynamic batching, resources and extra environment.")
        RuntimeSpec runtime,
    @JsonPropertyDescription("GPUs per replica and the node pool they come from; absent means CPU.")
        GpuSpec gpu,
    @SpecReplicas
        @Min(0)
        @Max(1000)
        @JsonPropertyDescription(
            "Number of runtime pods (default 1); ignored while spec.autoscaling is set.")
        Integer replicas,
    @JsonPropertyDescription(
            "Scale the runtime pods between minReplicas and maxReplicas on CPU or in-flight"
                + " requests; remove it to go back to spec.replicas.")
        AutoscalingSpec autoscaling,
    @JsonPropertyDescription(
            "How a new revision replaces the serving one, and whether a failed rollout rolls back"
                + " by itself.")
        RolloutSpec rollout,
    @JsonPropertyDescription(
            "Who may call the model: API keys, HTTPS, and a NetworkPolicy; absent: anyone who can"
                + " reach the pods, over HTTP.")
        AccessSpec access,
    @Min(1)
        @Max(100)
        @JsonPropertyDescription(
            "How many old revisions to keep for rollback (default 10); the serving one is never"
                + " pruned.")
        Integer revisionHistoryLimit) {

  public static final int DEFAULT_REPLICAS = 1;
  public static final int DEFAULT_REVISION_HISTORY_LIMIT = 10;

  public static Builder builder(ModelSpec model) {
    return new Builder().model(model);
  }

  /** This spec with some sections changed, as a user edits one thing at a time. */
  public Builder toBuilder() {
    return new Builder()
        .model(model)
        .compression(compression)
        .storage(storage)
        .runtime(runtime)
        .gpu(gpu)
        .replicas(replicas)
        .autoscaling(autoscaling)
        .rollout(rollout)
        .access(access)
        .revisionHistoryLimit(revisionHistoryLimit);
  }

  /**
   * The spec's sections by name: most are optional, and a positional record of ten is unreadable.
   */
  public static final class Builder {
    private ModelSpec model;
    private CompressionSpec compression;
    private StorageSpec storage;
    private RuntimeSpec runtime;
    private GpuSpec gpu;
    private Integer replicas;
    private AutoscalingSpec autoscaling;
    private RolloutSpec rollout;
    private AccessSpec access;
    private Integer revisionHistoryLimit;

    public Builder model(ModelSpec model) {
      this.model = model;
      return this;
    }

    public Builder compression(CompressionSpec compression) {
      this.compression = compression;
      return this;
    }

    public Builder storage(StorageSpec storage) {
      this.storage = storage;
      return this;
    }

    public Builder runtime(RuntimeSpec runtime) {
      this.runtime = runtime;
      return this;
    }

    public Builder gpu(GpuSpec gpu) {
      this.gpu = gpu;
      return this;
    }

    public Builder replicas(Integer replicas) {
      this.replicas = replicas;
      return this;
    }

    public Builder autoscaling(AutoscalingSpec autoscaling) {
      this.autoscaling = autoscaling;
      return this;
    }

    public Builder rollout(RolloutSpec rollout) {
      this.rollout = rollout;
      return this;
    }

    public Builder access(AccessSpec access) {
      this.access = access;
      return this;
    }

    public Builder revisionHistoryLimit(Integer revisionHistoryLimit) {
      this.revisionHistoryLimit = revisionHistoryLimit;
      return this;
    }

    public ModelDeploymentSpec build() {
      return new ModelDeploymentSpec(
          model,
          compression,
          storage,
          runtime,
          gpu,
          replicas,
          autoscaling,
          rollout,
          access,
          revisionHistoryLimit);
    }
  }
}
