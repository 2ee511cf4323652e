package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.render.DeploymentModel;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The candidate's Deployment during a canary ({@code <name>-canary}); its reconcile precondition
 * deletes it when no canary is planned (promoted, aborted, or none). It shares the runtime
 * Deployment dependent's informer, so Deployments are cached once.
 */
@KubernetesDependent
public class CanaryDeploymentDependent extends PlannedDependent<Deployment>
    implements Creator<Deployment, ModelDeployment>,
        Updater<Deployment, ModelDeployment>,
        GarbageCollected<ModelDeployment> {
  public CanaryDeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(ModelDeployment primary, Context<ModelDeployment> context) {
    return PlanHandoff.planOf(context)
        .canaryDeployment()
        .orElseGet(
            () ->
                new DeploymentBuilder()
                    .withNewMetadata()
                    .withName(DeploymentModel.canaryName(primary.getMetadata().getName()))
                    .withNamespace(primary.getMetadata().getNamespace())
                    .endMetadata()
                    .build());
  }
}
