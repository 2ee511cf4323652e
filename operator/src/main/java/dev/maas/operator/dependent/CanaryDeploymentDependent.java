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

  /**
   * The shared informer maps a Deployment to its ModelDeployment by JOSDK's primary-name and
   * -namespace annotations (the serving Deployment's dependent is no garbage collector, so it does
   * not map by owner reference); the candidate's Deployment carries them too, or the informer would
   * never hand it back and every reconcile would try to create it again.
   */
  @Override
  protected Deployment desired(ModelDeployment primary, Context<ModelDeployment> context) {
    Deployment desired = planned(primary, context);
    addSecondaryToPrimaryMapperAnnotations(desired, primary);
    return desired;
  }

  private Deployment planned(ModelDeployment primary, Context<ModelDeployment> context) {
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
