package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.plan.Plan;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The plan, handed from the reconciler to the dependents through the reconcile's context, and what
 * they created or updated on the way back.
 */
public record PlanHandoff(Plan plan, AppliedChanges changes) {
  private static final String KEY = PlanHandoff.class.getName();

  public static PlanHandoff of(Plan plan) {
    return new PlanHandoff(plan, new AppliedChanges());
  }

  public void handTo(Context<ModelDeployment> context) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, this);
  }

  static PlanHandoff of(Context<ModelDeployment> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(KEY, PlanHandoff.class);
  }

  static Plan planOf(Context<ModelDeployment> context) {
    return of(context).plan();
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
