package dev.maas.e2e.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a running container the way a kubelet does when its pod is deleted: the preStop hook (a
 * sleep or an HTTP GET), SIGTERM to the container's own process, the rest of the grace period, then
 * SIGKILL. The grace period counts from the start, preStop included.
 */
final class ContainerStop {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerStop.class);

  private ContainerStop() {}

  /**
   * @param runPreStop false when the pod is already gone from the API server: no time is left
   * @return the container's exit code
   */
  static int stop(Pod pod, Container container, Process process, String podIp, boolean runPreStop)
      throws InterruptedException {
    long grace =
        Optional.ofNullable(pod.getMetadata().getDeletionGracePeriodSeconds())
            .orElse(
                Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds()).orElse(30L));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(grace);
    if (runPreStop
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
      LOG.info(
          "pod {}/{}: grace period over: SIGKILL",
          pod.getMetadata().getNamespace(),
          pod.getMetadata().getName());
      kill(process);
      process.waitFor();
    }
    return process.exitValue();
  }

  static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
