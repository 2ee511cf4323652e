package dev.maas.operator.observe;

import dev.maas.operator.api.CrdConstants;
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
 */
public record DeploymentProgress(
    String revisionHash,
    boolean rolledOut,
    boolean deadlineExceeded,
    String deadlineMessage,
    int replicas,
    int readyReplicas,
    int desiredReplicas) {

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
        Optional.ofNullable(d.getSpec().getReplicas()).orElse(1));
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
