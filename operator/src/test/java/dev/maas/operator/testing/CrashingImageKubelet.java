package dev.maas.operator.testing;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays the kubelet for runtime pods of the two images the local cluster's kwok leaves alone: a
 * runtime that exits at start (its container crash-loops, with the runtime's last words as the
 * termination message) and an image that cannot be pulled. It reports what a kubelet reports: the
 * pod Running but not Ready, the container waiting in CrashLoopBackOff after three restarts, or in
 * ImagePullBackOff; or a container that crashed once and then serves.
 */
public final class CrashingImageKubelet implements AutoCloseable {
  /** A runtime image whose container exits with 2 at start: a model that cannot load. */
  public static final String CRASH_LOOP_IMAGE = "registry.example.com/maas/runtime:crash-loop";

  /**
   * A runtime whose first container is OOM-killed (a neighbour's doing) and whose second one
   * serves: CrashLoopBackOff after one restart, with only the JVM's banner as its last words, then
   * Running and Ready.
   */
  public static final String CRASH_ONCE_IMAGE = "registry.example.com/maas/runtime:crash-once";

  static final String JVM_BANNER = "Picked up JAVA_TOOL_OPTIONS: -Djava.io.tmpdir=/tmp";

  /** A runtime image that does not exist. */
  public static final String MISSING_IMAGE = "registry.example.com/maas/runtime:missing";

  static final String RUNTIME_EXIT_MESSAGE =
      "serve: cannot load /var/cache/maas/model.pt: PytorchStreamReader failed reading zip archive";

  private final KubernetesClient client;
  private final SharedIndexInformer<Pod> informer;
  private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

  public CrashingImageKubelet(KubernetesClient client, String namespace) {
    this.client = client;
    this.informer =
        client
            .pods()
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    play(pod);
                  }

                  @Override
                  public void onUpdate(Pod before, Pod pod) {
                    play(pod);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {}
                });
  }

  private synchronized void play(Pod pod) {
    String image = pod.getSpec().getContainers().get(0).getImage();
    if (CRASH_ONCE_IMAGE.equals(image)) {
      crashOnce(pod);
      return;
    }
    boolean crashes = CRASH_LOOP_IMAGE.equals(image);
    if (!(crashes || MISSING_IMAGE.equals(image))
        || pod.getSpec().getNodeName() == null
        || pod.getMetadata().getDeletionTimestamp() != null
        || (pod.getStatus().getContainerStatuses() != null
            && !pod.getStatus().getContainerStatuses().isEmpty())) {
      return;
    }
    String now = Instant.now().toString();
    ContainerStatusBuilder container =
        new ContainerStatusBuilder()
            .withName(pod.getSpec().getContainers().get(0).getName())
            .withImage(image)
            .withReady(false)
            .withStarted(false);
    if (crashes) {
      container
          .withRestartCount(3)
          .withNewState()
          .withNewWaiting()
          .withReason("CrashLoopBackOff")
          .withMessage("back-off 40s restarting failed container")
          .endWaiting()
          .endState()
          .withNewLastState()
          .withNewTerminated()
          .withExitCode(2)
          .withReason("Error")
          .withMessage(RUNTIME_EXIT_MESSAGE)
          .withStartedAt(now)
          .withFinishedAt(now)
          .endTerminated()
          .endLastState();
    } else {
      container
          .withRestartCount(0)
          .withNewState()
          .withNewWaiting()
          .withReason("ImagePullBackOff")
          .withMessage("Back-off pulling image \"" + image + "\"")
          .endWaiting()
          .endState();
    }
    pod.getStatus().setPhase(crashes ? "Running" : "Pending");
    pod.getStatus().setStartTime(now);
    pod.getStatus()
        .setConditions(
            List.of(
                new PodConditionBuilder()
                    .withType("Ready")
                    .withStatus("False")
                    .withReason("ContainersNotReady")
                    .withLastTransitionTime(now)
                    .build()));
    pod.getStatus().setContainerStatuses(List.of(container.build()));
    try {
      client.pods().resource(pod).updateStatus();
    } catch (KubernetesClientException conflict) {
      // The next event brings the newer pod.
    }
  }

  /** The first report: crashed once; two seconds later, the restarted container is ready. */
  private void crashOnce(Pod pod) {
    if (pod.getSpec().getNodeName() == null
        || pod.getMetadata().getDeletionTimestamp() != null
        || (pod.getStatus().getContainerStatuses() != null
            && !pod.getStatus().getContainerStatuses().isEmpty())) {
      return;
    }
    String now = Instant.now().toString();
    ContainerStatusBuilder crashed =
        new ContainerStatusBuilder()
            .withName(pod.getSpec().getContainers().get(0).getName())
            .withImage(CRASH_ONCE_IMAGE)
            .withReady(false)
            .withStarted(false)
            .withRestartCount(1)
            .withNewState()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .withMessage("back-off 10s restarting failed container")
            .endWaiting()
            .endState()
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(137)
            .withReason("OOMKilled")
            .withMessage(JVM_BANNER)
            .withStartedAt(now)
            .withFinishedAt(now)
            .endTerminated()
            .endLastState();
    report(pod, "Running", false, crashed);
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    later.schedule(
        () -> {
          Pod current = client.pods().inNamespace(namespace).withName(name).get();
          if (current == null || current.getMetadata().getDeletionTimestamp() != null) {
            return;
          }
          ContainerStatusBuilder serving =
              new ContainerStatusBuilder(current.getStatus().getContainerStatuses().get(0))
                  .withReady(true)
                  .withStarted(true)
                  .withNewState()
                  .withNewRunning()
                  .withStartedAt(Instant.now().toString())
                  .endRunning()
                  .endState();
          report(current, "Running", true, serving);
        },
        2,
        TimeUnit.SECONDS);
  }

  private void report(Pod pod, String phase, boolean ready, ContainerStatusBuilder container) {
    String now = Instant.now().toString();
    String status = ready ? "True" : "False";
    pod.getStatus().setPhase(phase);
    pod.getStatus().setStartTime(now);
    pod.getStatus()
        .setConditions(
            List.of(
                new PodConditionBuilder()
                    .withType("Ready")
                    .withStatus(status)
                    .withLastTransitionTime(now)
                    .build(),
                new PodConditionBuilder()
                    .withType("ContainersReady")
                    .withStatus(status)
                    .withLastTransitionTime(now)
                    .build()));
    pod.getStatus().setContainerStatuses(List.of(container.build()));
    try {
      client.pods().resource(pod).updateStatus();
    } catch (KubernetesClientException conflict) {
      // The next event brings the newer pod.
    }
  }

  @Override
  public void close() {
    later.shutdownNow();
    informer.close();
  }
}
