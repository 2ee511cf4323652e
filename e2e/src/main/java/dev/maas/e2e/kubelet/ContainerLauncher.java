package dev.maas.e2e.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a pod's one container into a sandboxed process, as a kubelet's runtime would: what it
 * refuses before starting (root where non-root is required, volumes it cannot provide), the mounts
 * (emptyDirs, claims, hostPaths, ConfigMaps and Secrets, plus the runtime jar), the user and group,
 * the environment (values and the downward API fields a pod can ask for), and the command line.
 */
final class ContainerLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerLauncher.class);

  private final KubeletContext kubelet;
  private final Pod pod;
  private final Path dir;
  private final String shortId;
  private final String podIp;
  private final ConfigVolumes configVolumes;

  ContainerLauncher(KubeletContext kubelet, Pod pod, Path dir, String shortId, String podIp) {
    this.kubelet = kubelet;
    this.pod = pod;
    this.dir = dir;
    this.shortId = shortId;
    this.podIp = podIp;
    this.configVolumes = new ConfigVolumes(kubelet.client(), pod, dir.resolve("volumes"));
  }

  /** The pod's ConfigMap and Secret volumes, which the worker writes and refreshes. */
  ConfigVolumes configVolumes() {
    return configVolumes;
  }

  /** What a kubelet refuses before starting the container. */
  Optional<String> configError(Container container) {
    boolean nonRoot =
        Boolean.TRUE.equals(
            Optional.ofNullable(container.getSecurityContext())
                .map(s -> s.getRunAsNonRoot())
                .orElse(
                    Optional.ofNullable(pod.getSpec().getSecurityContext())
                        .map(s -> s.getRunAsNonRoot())
                        .orElse(null)));
    if (nonRoot && user(container) == 0) {
      return Optional.of("container has runAsNonRoot and image will run as root");
    }
    for (VolumeMount mount : Optional.ofNullable(container.getVolumeMounts()).orElse(List.of())) {
      Optional<Volume> volume = volume(mount.getName());
      if (volume.isEmpty()) {
        return Optional.of("volume " + mount.getName() + " is not in the pod");
      }
      Volume v = volume.get();
      if (v.getEmptyDir() == null
          && v.getPersistentVolumeClaim() == null
          && v.getHostPath() == null
          && !ConfigVolumes.handles(v)) {
        return Optional.of(
            "volume "
                + mount.getName()
                + ": only emptyDir, persistentVolumeClaim, hostPath, configMap, secret and"
                + " projected are supported here");
      }
    }
    return Optional.empty();
  }

  /** The container's mounts; waits for its claims to be bound while {@code waiting} holds. */
  List<Sandbox.Mount> mounts(Container container, BooleanSupplier waiting)
      throws IOException, InterruptedException {
    List<Sandbox.Mount> mounts = new ArrayList<>();
    mounts.add(new Sandbox.Mount(kubelet.runtimeJar(), Sandbox.RUNTIME_JAR, true));
    for (VolumeMount mount : Optional.ofNullable(container.getVolumeMounts()).orElse(List.of())) {
      Volume volume = volume(mount.getName()).orElseThrow();
      boolean readOnly = Boolean.TRUE.equals(mount.getReadOnly());
      Path source;
      if (volume.getEmptyDir() != null) {
        source = dir.resolve("volumes").resolve(volume.getName());
        Files.createDirectories(source);
        // As a kubelet makes them: writable by whoever the container runs as.
        Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rwxrwxrwx"));
      } else if (ConfigVolumes.handles(volume)) {
        // kubelet mounts these read-only whatever the mount says.
        readOnly = true;
        source = configVolumes.directory(volume);
      } else if (volume.getPersistentVolumeClaim() != null) {
        readOnly |= Boolean.TRUE.equals(volume.getPersistentVolumeClaim().getReadOnly());
        source = claimDirectory(volume.getPersistentVolumeClaim().getClaimName(), waiting);
      } else {
        source = Path.of(volume.getHostPath().getPath());
      }
      mounts.add(new Sandbox.Mount(source, mount.getMountPath(), readOnly));
    }
    return mounts;
  }

  Process launch(
      Container container,
      List<String> entrypoint,
      List<Sandbox.Mount> mounts,
      Path terminationLog,
      Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    if (container.getCommand() != null && !container.getCommand().isEmpty()) {
      command.addAll(container.getCommand());
    } else {
      command.addAll(entrypoint);
    }
    command.addAll(Optional.ofNullable(container.getArgs()).orElse(List.of()));
    ProcessBuilder builder =
        new ProcessBuilder(
                Sandbox.command(
                    new Sandbox.Container(
                        kubelet.network().namespace(shortId),
                        mounts,
                        terminationLog,
                        Optional.ofNullable(container.getTerminationMessagePath())
                            .orElse("/dev/termination-log"),
                        user(container),
                        group(container),
                        command)))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    environment(container, builder.environment());
    Process process = builder.start();
    LOG.info(
        "pod {}/{} container {} started (pid {}) at {}",
        pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(),
        container.getName(),
        process.pid(),
        podIp);
    return process;
  }

  private void environment(Container container, Map<String, String> env) {
    env.clear();
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("HOSTNAME", pod.getMetadata().getName());
    env.put("HOME", "/");
    // kubelet gives every container the API server's Service, whatever enableServiceLinks says.
    env.putAll(kubelet.serviceEnvironment());
    for (EnvVar variable : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
      String value = value(variable);
      if (value != null) {
        env.put(variable.getName(), value);
      }
    }
  }

  private Optional<Volume> volume(String volumeName) {
    return Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of()).stream()
        .filter(v -> v.getName().equals(volumeName))
        .findFirst();
  }

  /** A pod is only scheduled once its claims are bound, but a watch can be quicker than that. */
  private Path claimDirectory(String claim, BooleanSupplier waiting) throws InterruptedException {
    String namespace = pod.getMetadata().getNamespace();
    for (int i = 0; i < 300 && waiting.getAsBoolean(); i++) {
      Optional<Path> found = kubelet.provisioner().directory(namespace, claim);
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("claim " + claim + " is not bound to a volume of this machine");
  }

  private long user(Container container) {
    Long user =
        Optional.ofNullable(container.getSecurityContext())
            .map(s -> s.getRunAsUser())
            .orElse(
                Optional.ofNullable(pod.getSpec().getSecurityContext())
                    .map(s -> s.getRunAsUser())
                    .orElse(null));
    return user == null ? 0 : user;
  }

  private long group(Container container) {
    Long group =
        Optional.ofNullable(container.getSecurityContext())
            .map(s -> s.getRunAsGroup())
            .orElse(
                Optional.ofNullable(pod.getSpec().getSecurityContext())
                    .map(s -> s.getRunAsGroup())
                    .orElse(null));
    return group == null ? user(container) : group;
  }

  private String value(EnvVar variable) {
    if (variable.getValueFrom() == null) {
      return variable.getValue() == null ? "" : variable.getValue();
    }
    if (variable.getValueFrom().getFieldRef() != null) {
      return switch (variable.getValueFrom().getFieldRef().getFieldPath()) {
        case "metadata.name" -> pod.getMetadata().getName();
        case "metadata.namespace" -> pod.getMetadata().getNamespace();
        case "metadata.uid" -> pod.getMetadata().getUid();
        case "status.podIP" -> podIp;
        case "spec.nodeName" -> pod.getSpec().getNodeName();
        default -> null;
      };
    }
    LOG.warn(
        "pod {}/{}: env {} comes from a source not supported here",
        pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(),
        variable.getName());
    return null;
  }
}
