package dev.maas.e2e.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pod as a kubelet would, with local processes: network, volumes, the container (see
 * {@link ContainerLauncher} and {@link Sandbox}), its probes, restarts with a growing back-off, and
 * its status (see {@link PodStatusWriter}); on deletion, the preStop hook, SIGTERM, the grace
 * period, then SIGKILL, and the final delete. One container per pod (what the operator makes); init
 * and sidecar containers are not supported.
 */
final class PodWorker implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private final KubeletContext kubelet;
  private final String namespace;
  private final String name;
  private final String shortId;
  private final Path dir;
  private final PodStatusWriter statusWriter;
  private final CountDownLatch finished = new CountDownLatch(1);
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
  private ConfigVolumes configVolumes;
  private long volumesSyncedAt;

  PodWorker(KubeletContext kubelet, Pod pod) {
    this.kubelet = kubelet;
    this.pod = pod;
    this.namespace = pod.getMetadata().getNamespace();
    this.name = pod.getMetadata().getName();
    this.shortId = pod.getMetadata().getUid().replace("-", "");
    this.dir = kubelet.stateDir().resolve("pods").resolve(pod.getMetadata().getUid());
    this.statusWriter = new PodStatusWriter(kubelet, pod);
  }

  /** The pod changed: a deletion timestamp means stop gracefully. */
  void update(Pod latest) {
    pod = latest;
    nudge();
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
      startTime = PodStatusWriter.now();
      Container container = pod.getSpec().getContainers().get(0);
      writeStatus();
      ContainerLauncher launcher = new ContainerLauncher(kubelet, pod, dir, shortId, podIp);
      Optional<List<String>> entrypoint = Images.entrypoint(container.getImage());
      if (entrypoint.isEmpty()) {
        state = waiting("ErrImagePull", "image " + container.getImage() + " is not known here");
        writeStatus();
        pause(Duration.ofSeconds(2));
        waitForDeletion(
            waiting("ImagePullBackOff", "Back-off pulling image \"" + container.getImage() + "\""));
        return;
      }
      Optional<String> configError = launcher.configError(container);
      if (configError.isPresent()) {
        waitForDeletion(waiting("CreateContainerConfigError", configError.get()));
        return;
      }
      if (!volumesSetUp(launcher.configVolumes())) {
        return;
      }
      runWithRestarts(container, launcher, entrypoint.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | IOException e) {
      LOG.warn("pod {}/{}: {}", namespace, name, e.toString());
    } finally {
      if (process != null && process.isAlive()) {
        ContainerStop.kill(process);
      }
      cleanUp();
      finished.countDown();
    }
  }

  /** Starts the container, and again after each exit, as its restart policy says. */
  private void runWithRestarts(Container container, ContainerLauncher launcher, List<String> cmd)
      throws IOException, InterruptedException {
    List<Sandbox.Mount> mounts = launcher.mounts(container, () -> !terminating);
    Path terminationLog = dir.resolve(container.getName() + ".termination-log");
    Path log = dir.resolve(container.getName() + ".log");
    while (!terminating) {
      Files.writeString(terminationLog, "");
      Files.setPosixFilePermissions(terminationLog, PosixFilePermissions.fromString("rw-rw-rw-"));
      process = launcher.launch(container, cmd, mounts, terminationLog, log);
      String startedAt = PodStatusWriter.now();
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
      ContainerStateTerminated end =
          TerminationMessages.terminated(
              container, exit, startedAt, PodStatusWriter.now(), terminationLog, log);
      ready = false;
      started = false;
      containerPid = null;
      String policy = Optional.ofNullable(pod.getSpec().getRestartPolicy()).orElse("Always");
      if (policy.equals("Never") || (policy.equals("OnFailure") && exit == 0)) {
        phase = exit == 0 ? "Succeeded" : "Failed";
        waitForDeletion(new ContainerStateBuilder().withTerminated(end).build());
        return;
      }
      lastState = new ContainerStateBuilder().withTerminated(end).build();
      Duration backoff = backoff(restartCount);
      restartCount++;
      if (!backoff.isZero()) {
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
    }
    if (process != null && process.isAlive()) {
      stop(container, process);
    }
  }

  /**
   * Writes the ConfigMap and Secret volumes; while one cannot be (its object missing), the pod
   * stays in ContainerCreating, says why in a FailedMount event (as kubelet does: not in its
   * status), and is tried again.
   *
   * @return false when the pod was deleted first
   */
  private boolean volumesSetUp(ConfigVolumes volumes) throws IOException, InterruptedException {
    Optional<String> problem = volumes.sync();
    String said = null;
    while (problem.isPresent() && !terminating) {
      if (!problem.get().equals(said)) {
        said = problem.get();
        LOG.info("pod {}/{}: {}", namespace, name, said);
        new KubeletEvents(kubelet.client()).warning(pod, "FailedMount", said);
      }
      pause(Duration.ofMillis(ConfigVolumes.REFRESH_MILLIS));
      problem = volumes.sync();
    }
    if (terminating) {
      waitForDeletion(state);
      return false;
    }
    this.configVolumes = volumes;
    return true;
  }

  /** Shows this state until the pod is deleted: nothing will change it by waiting. */
  private void waitForDeletion(ContainerState until) throws InterruptedException {
    state = until;
    writeStatus();
    while (!terminating) {
      pause(Duration.ofSeconds(5));
    }
  }

  /**
   * Probes the container until it exits (its exit code), a probe restarts it, or the pod starts
   * terminating (null).
   */
  private Integer monitor(Container container, Process process) throws InterruptedException {
    ProbeLoop probes = new ProbeLoop(container, podIp, System.nanoTime());
    started = probes.started();
    ready = probes.ready();
    writeStatus();
    while (process.isAlive()) {
      if (containerPid == null) {
        containerPid = process.children().findFirst().map(ProcessHandle::pid).orElse(null);
      }
      if (terminating) {
        return null;
      }
      refreshVolumes();
      // A readiness gate set by someone else changes Ready: written when it differs.
      writeStatus();
      Optional<String> restart = probes.tick(System.nanoTime());
      if (probes.started() != started || probes.ready() != ready) {
        started = probes.started();
        ready = probes.ready();
        writeStatus();
      }
      if (restart.isPresent()) {
        LOG.info("pod {}/{}: {}: restarting", namespace, name, restart.get());
        ContainerStop.kill(process);
        break;
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
    ready = false;
    writeStatus();
    int exit = ContainerStop.stop(pod, container, process, podIp, !gone);
    ContainerStateTerminated end =
        new ContainerStateTerminatedBuilder()
            .withExitCode(exit)
            .withReason(exit == 0 ? "Completed" : "Error")
            .withFinishedAt(PodStatusWriter.now())
            .build();
    state = new ContainerStateBuilder().withTerminated(end).build();
    writeStatus();
  }

  /**
   * A running pod sees its ConfigMaps and Secrets change, as with kubelet (there within its sync
   * period); a failed refresh keeps the files it had.
   */
  private void refreshVolumes() {
    long now = System.nanoTime();
    if (configVolumes == null
        || now - volumesSyncedAt < TimeUnit.MILLISECONDS.toNanos(ConfigVolumes.REFRESH_MILLIS)) {
      return;
    }
    volumesSyncedAt = now;
    try {
      configVolumes.sync().ifPresent(p -> LOG.debug("pod {}/{}: {}", namespace, name, p));
    } catch (IOException | RuntimeException e) {
      LOG.warn("pod {}/{}: refreshing volumes: {}", namespace, name, e.toString());
    }
  }

  /** As the kubelet: the first restart at once, then 10 s, doubling up to 5 minutes. */
  static Duration backoff(int restarts) {
    if (restarts == 0) {
      return Duration.ZERO;
    }
    Duration backoff = Duration.ofSeconds(10).multipliedBy(1L << Math.min(restarts - 1, 5));
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
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // nothing to clean
    }
    LOG.info("pod {}/{} finished", namespace, name);
  }

  private void writeStatus() {
    if (gone) {
      return;
    }
    PodStatusWriter.ContainerView view =
        new PodStatusWriter.ContainerView(
            phase, state, lastState, started, ready, restartCount, containerPid, terminating);
    if (!statusWriter.write(pod, podIp, startTime, view)) {
      gone = true;
    }
  }

  private static ContainerState waiting(String reason, String message) {
    return new ContainerStateBuilder()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .build();
  }
}
