package dev.maas.operator.render;

import dev.maas.contract.Commands;
import dev.maas.contract.PodLayout;
import dev.maas.contract.ServeFlags;
import dev.maas.contract.SignatureFormat;
import dev.maas.contract.TensorSignature;
import dev.maas.operator.api.CrdConstants;
import dev.maas.operator.api.spec.TensorSpec;
import dev.maas.operator.observe.RuntimePod;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import dev.maas.operator.revision.Artifact;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.revision.RuntimeTemplate;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime Deployment at one revision: its pod template comes only from the revision (its
 * template and prepared artifact), the rest (replicas, rolling-update settings) from the resolved
 * spec. Pods are locked down (see {@link PodSecurity}), carry the revision's number and hash, and
 * get writable emptyDirs only where DJL and the JVM must write.
 */
public final class DeploymentModel {
  public static final int HTTP_PORT = PodLayout.HTTP_PORT;
  public static final String CONTAINER = "runtime";

  private DeploymentModel() {}

  /**
   * @param replicas null while an HPA owns the replica count, so that server-side apply never takes
   *     it back from the autoscaler
   */
  public static Deployment build(ResolvedModelDeployment md, Revision revision, Integer replicas) {
    boolean mirrors = md.rollout().canary().isPresent();
    return deployment(
        md,
        md.name(),
        Labels.selector(md.name()),
        podMetadata(md, revision, Map.of()),
        podSpec(
            md.name(), revision, md.access(), mirrors ? LiveSettings.of(md.name()) : null, false),
        replicas);
  }

  /**
   * The candidate's Deployment during a canary: the revision's pods exactly as the serving
   * Deployment will run them once promoted, but labelled {@code maas.dev/role: canary} (its own
   * selector) and held out of the Service by the {@link RuntimePod#LIVE_GATE} readiness gate until
   * the operator sets it at a live step. They match the serving Deployment's selector too, which is
   * safe: each ReplicaSet selects only its own pod-template-hash, and the Deployment controller
   * adopts no ReplicaSet another controller owns.
   */
  public static Deployment buildCanary(
      ResolvedModelDeployment md, Revision revision, int replicas) {
    Map<String, String> selector = new LinkedHashMap<>(Labels.selector(md.name()));
    selector.put(CrdConstants.LABEL_ROLE, CrdConstants.ROLE_CANARY);
    return deployment(
        md,
        canaryName(md.name()),
        selector,
        podMetadata(md, revision, Map.of(CrdConstants.LABEL_ROLE, CrdConstants.ROLE_CANARY)),
        podSpec(md.name(), revision, md.access(), null, true),
        replicas);
  }

  public static String canaryName(String modelDeployment) {
    return modelDeployment + "-canary";
  }

  private static Deployment deployment(
      ResolvedModelDeployment md,
      String name,
      Map<String, String> selector,
      ObjectMeta podMetadata,
      PodSpec podSpec,
      Integer replicas) {
    ResolvedModelDeployment.Rollout rollout = md.rollout();
    Map<String, String> labels = new LinkedHashMap<>(Labels.common(md.name()));
    labels.putAll(podMetadata.getLabels());
    labels.remove(CrdConstants.LABEL_REVISION);
    labels.remove(CrdConstants.LABEL_REVISION_HASH);
    return new DeploymentBuilder()
        .withMetadata(Owners.metadata(md.owner(), name, labels))
        .withNewSpec()
        .withReplicas(replicas)
        .withRevisionHistoryLimit(3)
        .withProgressDeadlineSeconds(rollout.progressDeadlineSeconds())
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(rollout.maxSurge())
        .withMaxUnavailable(rollout.maxUnavailable())
        .endRollingUpdate()
        .endStrategy()
        .withNewTemplate()
        .withMetadata(podMetadata)
        .withSpec(podSpec)
        .endTemplate()
        .endSpec()
        .build();
  }

  /** The pods carry the revision's number and hash, and ask Prometheus to scrape them. */
  private static ObjectMeta podMetadata(
      ResolvedModelDeployment md, Revision revision, Map<String, String> extra) {
    Map<String, String> labels = new LinkedHashMap<>(Labels.common(md.name()));
    labels.putAll(extra);
    labels.put(CrdConstants.LABEL_REVISION, Long.toString(revision.number()));
    labels.put(CrdConstants.LABEL_REVISION_HASH, revision.hash());
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("prometheus.io/scrape", "true");
    annotations.put("prometheus.io/port", Integer.toString(HTTP_PORT));
    annotations.put("prometheus.io/path", "/metrics");
    if (md.access().https()) {
      annotations.put("prometheus.io/scheme", "https");
    }
    return new ObjectMetaBuilder().withLabels(labels).withAnnotations(annotations).build();
  }

  /**
   * Only the revision shapes the pod: its template and its prepared artifact; a serving pod of a
   * canary-strategy ModelDeployment also reads the live settings (whom to mirror to), and a
   * candidate's pod waits for the live gate before it takes traffic.
   *
   * @param live the live-settings ConfigMap to mount; null: none
   */
  private static PodSpec podSpec(
      String name,
      Revision revision,
      ResolvedModelDeployment.Access access,
      String live,
      boolean gated) {
    RuntimeTemplate template = revision.template();
    Artifact artifact = Artifact.of(template, revision.prepare());
    RuntimeTemplate.Lifecycle lifecycle = template.lifecycle();
    PodSpecBuilder pod =
        new PodSpecBuilder()
            // A token only where the runtime reviews its callers' tokens with it.
            .withAutomountServiceAccountToken(access.kubernetesTokens())
            .withServiceAccountName(
                access.kubernetesTokens() ? RuntimeServiceAccount.name(name) : null)
            .withEnableServiceLinks(false)
            .withSecurityContext(PodSecurity.pod())
            // Longer than the preStop pause plus the runtime's own drain, so SIGKILL never cuts
            // a drain short.
            .withTerminationGracePeriodSeconds(
                (long) (lifecycle.preStopSeconds() + lifecycle.drainSeconds() + 10))
            .withContainers(container(revision, artifact, access, live != null))
            .addAllToVolumes(ScratchSpace.volumes())
            .addAllToVolumes(artifact.volumes())
            .addAllToVolumes(ModelKeyMounts.volumes(template.source()))
            .addAllToVolumes(
                fetchesSource(template) ? SourceAccessMounts.volumes(template.source()) : List.of())
            .addAllToVolumes(AccessMounts.volumes(access));
    if (live != null) {
      pod.addToVolumes(LiveSettings.volume(live));
    }
    if (gated) {
      pod.addNewReadinessGate().withConditionType(RuntimePod.LIVE_GATE).endReadinessGate();
    }
    if (template.placement() != null) {
      pod.withNodeSelector(template.placement().nodeSelector())
          .withTolerations(template.placement().tolerations());
    }
    return pod.build();
  }

  private static Container container(
      Revision revision, Artifact artifact, ResolvedModelDeployment.Access access, boolean live) {
    RuntimeTemplate template = revision.template();
    RuntimeTemplate.Lifecycle lifecycle = template.lifecycle();
    List<EnvVar> env = env(template, artifact);
    // The Open Inference Protocol's model_version is the revision: every answer says which
    // revision gave it (a canary's client can count them).
    env.add(new EnvVar(ServeFlags.ENV_MODEL_VERSION, Long.toString(revision.number()), null));
    if (live) {
      env.add(new EnvVar(ServeFlags.ENV_SHADOW_CONFIG, LiveSettings.SHADOW_FILE, null));
    }
    env.addAll(ModelKeyMounts.env(template.source()));
    if (fetchesSource(template)) {
      env.addAll(SourceAccessMounts.env(template.source()));
    }
    env.addAll(AccessMounts.env(access));
    ContainerBuilder container =
        new ContainerBuilder()
            .withName(CONTAINER)
            .withImage(template.image())
            .withArgs(Commands.SERVE)
            .withEnv(env);
    if (live) {
      container.addToVolumeMounts(LiveSettings.mount());
    }
    return container
        .addNewPort()
        .withName(access.scheme())
        .withContainerPort(HTTP_PORT)
        .withProtocol("TCP")
        .endPort()
        .addNewPort()
        .withName(PodLayout.GRPC_PORT_NAME)
        .withContainerPort(PodLayout.GRPC_PORT)
        .withProtocol("TCP")
        .endPort()
        .withResources(resources(template))
        // Listening comes within seconds; the model may take minutes to fetch and warm up, which
        // only readiness waits for. Liveness never fails a pod that is still loading.
        .withStartupProbe(
            probe("/v2/health/live", access.https(), 5, lifecycle.startupSeconds() / 5, 2))
        .withReadinessProbe(probe("/v2/health/ready", access.https(), 5, 3, 2))
        .withLivenessProbe(probe("/v2/health/live", access.https(), 10, 3, 5))
        // A runtime that cannot load its model says why on stderr and exits: the last lines
        // become the container's termination message, which a failed rollout reports.
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withNewLifecycle()
        .withNewPreStop()
        .withNewSleep()
        .withSeconds((long) lifecycle.preStopSeconds())
        .endSleep()
        .endPreStop()
        .endLifecycle()
        .withSecurityContext(PodSecurity.container())
        .addAllToVolumeMounts(ScratchSpace.mounts())
        .addAllToVolumeMounts(artifact.mounts())
        .addAllToVolumeMounts(ModelKeyMounts.mounts(template.source()))
        .addAllToVolumeMounts(
            fetchesSource(template) ? SourceAccessMounts.mounts(template.source()) : List.of())
        .addAllToVolumeMounts(AccessMounts.mounts(access))
        .build();
  }

  /** With compression the prepare Job fetches the source; the pods load its package. */
  private static boolean fetchesSource(RuntimeTemplate template) {
    return !template.needsPreparation();
  }

  /** kubelet's HTTPS probes do not verify the certificate: no CA is needed for them. */
  private static Probe probe(
      String path, boolean https, int period, int failureThreshold, int timeout) {
    return new ProbeBuilder()
        .withHttpGet(
            new HTTPGetActionBuilder()
                .withPath(path)
                .withPort(new IntOrString(https ? "https" : "http"))
                .withScheme(https ? "HTTPS" : null)
                .build())
        .withPeriodSeconds(period)
        .withFailureThreshold(Math.max(1, failureThreshold))
        .withTimeoutSeconds(timeout)
        .build();
  }

  static ResourceRequirements resources(RuntimeTemplate template) {
    ResourceRequirementsBuilder resources = new ResourceRequirementsBuilder(template.resources());
    if (template.placement() != null) {
      Quantity gpus = new Quantity(Integer.toString(template.placement().gpus()));
      resources
          .addToLimits(template.placement().gpuResource(), gpus)
          .addToRequests(template.placement().gpuResource(), gpus);
    }
    return resources.build();
  }

  static List<EnvVar> env(RuntimeTemplate template, Artifact artifact) {
    List<EnvVar> env = new ArrayList<>();
    add(env, ServeFlags.ENV_MODEL_URI, artifact.uri());
    add(env, ServeFlags.ENV_MODEL_SHA256, artifact.sha256());
    add(env, ServeFlags.ENV_SERVED_NAME, template.servedName());
    if (!template.inputs().isEmpty()) {
      add(env, ServeFlags.ENV_INPUTS, signature(template.inputs()));
    }
    add(env, ServeFlags.ENV_PORT, Integer.toString(HTTP_PORT));
    add(env, ServeFlags.ENV_GRPC_PORT, Integer.toString(PodLayout.GRPC_PORT));
    add(env, ServeFlags.ENV_DEVICE, template.usesGpu() ? "gpu" : "cpu");
    add(env, ServeFlags.ENV_MAX_BATCH_SIZE, Integer.toString(template.batching().maxBatchSize()));
    add(
        env,
        ServeFlags.ENV_MAX_BATCH_DELAY_MS,
        Integer.toString(template.batching().maxDelayMillis()));
    add(env, ServeFlags.ENV_QUEUE_CAPACITY, Integer.toString(template.batching().queueCapacity()));
    add(
        env,
        ServeFlags.ENV_DRAIN_TIMEOUT_SECONDS,
        Integer.toString(template.lifecycle().drainSeconds()));
    env.addAll(ScratchSpace.env());
    env.addAll(template.env());
    return env;
  }

  /** The input signature in the contract's one-line form, for serve's and compress's --inputs. */
  public static String signature(List<TensorSpec> inputs) {
    return SignatureFormat.format(
        inputs.stream()
            .map(
                i ->
                    new TensorSignature(
                        i.name(),
                        i.datatype(),
                        i.shape().stream().mapToLong(Long::longValue).toArray()))
            .toList());
  }

  private static void add(List<EnvVar> env, String name, String value) {
    if (value != null) {
      env.add(new EnvVar(name, value, null));
    }
  }
}
