package dev.maas.operator.model;

import dev.maas.operator.api.spec.ModelSpec;
import dev.maas.operator.api.spec.RolloutSpec;
import dev.maas.operator.api.spec.TensorSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
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
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The runtime Deployment, as a pure function of the resolved spec. Pods are locked down by default
 * (non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp, no service-account
 * token) and get writable emptyDirs only where DJL and the JVM must write.
 */
public final class DeploymentModel {
  public static final int HTTP_PORT = 8080;
  public static final String CONTAINER = "runtime";
  static final String CACHE_DIR = "/var/cache/maas";
  static final long RUNTIME_USER = 65532;

  private DeploymentModel() {}

  public static Deployment build(ResolvedModelDeployment md) {
    Map<String, String> labels = Labels.common(md.name());
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("prometheus.io/scrape", "true");
    annotations.put("prometheus.io/port", Integer.toString(HTTP_PORT));
    annotations.put("prometheus.io/path", "/metrics");
    RolloutSpec rollout =
        Optional.ofNullable(md.spec().rollout()).orElse(new RolloutSpec(null, null, null, null));
    int drainSeconds = md.config().defaults().drainSeconds();
    int preStopSeconds = md.config().defaults().preStopSeconds();

    PodSpecBuilder pod =
        new PodSpecBuilder()
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(RUNTIME_USER)
            .withRunAsGroup(RUNTIME_USER)
            .withFsGroup(RUNTIME_USER)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            // Longer than the preStop pause plus the runtime's own drain, so SIGKILL never cuts
            // a drain short.
            .withTerminationGracePeriodSeconds((long) (preStopSeconds + drainSeconds + 10))
            .withContainers(container(md, preStopSeconds, drainSeconds))
            .addNewVolume()
            .withName("cache")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .addNewVolume()
            .withName("tmp")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume();
    md.pool()
        .ifPresent(
            pool -> pod.withNodeSelector(pool.nodeSelector()).withTolerations(pool.tolerations()));

    return new DeploymentBuilder()
        .withMetadata(Owners.metadata(md.resource(), labels))
        .withNewSpec()
        // While an HPA owns the scale, this field is left out so that server-side apply never
        // takes it back from the autoscaler.
        .withReplicas(md.autoscaled() ? null : Optional.ofNullable(md.spec().replicas()).orElse(1))
        .withRevisionHistoryLimit(3)
        .withProgressDeadlineSeconds(
            Optional.ofNullable(rollout.progressDeadlineSeconds()).orElse(600))
        .withNewSelector()
        .withMatchLabels(Labels.selector(md.name()))
        .endSelector()
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(
            Optional.ofNullable(rollout.maxSurge())
                .orElse(md.usesGpu() ? new IntOrString(0) : new IntOrString("25%")))
        .withMaxUnavailable(
            Optional.ofNullable(rollout.maxUnavailable())
                .orElse(md.usesGpu() ? new IntOrString(1) : new IntOrString(0)))
        .endRollingUpdate()
        .endStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withSpec(pod.build())
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Container container(
      ResolvedModelDeployment md, int preStopSeconds, int drainSeconds) {
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(md.image())
        .withArgs("serve")
        .withEnv(env(md, drainSeconds))
        .addNewPort()
        .withName("http")
        .withContainerPort(HTTP_PORT)
        .withProtocol("TCP")
        .endPort()
        .withResources(resources(md))
        // Listening comes within seconds; the model may take minutes to fetch and warm up, which
        // only readiness waits for. Liveness never fails a pod that is still loading.
        .withStartupProbe(
            probe("/v2/health/live", 5, md.config().defaults().startupSeconds() / 5, 2))
        .withReadinessProbe(probe("/v2/health/ready", 5, 3, 2))
        .withLivenessProbe(probe("/v2/health/live", 10, 3, 5))
        .withNewLifecycle()
        .withNewPreStop()
        .withNewSleep()
        .withSeconds((long) preStopSeconds)
        .endSleep()
        .endPreStop()
        .endLifecycle()
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withPrivileged(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .addNewVolumeMount()
        .withName("cache")
        .withMountPath(CACHE_DIR)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .build();
  }

  private static Probe probe(String path, int period, int failureThreshold, int timeout) {
    return new ProbeBuilder()
        .withHttpGet(
            new HTTPGetActionBuilder().withPath(path).withPort(new IntOrString("http")).build())
        .withPeriodSeconds(period)
        .withFailureThreshold(Math.max(1, failureThreshold))
        .withTimeoutSeconds(timeout)
        .build();
  }

  private static ResourceRequirements resources(ResolvedModelDeployment md) {
    ResourceRequirements user =
        Optional.ofNullable(md.spec().runtime())
            .map(r -> r.resources())
            .orElse(new ResourceRequirements());
    ResourceRequirementsBuilder resources = new ResourceRequirementsBuilder(user);
    md.pool()
        .ifPresent(
            pool -> {
              Quantity gpus = new Quantity(Integer.toString(md.gpuCount()));
              resources
                  .addToLimits(pool.gpuResource(), gpus)
                  .addToRequests(pool.gpuResource(), gpus);
            });
    return resources.build();
  }

  static List<EnvVar> env(ResolvedModelDeployment md, int drainSeconds) {
    ModelSpec model = md.spec().model();
    List<EnvVar> env = new ArrayList<>();
    add(env, "MAAS_MODEL_URI", model.uri());
    add(env, "MAAS_MODEL_SHA256", model.sha256());
    add(env, "MAAS_SERVED_NAME", md.servedName());
    if (model.inputs() != null && !model.inputs().isEmpty()) {
      add(env, "MAAS_INPUTS", signature(model.inputs()));
    }
    add(env, "MAAS_PORT", Integer.toString(HTTP_PORT));
    add(env, "MAAS_DEVICE", md.usesGpu() ? "gpu" : "cpu");
    add(env, "MAAS_MAX_BATCH_SIZE", Integer.toString(md.maxBatchSize()));
    add(env, "MAAS_MAX_BATCH_DELAY_MS", Integer.toString(md.maxBatchDelayMillis()));
    add(env, "MAAS_QUEUE_CAPACITY", Integer.toString(md.queueCapacity()));
    add(env, "MAAS_DRAIN_TIMEOUT_SECONDS", Integer.toString(drainSeconds));
    add(env, "MAAS_CACHE_DIR", CACHE_DIR);
    // libtorch is unpacked here at first start: the root filesystem is read-only.
    add(env, "DJL_CACHE_DIR", CACHE_DIR + "/djl");
    add(env, "JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=/tmp");
    Optional.ofNullable(md.spec().runtime()).map(r -> r.env()).ifPresent(env::addAll);
    return env;
  }

  /** spec.model.inputs in the runtime's --inputs form: name:DATATYPE:dims;... */
  public static String signature(List<TensorSpec> inputs) {
    return inputs.stream()
        .map(
            i ->
                i.name()
                    + ":"
                    + i.datatype()
                    + ":"
                    + i.shape().stream().map(String::valueOf).collect(Collectors.joining(",")))
        .collect(Collectors.joining(";"));
  }

  private static void add(List<EnvVar> env, String name, String value) {
    if (value != null) {
      env.add(new EnvVar(name, value, null));
    }
  }
}
