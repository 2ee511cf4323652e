package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.render.DeploymentModel;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The candidate's own Service ({@code <name>-canary}) while an HTTPRoute weighs a canary; its
 * reconcile precondition deletes it otherwise. It shares the runtime Service dependent's informer.
 */
@KubernetesDependent
public class CanaryServiceDependent extends PlannedDependent<Service>
    implements Creator<Service, ModelDeployment>,
        Updater<Service, ModelDeployment>,
        GarbageCollected<ModelDeployment> {
  public CanaryServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(ModelDeployment primary, Context<ModelDeployment> context) {
    return PlanHandoff.planOf(context)
        .canaryService()
        .orElseGet(
            () ->
                new ServiceBuilder()
                    .withNewMetadata()
                    .withName(DeploymentModel.canaryName(primary.getMetadata().getName()))
                    .withNamespace(primary.getMetadata().getNamespace())
                    .endMetadata()
                    .build());
  }
}
