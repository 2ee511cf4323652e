package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.cache.Stores;
import dev.maas.operator.render.RuntimeServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The runtime pods' service account of spec.access.authentication.kubernetes; its reconcile
 * precondition deletes it when that is removed. Only the operator's own accounts are cached.
 */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = Stores.Owned.class,
            informerListLimit = Stores.LIST_PAGE,
            labelSelector = "app.kubernetes.io/managed-by=maas-operator"))
public class RuntimeServiceAccountDependent extends PlannedDependent<ServiceAccount>
    implements Creator<ServiceAccount, ModelDeployment>,
        Updater<ServiceAccount, ModelDeployment>,
        GarbageCollected<ModelDeployment> {
  public RuntimeServiceAccountDependent() {
    super(ServiceAccount.class);
  }

  @Override
  protected ServiceAccount desired(ModelDeployment primary, Context<ModelDeployment> context) {
    return PlanHandoff.planOf(context)
        .runtimeServiceAccount()
        .orElseGet(
            () ->
                new ServiceAccountBuilder()
                    .withNewMetadata()
                    .withName(RuntimeServiceAccount.name(primary.getMetadata().getName()))
                    .withNamespace(primary.getMetadata().getNamespace())
                    .endMetadata()
                    .build());
  }
}
