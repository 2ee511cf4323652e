package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.cache.Stores;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The Service in front of the runtime pods. */
@KubernetesDependent(
    informer = @Informer(itemStore = Stores.Owned.class, informerListLimit = Stores.LIST_PAGE))
public class RuntimeServiceDependent extends PlannedDependent<Service>
    implements Creator<Service, ModelDeployment>,
        Updater<Service, ModelDeployment>,
        GarbageCollected<ModelDeployment> {
  public RuntimeServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(ModelDeployment primary, Context<ModelDeployment> context) {
    return PlanHandoff.planOf(context).service();
  }
}
