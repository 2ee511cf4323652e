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

/**
 * Plays the kubelet for runtime pods of the two images the local cluster's kwok leaves alone: a
 * runtime that exits at start (its container crash-loops, with the runtime's last words as the
 * termination message) and an image that cannot be pulled. It reports what a kubelet reports: the
 * pod Running but not Ready, the container waiting in CrashLoopBackOff after three restarts, or in
 * ImagePullBackOff.
 */
public final class CrashingImageKubelet implements AutoCloseable {
  /** A runtime image whose container exits with 2 at start: a model that cannot load. */
  public static final String CRASH_LOOP_IMAGE = "registry.example.com/maas/runtime:crash-loop";

  /** A runtime image that does not exist. */
  public static final String MISSING_IMAGE = "registry.example.com/maas/runtime:missing";

  static final String RUNTIME_EXIT_MESSAGE =
      "serve: cannot load /var/cache/maas/model.pt: PytorchStreamReader failed reading zip archive";

  private final KubernetesClient client;
  private final SharedIndexInformer<Pod> informer;

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

  @Override
  public void close() {
    informer.close();
  }
}
