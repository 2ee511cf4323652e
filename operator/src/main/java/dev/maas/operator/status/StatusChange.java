package dev.maas.operator.status;

import dev.maas.operator.api.status.ModelDeploymentStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Objects;

/**
 * How a new status differs from the one written last. While a Deployment's pods come up one by one,
 * each makes a status differ only in its counts (replicas, readyReplicas, and the condition
 * messages that quote them): those can wait a moment and be written together; anything else (a
 * condition's status or reason, a revision, the generation) is news and is written at once.
 */
public enum StatusChange {
  NONE,
  COUNTS_ONLY,
  NEWS;

  public static StatusChange between(ModelDeploymentStatus before, ModelDeploymentStatus after) {
    if (Objects.equals(before, after)) {
      return NONE;
    }
    if (before == null || after == null) {
      return NEWS;
    }
    boolean sameElsewhere =
        Objects.equals(before.observedGeneration(), after.observedGeneration())
            && Objects.equals(before.desiredRevision(), after.desiredRevision())
            && Objects.equals(before.currentRevision(), after.currentRevision())
            && Objects.equals(before.revisions(), after.revisions())
            && Objects.equals(before.selector(), after.selector())
            && Objects.equals(before.url(), after.url())
            && sameStates(before.conditions(), after.conditions());
    return sameElsewhere ? COUNTS_ONLY : NEWS;
  }

  /** The same conditions with the same status and reason, whatever their messages say. */
  private static boolean sameStates(List<Condition> before, List<Condition> after) {
    if (before == null || after == null || before.size() != after.size()) {
      return Objects.equals(before, after);
    }
    for (int i = 0; i < before.size(); i++) {
      Condition b = before.get(i);
      Condition a = after.get(i);
      if (!Objects.equals(b.getType(), a.getType())
          || !Objects.equals(b.getStatus(), a.getStatus())
          || !Objects.equals(b.getReason(), a.getReason())) {
        return false;
      }
    }
    return true;
  }
}
