package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.cache.Stores;
import dev.maas.operator.render.LiveSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The live-settings ConfigMap of a canary-strategy ModelDeployment (whom the serving pods mirror
 * to); deleted when the strategy is not Canary. Only the operator's own ConfigMaps are cached.
 */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = Stores.Owned.class,
            informerListLimit = Stores.LIST_PAGE,
            labelSelector = "app.kubernetes.io/managed-by=maas-operator"))
public class LiveSettingsDependent extends PlannedDependent<ConfigMap>
    implements Creator<ConfigMap, ModelDeployment>,
        Updater<ConfigMap, ModelDeployment>,
        GarbageCollected<ModelDeployment> {
  public LiveSettingsDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(ModelDeployment primary, Context<ModelDeployment> context) {
    return PlanHandoff.planOf(context)
        .liveSettings()
        .orElseGet(
            () ->
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName(LiveSettings.of(primary.getMetadata().getName()))
                    .withNamespace(primary.getMetadata().getNamespace())
                    .endMetadata()
                    .build());
  }
}
