package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The HPA exists only while spec.autoscaling is set. */
public class AutoscalingRequested implements Condition<HorizontalPodAutoscaler, ModelDeployment> {
  @Override
  public boolean isMet(
      DependentResource<HorizontalPodAutoscaler, ModelDeployment> dependentResource,
      ModelDeployment primary,
      Context<ModelDeployment> context) {
    return primary.getSpec().autoscaling() != null;
  }
}
