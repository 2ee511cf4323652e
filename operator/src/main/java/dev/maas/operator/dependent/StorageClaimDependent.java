package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.cache.Stores;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The PVC for prepared packages. Created once and kept: the packages of earlier revisions, which a
 * rollback reuses, live on it (it goes with the ModelDeployment, by owner reference).
 */
@KubernetesDependent(
    informer = @Informer(itemStore = Stores.Owned.class, informerListLimit = Stores.LIST_PAGE))
public class StorageClaimDependent extends PlannedDependent<PersistentVolumeClaim>
    implements Creator<PersistentVolumeClaim, ModelDeployment> {
  public StorageClaimDependent() {
    super(PersistentVolumeClaim.class);
  }

  @Override
  protected PersistentVolumeClaim desired(
      ModelDeployment primary, Context<ModelDeployment> context) {
    return PlanHandoff.planOf(context).storageClaim().orElseThrow();
  }
}
