package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.cache.Stores;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The NetworkPolicy of spec.access.allowFrom; its reconcile precondition deletes it when allowFrom
 * is removed. Only the operator's own policies are cached.
 */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = Stores.Owned.class,
            informerListLimit = Stores.LIST_PAGE,
            labelSelector = "app.kubernetes.io/managed-by=maas-operator"))
public class NetworkPolicyDependent extends PlannedDependent<NetworkPolicy>
    implements Creator<NetworkPolicy, ModelDeployment>,
        Updater<NetworkPolicy, ModelDeployment>,
        GarbageCollected<ModelDeployment> {
  public NetworkPolicyDependent() {
    super(NetworkPolicy.class);
  }

  @Override
  protected NetworkPolicy desired(ModelDeployment primary, Context<ModelDeployment> context) {
    return PlanHandoff.planOf(context)
        .networkPolicy()
        .orElseGet(
            () ->
                new NetworkPolicyBuilder()
                    .withNewMetadata()
                    .withName(primary.getMetadata().getName())
                    .withNamespace(primary.getMetadata().getNamespace())
                    .endMetadata()
                    .build());
  }
}
