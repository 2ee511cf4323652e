package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.model.ResolvedModelDeployment;
import dev.maas.operator.revision.Revision;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What the dependents apply in this reconcile, decided before any of them runs: the resolved
 * ModelDeployment, the revision the Deployment runs, the replica count, and the revision whose
 * prepare Job must exist. Each dependent only builds its object from this value.
 *
 * @param deployment the revision the Deployment runs; empty while nothing is ready to roll out
 * @param replicas null to leave the count to the HPA
 * @param prepare the revision whose prepare Job must exist
 */
public record Plan(
    ResolvedModelDeployment resolved,
    Optional<Revision> deployment,
    Integer replicas,
    Optional<Revision> prepare,
    AppliedChanges changes) {
  private static final String KEY = Plan.class.getName();

  public void handTo(Context<ModelDeployment> context) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, this);
  }

  public static Plan of(Context<ModelDeployment> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, Plan.class);
  }

  /** What the dependents created or updated, for one summary event per reconcile. */
  public static final class AppliedChanges {
    private final List<String> changes = Collections.synchronizedList(new ArrayList<>());

    void add(String change) {
      changes.add(change);
    }

    public List<String> list() {
      synchronized (changes) {
        return List.copyOf(changes);
      }
    }
  }
}
