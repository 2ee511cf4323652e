package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.cache.Stores;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The HPA; its reconcile precondition deletes it when spec.autoscaling is removed. */
@KubernetesDependent(
    informer = @Informer(itemStore = Stores.Owned.class, informerListLimit = Stores.LIST_PAGE))
public class AutoscalerDependent extends PlannedDependent<HorizontalPodAutoscaler>
    implements Creator<HorizontalPodAutoscaler, ModelDeployment>,
        Updater<HorizontalPodAutoscaler, ModelDeployment>,
        GarbageCollected<ModelDeployment> {
  public AutoscalerDependent() {
    super(HorizontalPodAutoscaler.class);
  }

  @Override
  protected HorizontalPodAutoscaler desired(
      ModelDeployment primary, Context<ModelDeployment> context) {
    // Without spec.autoscaling the precondition fails and JOSDK deletes the HPA; it still asks
    // for the desired object to know which one, so name and namespace are all it needs then.
    return PlanHandoff.planOf(context)
        .autoscaler()
        .orElseGet(
            () ->
                new HorizontalPodAutoscalerBuilder()
                    .withNewMetadata()
                    .withName(primary.getMetadata().getName())
                    .withNamespace(primary.getMetadata().getNamespace())
                    .endMetadata()
                    .build());
  }
}
