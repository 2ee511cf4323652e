package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.model.ResolvedModelDeployment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/**
 * Base of the owned-object dependents: desired state comes from a pure builder over the
 * ModelDeployment that the reconciler resolved against the operator's configuration (and put in the
 * context), and a write happens only when the object lacks part of that state.
 */
public abstract class ResolvedDependent<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, ModelDeployment> {
  public static final String RESOLVED = "resolved";
  static final String CHANGES = "changes";

  ResolvedDependent(Class<R> type) {
    super(type);
  }

  static ResolvedModelDeployment resolved(Context<ModelDeployment> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(RESOLVED, ResolvedModelDeployment.class);
  }

  /** Names of the objects this reconcile created or updated, for events. */
  @SuppressWarnings("unchecked")
  public static java.util.List<String> changes(Context<ModelDeployment> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .get(CHANGES, java.util.List.class)
        .orElse(java.util.List.of());
  }

  @SuppressWarnings("unchecked")
  private static void recordChange(Context<ModelDeployment> context, String change) {
    var values = context.managedWorkflowAndDependentResourceContext();
    java.util.List<String> list = values.get(CHANGES, java.util.List.class).orElse(null);
    if (list == null) {
      list = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      values.put(CHANGES, list);
    }
    list.add(change);
  }

  @Override
  public R create(R desired, ModelDeployment primary, Context<ModelDeployment> context) {
    R created = super.create(desired, primary, context);
    recordChange(context, "created " + desired.getKind() + " " + desired.getMetadata().getName());
    return created;
  }

  @Override
  public R update(R actual, R desired, ModelDeployment primary, Context<ModelDeployment> context) {
    R updated = super.update(actual, desired, primary, context);
    recordChange(context, "updated " + desired.getKind() + " " + desired.getMetadata().getName());
    return updated;
  }
}
