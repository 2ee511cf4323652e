package dev.maas.operator.observe;

import dev.maas.contract.PodLayout;
import dev.maas.contract.ServeFlags;
import dev.maas.operator.api.CrdConstants;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the runtime Deployment shows: which revision its pod template is at, and whether the
 * Deployment controller has finished moving every pod there.
 *
 * @param revisionHash the {@code maas.dev/revision-hash} label of its pod template; null when the
 *     Deployment predates revisions
 * @param rolledOut the controller has seen the latest spec and every pod is updated and available
 * @param deadlineExceeded the controller's own Progressing=False, ProgressDeadlineExceeded
 * @param desiredReplicas the Deployment's spec.replicas (the operator's, or the autoscaler's)
 * @param imageVolumeDropped the pods should load an oci:// model from an image volume, but the API
 *     server dropped that volume (1.33 and 1.34 do so, silently, without the ImageVolume feature
 *     gate): the pods cannot find their model
 */
public record DeploymentProgress(
    String revisionHash,
    boolean rolledOut,
    boolean deadlineExceeded,
    String deadlineMessage,
    int replicas,
    int readyReplicas,
    int desiredReplicas,
    boolean imageVolumeDropped) {

  public DeploymentProgress(
      String revisionHash,
      boolean rolledOut,
      boolean deadlineExceeded,
      String deadlineMessage,
      int replicas,
      int readyReplicas,
      int desiredReplicas) {
    this(
        revisionHash,
        rolledOut,
        deadlineExceeded,
        deadlineMessage,
        replicas,
        readyReplicas,
        desiredReplicas,
        false);
  }

  public static DeploymentProgress of(Deployment d) {
    DeploymentStatus s = Optional.ofNullable(d.getStatus()).orElse(new DeploymentStatus());
    Map<String, String> labels =
        d.getSpec().getTemplate().getMetadata() == null
            ? Map.of()
            : Optional.ofNullable(d.getSpec().getTemplate().getMetadata().getLabels())
                .orElse(Map.of());
    Optional<String> deadline =
        Optional.ofNullable(s.getConditions()).orElse(List.of()).stream()
            .filter(
                c ->
                    "Progressing".equals(c.getType())
                        && "False".equals(c.getStatus())
                        && "ProgressDeadlineExceeded".equals(c.getReason()))
            .map(c -> c.getMessage())
            .findFirst();
    return new DeploymentProgress(
        labels.get(CrdConstants.LABEL_REVISION_HASH),
        rolledOut(d, s),
        deadline.isPresent(),
        deadline.orElse(null),
        zeroIfNull(s.getReplicas()),
        zeroIfNull(s.getReadyReplicas()),
        Optional.ofNullable(d.getSpec().getReplicas()).orElse(1),
        imageVolumeDropped(d.getSpec().getTemplate().getSpec()));
  }

  /** The model is to come from the image mount, and no image volume is there to provide it. */
  private static boolean imageVolumeDropped(PodSpec pod) {
    if (pod == null || pod.getContainers() == null) {
      return false;
    }
    boolean wantsImage =
        pod.getContainers().stream()
            .flatMap(c -> Optional.ofNullable(c.getEnv()).orElse(List.of()).stream())
            .anyMatch(
                e ->
                    ServeFlags.ENV_MODEL_URI.equals(e.getName())
                        && PodLayout.IMAGE_DIR.equals(e.getValue()));
    boolean hasImage =
        Optional.ofNullable(pod.getVolumes()).orElse(List.of()).stream()
            .anyMatch(v -> v.getImage() != null);
    return wantsImage && !hasImage;
  }

  private static boolean rolledOut(Deployment d, DeploymentStatus s) {
    if (s.getObservedGeneration() == null || d.getMetadata().getGeneration() == null) {
      return false;
    }
    int desired = Optional.ofNullable(d.getSpec().getReplicas()).orElse(1);
    return s.getObservedGeneration() >= d.getMetadata().getGeneration()
        && zeroIfNull(s.getUpdatedReplicas()) >= desired
        && zeroIfNull(s.getAvailableReplicas()) >= desired
        && zeroIfNull(s.getReplicas()) == zeroIfNull(s.getUpdatedReplicas());
  }

  /** Fewer pods ready than asked for: a scale-up (or pods lost) the controller is working on. */
  public boolean belowDesiredReplicas() {
    return readyReplicas < desiredReplicas;
  }

  private static int zeroIfNull(Integer value) {
    return value == null ? 0 : value;
  }
}
