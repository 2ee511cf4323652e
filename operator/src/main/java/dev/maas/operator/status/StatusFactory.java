package dev.maas.operator.status;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.status.ModelDeploymentStatus;
import dev.maas.operator.model.Labels;
import dev.maas.operator.model.ResolvedModelDeployment;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.List;
import java.util.Optional;

/**
 * The status as a fresh object, from what the operator observed: Ready, Reconciling and Stalled
 * (the condition names kstatus, Flux and Argo CD read), replicas and the scale selector.
 */
public final class StatusFactory {
  private final Conditions conditions;

  public StatusFactory(Conditions conditions) {
    this.conditions = conditions;
  }

  /** The spec cannot be served as it is: nothing changes until the user fixes it. */
  public ModelDeploymentStatus stalled(
      ModelDeployment md, String reason, String message, Optional<Deployment> deployment) {
    List<Condition> previous = previousConditions(md);
    Long generation = md.getMetadata().getGeneration();
    DeploymentStatus observed =
        deployment.map(Deployment::getStatus).orElse(new DeploymentStatus());
    return new ModelDeploymentStatus(
        generation,
        List.of(
            conditions.condition(previous, Conditions.READY, false, reason, message, generation),
            conditions.condition(
                previous,
                Conditions.RECONCILING,
                false,
                reason,
                "waiting for the spec to be fixed",
                generation),
            conditions.condition(previous, Conditions.STALLED, true, reason, message, generation)),
        null,
        null,
        null,
        zeroIfNull(observed.getReplicas()),
        zeroIfNull(observed.getReadyReplicas()),
        Labels.selectorString(md.getMetadata().getName()),
        null);
  }

  public ModelDeploymentStatus observed(
      ResolvedModelDeployment resolved, Optional<Deployment> deployment) {
    ModelDeployment md = resolved.resource();
    List<Condition> previous = previousConditions(md);
    Long generation = md.getMetadata().getGeneration();
    DeploymentStatus observed =
        deployment.map(Deployment::getStatus).orElse(new DeploymentStatus());
    int ready = zeroIfNull(observed.getReadyReplicas());
    Optional<DeploymentCondition> deadline =
        Optional.ofNullable(observed.getConditions()).orElse(List.of()).stream()
            .filter(
                c ->
                    "Progressing".equals(c.getType())
                        && "ProgressDeadlineExceeded".equals(c.getReason()))
            .findFirst();
    boolean rolledOut = deployment.map(StatusFactory::rolledOut).orElse(false);
    List<Condition> list;
    if (deadline.isPresent()) {
      String message =
          "the rollout did not become available in time: " + deadline.get().getMessage();
      list =
          List.of(
              conditions.condition(
                  previous,
                  Conditions.READY,
                  ready > 0,
                  ready > 0 ? "PartiallyAvailable" : "RolloutFailed",
                  message,
                  generation),
              conditions.condition(
                  previous, Conditions.RECONCILING, false, "RolloutFailed", message, generation),
              conditions.condition(
                  previous,
                  Conditions.STALLED,
                  true,
                  "ProgressDeadlineExceeded",
                  message,
                  generation));
    } else if (rolledOut && ready > 0) {
      list =
          List.of(
              conditions.condition(
                  previous,
                  Conditions.READY,
                  true,
                  "Available",
                  ready + " replica(s) serving " + resolved.url(),
                  generation),
              conditions.condition(
                  previous,
                  Conditions.RECONCILING,
                  false,
                  "Available",
                  "the runtime pods are up to date",
                  generation),
              conditions.condition(
                  previous,
                  Conditions.STALLED,
                  false,
                  "Available",
                  "progressing normally",
                  generation));
    } else {
      // One message whether or not the new Deployment is in the cache yet: a status that changes
      // only because the cache caught up would be a write for nothing.
      String message = "waiting for the runtime pods to load the model and become ready";
      list =
          List.of(
              conditions.condition(
                  previous, Conditions.READY, false, "RollingOut", message, generation),
              conditions.condition(
                  previous, Conditions.RECONCILING, true, "RollingOut", message, generation),
              conditions.condition(
                  previous,
                  Conditions.STALLED,
                  false,
                  "RollingOut",
                  "progressing normally",
                  generation));
    }
    return new ModelDeploymentStatus(
        generation,
        list,
        null,
        null,
        null,
        zeroIfNull(observed.getReplicas()),
        ready,
        Labels.selectorString(md.getMetadata().getName()),
        resolved.url());
  }

  private static boolean rolledOut(Deployment d) {
    DeploymentStatus s = d.getStatus();
    if (s == null || s.getObservedGeneration() == null || d.getMetadata().getGeneration() == null) {
      return false;
    }
    int desired =
        Optional.ofNullable(d.getSpec().getReplicas()).orElse(zeroIfNull(s.getReplicas()));
    return s.getObservedGeneration() >= d.getMetadata().getGeneration()
        && zeroIfNull(s.getUpdatedReplicas()) >= desired
        && zeroIfNull(s.getAvailableReplicas()) >= desired
        && zeroIfNull(s.getReplicas()) == zeroIfNull(s.getUpdatedReplicas());
  }

  private static List<Condition> previousConditions(ModelDeployment md) {
    return md.getStatus() == null || md.getStatus().conditions() == null
        ? List.of()
        : md.getStatus().conditions();
  }

  private static int zeroIfNull(Integer value) {
    return value == null ? 0 : value;
  }
}
