package dev.maas.e2e.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pod as a kubelet would, with local processes: network, volumes, the container (see
 * {@link Sandbox}), its probes, restarts with a growing back-off, and its status; on deletion, the
 * preStop hook, SIGTERM, the grace period, then SIGKILL, and the final delete. One container per
 * pod (what the operator makes); init and sidecar containers are not supported.
 */
final class PodWorker implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  private static final int MAX_MESSAGE = 4096;
  private static final int FALLBACK_LOG_LINES = 80;
  private static final int FALLBACK_LOG_BYTES = 2048;

  private final KubeletContext kubelet;
  private final String namespace;
  private final String name;
  private final String uid;
  private final String shortId;
  private final Path dir;
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Map<String, String> transitions = new LinkedHashMap<>();
  private final Object wake = new Object();

  private volatile Pod pod;
  private volatile Process process;
  private volatile boolean terminating;
  private volatile boolean gone;

  private String podIp;
  private String startTime;
  private String phase = "Pending";
  private boolean ready;
  private boolean started;
  private int restartCount;
  private ContainerState state = waiting("ContainerCreating", null);
  private ContainerState lastState;
  private Long containerPid;
  private PodStatus written;

  PodWorker(KubeletContext kubelet, Pod pod) {
    this.kubelet = kubelet;
    this.pod = pod;
    this.namespace = pod.getMetadata().getNamespace();
    this.name = pod.getMetadata().getName();
    this.uid = pod.getMetadata().getUid();
    this.shortId = uid.replace("-", "");
    this.dir = kubelet.stateDir().resolve("pods").resolve(uid);
  }

  /** The pod changed: a deletion timestamp means stop gracefully. */
  void update(Pod latest) {
    pod = latest;
    if (latest.getMetadata().getDeletionTimestamp() != null) {
      terminating = true;
      nudge();
    }
  }

  /** The pod object is gone from the API server: stop now. */
  void forget() {
    gone = true;
    terminating = true;
    nudge();
  }

  String namespace() {
    return namespace;
  }

  boolean processAlive() {
    Process current = process;
    return current != null && current.isAlive();
  }

  boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void run() {
    try {
      Files.createDirectories(dir);
      podIp = kubelet.network().attach(shortId);
      startTime = now();
      Container container = pod.getSpec().getContainers().get(0);
      writeStatus();
      Optional<List<String>> entrypoint = Images.entrypoint(container.getImage());
      if (entrypoint.isEmpty()) {
        state = waiting("ErrImagePull", "image " + container.getImage() + " is not known here");
        writeStatus();
        pause(Duration.ofSeconds(2));
        state =
            waiting("ImagePullBackOff", "Back-off pulling image \"" + container.getImage() + "\"");
        writeStatus();
        while (!terminating) {
          pause(Duration.ofSeconds(5));
        }
        return;
      }
      Optional<String> configError = configError(container);
      if (configError.isPresent()) {
        state = waiting("CreateContainerConfigError", configError.get());
        writeStatus();
        while (!terminating) {
          pause(Duration.ofSeconds(5));
        }
        return;
      }
      List<Sandbox.Mount> mounts = mounts(container);
      Path terminationLog = dir.resolve(container.getName() + ".termination-log");
      Path log = dir.resolve(container.getName() + ".log");
      while (!terminating) {
        Files.writeString(terminationLog, "");
        Files.setPosixFilePermissions(terminationLog, PosixFilePermissions.fromString("rw-rw-rw-"));
        process = launch(container, entrypoint.get(), mounts, terminationLog, log);
        String startedAt = now();
        state =
            new ContainerStateBuilder()
                .withNewRunning()
                .withStartedAt(startedAt)
                .endRunning()
                .build();
        phase = "Running";
        writeStatus();
        Integer exit = monitor(container, process);
        if (exit == null) {
          break; // terminating: stopped below
        }
        ContainerStateTerminated end = terminated(container, exit, startedAt, terminationLog, log);
        ready = false;
        started = false;
        containerPid = null;
        String policy = Optional.ofNullable(pod.getSpec().getRestartPolicy()).orElse("Always");
        if (policy.equals("Never") || (policy.equals("OnFailure") && exit == 0)) {
          state = new ContainerStateBuilder().withTerminated(end).build();
          phase = exit == 0 ? "Succeeded" : "Failed";
          writeStatus();
          while (!terminating) {
            pause(Duration.ofSeconds(5));
          }
          return;
        }
        lastState = new ContainerStateBuilder().withTerminated(end).build();
        Duration backoff = backoff(restartCount);
        restartCount++;
        state =
            waiting(
                "CrashLoopBackOff",
                "back-off "
                    + backoff.toSeconds()
                    + "s restarting failed container="
                    + container.getName()
                    + " pod="
                    + name
                    + "_"
                    + namespace);
        writeStatus();
        pause(backoff);
      }
      if (process != null && process.isAlive()) {
        stop(container, process);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | IOException e) {
      LOG.warn("pod {}/{}: {}", namespace, name, e.toString());
    } finally {
      if (process != null && process.isAlive()) {
        kill(process);
      }
      cleanUp();
      finished.countDown();
    }
  }

  /** What a kubelet refuses before starting the container. */
  private Optional<String> configError(Container container) {
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
          && v.getHostPath() == null) {
        return Optional.of(
            "volume "
                + mount.getName()
                + ": only emptyDir, persistentVolumeClaim and hostPath are supported here");
      }
    }
    return Optional.empty();
  }

  private Optional<Volume> volume(String volumeName) {
    return Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of()).stream()
        .filter(v -> v.getName().equals(volumeName))
        .findFirst();
  }

  private List<Sandbox.Mount> mounts(Container container) throws IOException, InterruptedException {
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
      } else if (volume.getPersistentVolumeClaim() != null) {
        readOnly |= Boolean.TRUE.equals(volume.getPersistentVolumeClaim().getReadOnly());
        source = claimDirectory(volume.getPersistentVolumeClaim().getClaimName());
      } else {
        source = Path.of(volume.getHostPath().getPath());
      }
      mounts.add(new Sandbox.Mount(source, mount.getMountPath(), readOnly));
    }
    return mounts;
  }

  /** A pod is only scheduled once its claims are bound, but a watch can be quicker than that. */
  private Path claimDirectory(String claim) throws InterruptedException {
    for (int i = 0; i < 300 && !terminating; i++) {
      Optional<Path> found = kubelet.provisioner().directory(namespace, claim);
      if (found.isPresent()) {
        return found.get();
      }
      pause(Duration.ofMillis(200));
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

  private Process launch(
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
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("HOSTNAME", name);
    env.put("HOME", "/");
    for (EnvVar variable : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
      String value = value(variable);
      if (value != null) {
        env.put(variable.getName(), value);
      }
    }
    Process process = builder.start();
    LOG.info(
        "pod {}/{} container {} started (pid {}) at {}",
        namespace,
        name,
        container.getName(),
        process.pid(),
        podIp);
    return process;
  }

  private String value(EnvVar variable) {
    if (variable.getValueFrom() == null) {
      return variable.getValue() == null ? "" : variable.getValue();
    }
    if (variable.getValueFrom().getFieldRef() != null) {
      return switch (variable.getValueFrom().getFieldRef().getFieldPath()) {
        case "metadata.name" -> name;
        case "metadata.namespace" -> namespace;
        case "metadata.uid" -> uid;
        case "status.podIP" -> podIp;
        case "spec.nodeName" -> pod.getSpec().getNodeName();
        default -> null;
      };
    }
    LOG.warn(
        "pod {}/{}: env {} comes from a source not supported here",
        namespace,
        name,
        variable.getName());
    return null;
  }

  /**
   * Probes the container until it exits (its exit code), a probe restarts it, or the pod starts
   * terminating (null).
   */
  private Integer monitor(Container container, Process process) throws InterruptedException {
    Probe startup = container.getStartupProbe();
    Probe readiness = container.getReadinessProbe();
    Probe liveness = container.getLivenessProbe();
    boolean startupDone = startup == null;
    started = startupDone;
    int startupFailures = 0;
    int livenessFailures = 0;
    int readinessFailures = 0;
    long nextStartup = System.nanoTime();
    long nextReadiness =
        System.nanoTime() + seconds(readiness == null ? null : readiness.getInitialDelaySeconds());
    long nextLiveness =
        System.nanoTime() + seconds(liveness == null ? null : liveness.getInitialDelaySeconds());
    if (readiness == null) {
      ready = true;
    }
    writeStatus();
    while (process.isAlive()) {
      if (containerPid == null) {
        containerPid = process.children().findFirst().map(ProcessHandle::pid).orElse(null);
      }
      if (terminating) {
        return null;
      }
      long now = System.nanoTime();
      if (!startupDone && now >= nextStartup) {
        if (Probes.succeeds(startup, podIp, container)) {
          startupDone = true;
          started = true;
          writeStatus();
        } else if (++startupFailures >= threshold(startup)) {
          LOG.info(
              "pod {}/{}: startup probe failed {} times: restarting",
              namespace,
              name,
              startupFailures);
          kill(process);
          break;
        }
        nextStartup = now + seconds(period(startup));
      }
      if (startupDone && readiness != null && now >= nextReadiness) {
        boolean ok = Probes.succeeds(readiness, podIp, container);
        readinessFailures = ok ? 0 : readinessFailures + 1;
        boolean nowReady = ok || (ready && readinessFailures < threshold(readiness));
        if (nowReady != ready) {
          ready = nowReady;
          writeStatus();
        }
        nextReadiness = now + seconds(period(readiness));
      }
      if (startupDone && liveness != null && now >= nextLiveness) {
        if (Probes.succeeds(liveness, podIp, container)) {
          livenessFailures = 0;
        } else if (++livenessFailures >= threshold(liveness)) {
          LOG.info(
              "pod {}/{}: liveness probe failed {} times: restarting",
              namespace,
              name,
              livenessFailures);
          kill(process);
          break;
        }
        nextLiveness = now + seconds(period(liveness));
      }
      synchronized (wake) {
        wake.wait(200);
      }
    }
    process.waitFor();
    return process.exitValue();
  }

  /** preStop, SIGTERM, the grace period, SIGKILL: the order a kubelet keeps. */
  private void stop(Container container, Process process) throws InterruptedException {
    long grace =
        Optional.ofNullable(pod.getMetadata().getDeletionGracePeriodSeconds())
            .orElse(
                Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds()).orElse(30L));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(grace);
    ready = false;
    writeStatus();
    if (!gone
        && container.getLifecycle() != null
        && container.getLifecycle().getPreStop() != null) {
      var preStop = container.getLifecycle().getPreStop();
      if (preStop.getSleep() != null) {
        long sleep =
            Math.min(
                TimeUnit.SECONDS.toNanos(preStop.getSleep().getSeconds()),
                deadline - System.nanoTime());
        TimeUnit.NANOSECONDS.sleep(Math.max(0, sleep));
      } else if (preStop.getHttpGet() != null) {
        Probes.httpGet(
            preStop.getHttpGet(), podIp, container, Duration.ofSeconds(Math.max(1, grace)));
      }
    }
    // SIGTERM to the container's own process (bubblewrap does not forward signals).
    process.children().forEach(ProcessHandle::destroy);
    long left = Math.max(0, deadline - System.nanoTime());
    if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
      LOG.info("pod {}/{}: grace period over: SIGKILL", namespace, name);
      kill(process);
      process.waitFor();
    }
    ContainerStateTerminated end =
        new ContainerStateTerminatedBuilder()
            .withExitCode(process.exitValue())
            .withReason(process.exitValue() == 0 ? "Completed" : "Error")
            .withFinishedAt(now())
            .build();
    state = new ContainerStateBuilder().withTerminated(end).build();
    writeStatus();
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private ContainerStateTerminated terminated(
      Container container, int exit, String startedAt, Path terminationLog, Path log) {
    String message = read(terminationLog, MAX_MESSAGE);
    String policy = Optional.ofNullable(container.getTerminationMessagePolicy()).orElse("File");
    if (message.isBlank() && exit != 0 && policy.equals("FallbackToLogsOnError")) {
      message = tail(log);
    }
    return new ContainerStateTerminatedBuilder()
        .withExitCode(exit)
        .withReason(exit == 0 ? "Completed" : "Error")
        .withMessage(message.isBlank() ? null : message)
        .withStartedAt(startedAt)
        .withFinishedAt(now())
        .build();
  }

  private static String read(Path file, int limit) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      return new String(bytes, 0, Math.min(bytes.length, limit), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The last lines of the container's log, as FallbackToLogsOnError takes them. */
  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      String text =
          String.join(
              "\n", lines.subList(Math.max(0, lines.size() - FALLBACK_LOG_LINES), lines.size()));
      return text.length() <= FALLBACK_LOG_BYTES
          ? text
          : text.substring(text.length() - FALLBACK_LOG_BYTES);
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  static Duration backoff(int restarts) {
    Duration backoff = Duration.ofSeconds(10).multipliedBy(1L << Math.min(restarts, 5));
    return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
  }

  private void pause(Duration duration) throws InterruptedException {
    long until = System.nanoTime() + duration.toNanos();
    while (!terminating && System.nanoTime() < until) {
      synchronized (wake) {
        wake.wait(
            Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()))));
      }
    }
  }

  private void nudge() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  private void cleanUp() {
    kubelet.network().detach(shortId);
    if (terminating && !gone) {
      try {
        kubelet.client().pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
      } catch (KubernetesClientException e) {
        LOG.debug("pod {}/{} already gone", namespace, name);
      }
    }
    try (var files = Files.walk(dir.resolve("volumes"))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // nothing to clean
    }
    LOG.info("pod {}/{} finished", namespace, name);
  }

  private synchronized void writeStatus() {
    if (gone) {
      return;
    }
    Container container = pod.getSpec().getContainers().get(0);
    ContainerStatus containerStatus =
        new ContainerStatusBuilder()
            .withName(container.getName())
            .withImage(container.getImage())
            .withImageID("process-kubelet://" + container.getImage())
            .withContainerID(containerPid == null ? null : "process://" + containerPid)
            .withReady(ready)
            .withStarted(started)
            .withRestartCount(restartCount)
            .withState(state)
            .withLastState(lastState)
            .build();
    boolean running = state.getRunning() != null;
    List<PodCondition> conditions = new ArrayList<>();
    Optional.ofNullable(pod.getStatus()).map(PodStatus::getConditions).orElse(List.of()).stream()
        .filter(c -> c.getType().equals("PodScheduled"))
        .forEach(conditions::add);
    conditions.add(condition("PodReadyToStartContainers", podIp != null));
    conditions.add(condition("Initialized", true));
    conditions.add(condition("ContainersReady", running && ready));
    conditions.add(condition("Ready", running && ready && !terminating));
    PodStatus status = new PodStatus();
    status.setPhase(phase);
    status.setConditions(conditions);
    status.setHostIP(kubelet.hostIp());
    status.setHostIPs(List.of(new io.fabric8.kubernetes.api.model.HostIP(kubelet.hostIp())));
    status.setPodIP(podIp);
    status.setPodIPs(podIp == null ? List.of() : List.of(new PodIP(podIp)));
    status.setStartTime(startTime);
    status.setContainerStatuses(List.of(containerStatus));
    status.setQosClass(
        Optional.ofNullable(pod.getStatus()).map(PodStatus::getQosClass).orElse(null));
    if (Objects.equals(status, written)) {
      return;
    }
    for (int attempt = 0; attempt < 10; attempt++) {
      try {
        Pod current = kubelet.client().pods().inNamespace(namespace).withName(name).get();
        if (current == null || !uid.equals(current.getMetadata().getUid())) {
          gone = true;
          return;
        }
        current.setStatus(status);
        kubelet.client().pods().inNamespace(namespace).resource(current).updateStatus();
        written = status;
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          LOG.warn("pod {}/{}: status not written: {}", namespace, name, e.getMessage());
          return;
        }
      }
    }
  }

  private PodCondition condition(String type, boolean value) {
    String status = value ? "True" : "False";
    String since = transitions.get(type + "=" + status);
    if (since == null) {
      since = now();
      transitions.remove(type + "=" + (value ? "False" : "True"));
      transitions.put(type + "=" + status, since);
    }
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withLastTransitionTime(since)
        .build();
  }

  private static ContainerState waiting(String reason, String message) {
    return new ContainerStateBuilder()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .build();
  }

  private static int threshold(Probe probe) {
    return probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold();
  }

  private static Integer period(Probe probe) {
    return probe.getPeriodSeconds() == null ? 10 : probe.getPeriodSeconds();
  }

  private static long seconds(Integer value) {
    return TimeUnit.SECONDS.toNanos(value == null ? 0 : value);
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
