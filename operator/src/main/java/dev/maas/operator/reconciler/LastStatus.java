package dev.maas.operator.reconciler;

import dev.maas.operator.api.ModelDeployment;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the status written last said. An event is sent when a condition first says something, not on
 * every reconcile that still finds it so: at scale every event is an API write.
 */
final class LastStatus {
  private LastStatus() {}

  static Optional<Condition> condition(ModelDeployment md, String type) {
    List<Condition> conditions =
        md.getStatus() == null || md.getStatus().conditions() == null
            ? List.of()
            : md.getStatus().conditions();
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Did the condition's message contain these words? */
  static boolean said(ModelDeployment md, String type, String words) {
    return condition(md, type)
        .map(c -> c.getMessage() != null && c.getMessage().contains(words))
        .orElse(false);
  }

  /** Did the condition have this reason? */
  static boolean hadReason(ModelDeployment md, String type, String reason) {
    return condition(md, type).map(c -> reason.equals(c.getReason())).orElse(false);
  }

  /** Was the condition True for this reason at the ModelDeployment's current generation? */
  static boolean trueFor(ModelDeployment md, String type, String reason) {
    return condition(md, type)
        .map(
            c ->
                "True".equals(c.getStatus())
                    && reason.equals(c.getReason())
                    && Objects.equals(c.getObservedGeneration(), md.getMetadata().getGeneration()))
        .orElse(false);
  }
}
