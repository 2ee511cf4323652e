package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.cache.Stores;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The prepare Job of the revision the plan names. Created once and never updated (a Job's pod
 * template is immutable) nor deleted by the workflow: the reconciler deletes a Job that succeeded
 * once its report is in the revision (a failed one goes by its TTL, its logs readable until then);
 * a new spec gets a Job of its own, by name.
 */
@KubernetesDependent(
    informer = @Informer(itemStore = Stores.Owned.class, informerListLimit = Stores.LIST_PAGE))
public class PrepareJobDependent extends PlannedDependent<Job>
    implements Creator<Job, ModelDeployment> {
  public PrepareJobDependent() {
    super(Job.class);
  }

  @Override
  protected Job desired(ModelDeployment primary, Context<ModelDeployment> context) {
    return PlanHandoff.planOf(context).prepareJob().orElseThrow();
  }
}
