package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;

/**
 * Base of the owned-object dependents: each builds its desired object from the {@link Plan} with a
 * pure builder, and records what it created or updated. Whether it may update or delete is its
 * subclass's choice (Creator, Updater, GarbageCollected): a Job is never updated, and a Deployment
 * is never deleted because a plan has no revision for it yet.
 */
abstract class PlannedDependent<R extends HasMetadata>
    extends KubernetesDependentResource<R, ModelDeployment> {

  PlannedDependent(Class<R> type) {
    super(type);
  }

  @Override
  public R create(R desired, ModelDeployment primary, Context<ModelDeployment> context) {
    R created = super.create(desired, primary, context);
    PlanHandoff.of(context)
        .changes()
        .add("created " + desired.getKind() + " " + desired.getMetadata().getName());
    return created;
  }

  @Override
  public R update(R actual, R desired, ModelDeployment primary, Context<ModelDeployment> context) {
    R updated = super.update(actual, desired, primary, context);
    PlanHandoff.of(context)
        .changes()
        .add("updated " + desired.getKind() + " " + desired.getMetadata().getName());
    return updated;
  }
}
