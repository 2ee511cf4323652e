package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.cache.Stores;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The runtime pods, at the revision the plan names. Created and updated, never deleted by the
 * workflow: while the first revision is still being prepared there is nothing to apply, and that
 * must not remove a Deployment that serves (deleting the ModelDeployment removes it, by owner
 * reference).
 */
@KubernetesDependent(
    informer = @Informer(itemStore = Stores.Owned.class, informerListLimit = Stores.LIST_PAGE))
public class RuntimeDeploymentDependent extends PlannedDependent<Deployment>
    implements Creator<Deployment, ModelDeployment>, Updater<Deployment, ModelDeployment> {
  public RuntimeDeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(ModelDeployment primary, Context<ModelDeployment> context) {
    return PlanHandoff.planOf(context).runtimeDeployment().orElseThrow();
  }
}
