package dev.maas.operator.resolve;

import dev.maas.contract.PodLayout;
import dev.maas.contract.ServingDefaults;
import dev.maas.contract.SourceFlags;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.AcceptanceSpec;
import dev.maas.operator.api.spec.AccessSpec;
import dev.maas.operator.api.spec.ArtifactRefSpec;
import dev.maas.operator.api.spec.AuthenticationSpec;
import dev.maas.operator.api.spec.AutoscalingSpec;
import dev.maas.operator.api.spec.BatchingSpec;
import dev.maas.operator.api.spec.CompressionSpec;
import dev.maas.operator.api.spec.GpuSpec;
import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.api.spec.ModelSpec;
import dev.maas.operator.api.spec.RolloutSpec;
import dev.maas.operator.api.spec.RolloutStrategy;
import dev.maas.operator.api.spec.RuntimeSpec;
import dev.maas.operator.api.spec.S3SourceSpec;
import dev.maas.operator.api.spec.SecretNameSpec;
import dev.maas.operator.api.spec.StorageSpec;
import dev.maas.operator.api.spec.TrainingSpec;
import dev.maas.operator.canary.CanarySettings;
import dev.maas.operator.config.Defaults;
import dev.maas.operator.config.NodePool;
import dev.maas.operator.config.OperatorConfig;
import dev.maas.operator.config.OperatorIdentity;
import dev.maas.operator.config.SourceDefaults;
import dev.maas.operator.revision.RevisionSpec;
import dev.maas.operator.revision.RuntimeTemplate;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Optional;

/**
 * A ModelDeployment resolved against the operator's configuration, once: the runtime template (what
 * shapes a pod, and so a revision), and apart from it the scale, rollout and storage settings. The
 * builders read only this value, never the raw spec or the configuration again; that is what makes
 * a revision's template reproducible. Resolving is also where a spec the operator cannot serve (an
 * unknown pool, no image anywhere) is found; the reason goes to the Stalled condition.
 */
public record ResolvedModelDeployment(
    Owner owner,
    RuntimeTemplate template,
    RevisionSpec revisionSpec,
    Scale scale,
    Rollout rollout,
    Optional<StorageClaim> storageClaim,
    PrepareJobSettings prepareJob,
    int revisionHistoryLimit,
    Access access) {

  /**
   * Who may call the model: rendered onto every revision's pods from the current spec, never stored
   * with a revision, so a rollback restores a model and keeps today's access.
   *
   * @param apiKeysSecret the Secret of API keys the runtime requires
   * @param tlsSecret the kubernetes.io/tls Secret the runtime serves HTTPS with
   * @param allowFrom the NetworkPolicy's peers; empty: no NetworkPolicy
   * @param operatorPods the operator's own pods, which the NetworkPolicy lets in too
   */
  /**
   * @param reviewsFor the ModelDeployment's name when callers may present Kubernetes tokens: the
   *     one (in the pods' own namespace) their RBAC must allow them to infer with
   */
  public record Access(
      Optional<String> apiKeysSecret,
      Optional<String> tlsSecret,
      List<NetworkPolicyPeer> allowFrom,
      OperatorIdentity operatorPods,
      Optional<String> reviewsFor) {
    public Access {
      allowFrom = allowFrom == null ? List.of() : List.copyOf(allowFrom);
    }

    public Access(
        Optional<String> apiKeysSecret,
        Optional<String> tlsSecret,
        List<NetworkPolicyPeer> allowFrom,
        OperatorIdentity operatorPods) {
      this(apiKeysSecret, tlsSecret, allowFrom, operatorPods, Optional.empty());
    }

    public boolean https() {
      return tlsSecret.isPresent();
    }

    /** The serving port's name, in the pod and the Service, and the URL's scheme. */
    public String scheme() {
      return https() ? "https" : "http";
    }

    public boolean kubernetesTokens() {
      return reviewsFor.isPresent();
    }

    static Access of(AccessSpec spec, OperatorIdentity operatorPods, String name) {
      if (spec == null) {
        return new Access(Optional.empty(), Optional.empty(), List.of(), operatorPods);
      }
      Optional<AuthenticationSpec> authentication = Optional.ofNullable(spec.authentication());
      return new Access(
          authentication.map(AuthenticationSpec::apiKeys).map(SecretNameSpec::secretName),
          Optional.ofNullable(spec.tls()).map(SecretNameSpec::secretName),
          spec.allowFrom(),
          operatorPods,
          // The name alone: the runtime reads its namespace as in-cluster clients do, so that
          // what `kubectl maas render` prints (no namespace yet) is what the pods get.
          authentication.map(AuthenticationSpec::kubernetes).map(k -> name));
    }
  }

  /** The ModelDeployment that owns everything built from this value. */
  public record Owner(
      String apiVersion, String kind, String name, String namespace, String uid, Long generation) {
    static Owner of(ModelDeployment md) {
      return new Owner(
          md.getApiVersion(),
          md.getKind(),
          md.getMetadata().getName(),
          md.getMetadata().getNamespace(),
          md.getMetadata().getUid(),
          md.getMetadata().getGeneration());
    }
  }

  /** Replicas, or the HPA's bounds while autoscaling is set. */
  public record Scale(int replicas, Optional<AutoscalingSpec> autoscaling) {
    public boolean autoscaled() {
      return autoscaling.isPresent();
    }
  }

  /**
   * How the Deployment replaces pods, and what a failed rollout does.
   *
   * @param canary present when the strategy is Canary
   */
  public record Rollout(
      IntOrString maxSurge,
      IntOrString maxUnavailable,
      int progressDeadlineSeconds,
      boolean autoRollback,
      Optional<CanarySettings> canary) {
    public Rollout(
        IntOrString maxSurge,
        IntOrString maxUnavailable,
        int progressDeadlineSeconds,
        boolean autoRollback) {
      this(maxSurge, maxUnavailable, progressDeadlineSeconds, autoRollback, Optional.empty());
    }
  }

  /** The PVC the operator creates for prepared packages (absent: none needed, or the user's). */
  public record StorageClaim(
      String name, Quantity size, String storageClassName, String accessMode) {}

  public record PrepareJobSettings(int deadlineSeconds, int backoffLimit, int ttlSeconds) {}

  /** Either the resolved deployment or why it cannot be served; never both. */
  public record Resolution(
      Optional<ResolvedModelDeployment> resolved, Optional<String> stalledReason) {}

  static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

  public static Resolution resolve(ModelDeployment md, OperatorConfig config) {
    return resolve(md, config, HubPins.NONE);
  }

  /**
   * @param pins the commits Hub branches name now: an hf:// source that names a branch is pinned to
   *     one, so that the revision records it
   */
  public static Resolution resolve(ModelDeployment md, OperatorConfig config, HubPins pins) {
    ModelDeploymentSpec spec = md.getSpec();
    Defaults defaults = config.defaults();
    Optional<RuntimeSpec> runtime = Optional.ofNullable(spec.runtime());
    String image = runtime.map(RuntimeSpec::image).orElse(defaults.runtimeImage());
    if (image == null || image.isBlank()) {
      return stalled(
          "spec.runtime.image is not set and the operator has no defaults.runtimeImage: set one of"
              + " them");
    }
    int gpus = Optional.ofNullable(spec.gpu()).map(GpuSpec::count).orElse(0);
    if (gpus > 0 && !config.nodePools().containsKey(spec.gpu().pool())) {
      return stalled(
          "spec.gpu.pool '"
              + spec.gpu().pool()
              + "' is not a node pool of this operator; known pools: "
              + config.poolNames());
    }
    RuntimeTemplate.Placement placement = gpus > 0 ? placement(spec.gpu(), config) : null;
    String name = md.getMetadata().getName();
    Optional<StorageClaim> claim = storageClaim(name, spec, defaults);
    String claimName =
        spec.compression() == null
            ? null
            : claim
                .map(StorageClaim::name)
                .orElseGet(() -> spec.storage() == null ? null : spec.storage().claimName());
    RuntimeTemplate template =
        template(name, spec, image, placement, claimName, defaults, config.sources(), pins);
    return new Resolution(
        Optional.of(
            new ResolvedModelDeployment(
                Owner.of(md),
                template,
                RevisionSpec.of(spec),
                new Scale(
                    Optional.ofNullable(spec.replicas())
                        .orElse(ModelDeploymentSpec.DEFAULT_REPLICAS),
                    Optional.ofNullable(spec.autoscaling())),
                rollout(spec.rollout(), placement != null),
                claim,
                new PrepareJobSettings(
                    defaults.prepareDeadlineSeconds(),
                    defaults.prepareBackoffLimit(),
                    defaults.prepareTtlSeconds()),
                Optional.ofNullable(spec.revisionHistoryLimit())
                    .orElse(ModelDeploymentSpec.DEFAULT_REVISION_HISTORY_LIMIT),
                Access.of(spec.access(), config.operatorPods(), name))),
        Optional.empty());
  }

  /** The claim's name when the operator makes it. */
  public static String defaultClaimName(String modelDeployment) {
    return modelDeployment + "-models";
  }

  private static RuntimeTemplate.Placement placement(GpuSpec gpu, OperatorConfig config) {
    NodePool pool = config.nodePools().get(gpu.pool());
    return new RuntimeTemplate.Placement(
        gpu.pool(), gpu.count(), pool.gpuResource(), pool.nodeSelector(), pool.tolerations());
  }

  /** The claim the operator makes: with compression, unless the spec names its own. */
  private static Optional<StorageClaim> storageClaim(
      String name, ModelDeploymentSpec spec, Defaults defaults) {
    Optional<StorageSpec> storage = Optional.ofNullable(spec.storage());
    if (spec.compression() == null || storage.map(StorageSpec::claimName).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(
        new StorageClaim(
            defaultClaimName(name),
            storage.map(StorageSpec::size).orElse(new Quantity(defaults.storageSize())),
            storage.map(StorageSpec::storageClassName).orElse(defaults.storageClassName()),
            defaults.storageAccessMode()));
  }

  private static RuntimeTemplate template(
      String name,
      ModelDeploymentSpec spec,
      String image,
      RuntimeTemplate.Placement placement,
      String storageClaim,
      Defaults defaults,
      SourceDefaults sources,
      HubPins pins) {
    ModelSpec model = spec.model();
    Optional<RuntimeSpec> runtime = Optional.ofNullable(spec.runtime());
    Optional<BatchingSpec> batching = runtime.map(RuntimeSpec::batching);
    return new RuntimeTemplate(
        image,
        Optional.ofNullable(model.servedName()).orElse(name),
        source(model, sources, pins),
        model.inputs(),
        Optional.ofNullable(spec.compression())
            .map(ResolvedModelDeployment::compression)
            .orElse(null),
        storageClaim,
        new RuntimeTemplate.Batching(
            batching.map(BatchingSpec::maxBatchSize).orElse(defaults.maxBatchSize()),
            batching.map(BatchingSpec::maxDelayMillis).orElse(defaults.maxBatchDelayMillis()),
            batching.map(BatchingSpec::queueCapacity).orElse(defaults.queueCapacity())),
        runtime.map(RuntimeSpec::resources).orElse(null),
        placement,
        runtime.map(RuntimeSpec::env).orElse(null),
        new RuntimeTemplate.Lifecycle(
            defaults.drainSeconds(), defaults.preStopSeconds(), defaults.startupSeconds()));
  }

  /**
   * The artifact and how to reach it. Store settings apply only to their scheme, each field of the
   * spec's over the operator's default, so that changing a default rolls out only the models that
   * use that store.
   */
  private static RuntimeTemplate.Source source(
      ModelSpec model, SourceDefaults defaults, HubPins pins) {
    boolean s3 = model.uri().startsWith("s3://");
    boolean hub = model.uri().startsWith("hf://");
    RuntimeTemplate.S3Store store = null;
    if (s3) {
      Optional<S3SourceSpec> own = Optional.ofNullable(model.s3());
      SourceDefaults.S3 platform = defaults.s3();
      store =
          new RuntimeTemplate.S3Store(
              own.map(S3SourceSpec::endpoint).orElse(platform.endpoint()),
              own.map(S3SourceSpec::region).orElse(platform.region()),
              own.map(S3SourceSpec::pathStyle).orElse(platform.pathStyle()),
              own.map(S3SourceSpec::caBundleSecretName).orElse(platform.caBundleSecretName()));
    }
    String hubEndpoint =
        Optional.ofNullable(defaults.huggingFace().endpoint())
            .orElse(SourceFlags.DEFAULT_HF_ENDPOINT);
    String uri =
        HubPins.HubUri.parse(model.uri())
            .filter(h -> !h.pinned())
            .flatMap(h -> pins.commit(hubEndpoint, h.repo(), h.revision()).map(h::at))
            .orElse(model.uri());
    return new RuntimeTemplate.Source(
        uri,
        model.sha256(),
        model.encryption() == null ? null : model.encryption().keySecretName(),
        model.credentials() == null ? null : model.credentials().secretName(),
        store,
        hub ? defaults.huggingFace().endpoint() : null,
        uri.equals(model.uri()) ? null : model.uri());
  }

  /** With GPUs, no surge by default: a GPU is rarely free for an extra pod. */
  private static Rollout rollout(RolloutSpec spec, boolean gpu) {
    RolloutSpec rollout = Optional.ofNullable(spec).orElse(new RolloutSpec(null, null, null, null));
    return new Rollout(
        Optional.ofNullable(rollout.maxSurge())
            .orElse(gpu ? new IntOrString(0) : new IntOrString("25%")),
        Optional.ofNullable(rollout.maxUnavailable())
            .orElse(gpu ? new IntOrString(1) : new IntOrString(0)),
        Optional.ofNullable(rollout.progressDeadlineSeconds())
            .orElse(DEFAULT_PROGRESS_DEADLINE_SECONDS),
        Optional.ofNullable(rollout.autoRollback()).orElse(true),
        rollout.strategy() == RolloutStrategy.Canary
            ? Optional.of(CanarySettings.of(rollout.canary()))
            : Optional.empty());
  }

  private static RuntimeTemplate.Compression compression(CompressionSpec c) {
    Optional<AcceptanceSpec> acceptance = Optional.ofNullable(c.acceptance());
    return new RuntimeTemplate.Compression(
        c.method(),
        c.sparsity(),
        c.pruningScope(),
        acceptance.map(AcceptanceSpec::maxOutputError).orElse(null),
        acceptance.map(AcceptanceSpec::minTop1Agreement).orElse(null),
        acceptance.map(AcceptanceSpec::samples).orElse(ServingDefaults.SAMPLES),
        fileRef(c.student()),
        fileRef(c.data()),
        c.method().distills() ? training(c.training()) : null,
        c.resources());
  }

  private static RuntimeTemplate.FileRef fileRef(ArtifactRefSpec ref) {
    return ref == null ? null : new RuntimeTemplate.FileRef(ref.uri(), ref.sha256());
  }

  private static RuntimeTemplate.Training training(TrainingSpec spec) {
    Optional<TrainingSpec> t = Optional.ofNullable(spec);
    return new RuntimeTemplate.Training(
        t.map(TrainingSpec::epochs).orElse(ServingDefaults.DISTILL_EPOCHS),
        t.map(TrainingSpec::batchSize).orElse(ServingDefaults.DISTILL_BATCH_SIZE),
        t.map(TrainingSpec::learningRate).orElse(ServingDefaults.DISTILL_LEARNING_RATE),
        t.map(TrainingSpec::temperature).orElse(ServingDefaults.DISTILL_TEMPERATURE));
  }

  private static Resolution stalled(String reason) {
    return new Resolution(Optional.empty(), Optional.of(reason));
  }

  public String name() {
    return owner.name();
  }

  public String namespace() {
    return owner.namespace();
  }

  /** In-cluster inference URL (Open Inference Protocol). */
  public String url() {
    String ns = namespace() == null ? "default" : namespace();
    return access.scheme()
        + "://"
        + name()
        + "."
        + ns
        + ".svc.cluster.local:"
        + PodLayout.HTTP_PORT
        + "/v2/models/"
        + template.servedName();
  }
}
