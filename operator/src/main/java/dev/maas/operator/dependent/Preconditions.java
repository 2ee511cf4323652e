package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** When the optional objects exist: each a question asked of the plan. */
public final class Preconditions {
  private Preconditions() {}

  /** A revision is ready to run: the Deployment is applied. */
  public static final class DeploymentPlanned implements Condition<Object, ModelDeployment> {
    @Override
    public boolean isMet(
        DependentResource<Object, ModelDeployment> dependent,
        ModelDeployment primary,
        Context<ModelDeployment> context) {
      return PlanHandoff.planOf(context).deployment().isPresent();
    }
  }

  /** spec.autoscaling is set and there is a Deployment to scale. */
  public static final class AutoscalingRequested implements Condition<Object, ModelDeployment> {
    @Override
    public boolean isMet(
        DependentResource<Object, ModelDeployment> dependent,
        ModelDeployment primary,
        Context<ModelDeployment> context) {
      return PlanHandoff.planOf(context).autoscaler().isPresent();
    }
  }

  /** The desired revision's artifact is being prepared. */
  public static final class PrepareRequested implements Condition<Object, ModelDeployment> {
    @Override
    public boolean isMet(
        DependentResource<Object, ModelDeployment> dependent,
        ModelDeployment primary,
        Context<ModelDeployment> context) {
      return PlanHandoff.planOf(context).prepare().isPresent();
    }
  }

  /** Compression is asked for and the spec names no claim of its own. */
  public static final class StorageClaimRequested implements Condition<Object, ModelDeployment> {
    @Override
    public boolean isMet(
        DependentResource<Object, ModelDeployment> dependent,
        ModelDeployment primary,
        Context<ModelDeployment> context) {
      return PlanHandoff.planOf(context).storageClaim().isPresent();
    }
  }

  /** A canary is in progress: the candidate's Deployment is applied. */
  public static final class CanaryPlanned implements Condition<Object, ModelDeployment> {
    @Override
    public boolean isMet(
        DependentResource<Object, ModelDeployment> dependent,
        ModelDeployment primary,
        Context<ModelDeployment> context) {
      return PlanHandoff.planOf(context).canaryDeployment().isPresent();
    }
  }

  /** An HTTPRoute weighs a canary in progress: the candidate's own Service is applied. */
  public static final class CanaryServicePlanned implements Condition<Object, ModelDeployment> {
    @Override
    public boolean isMet(
        DependentResource<Object, ModelDeployment> dependent,
        ModelDeployment primary,
        Context<ModelDeployment> context) {
      return PlanHandoff.planOf(context).canaryService().isPresent();
    }
  }

  /** The strategy is Canary: the live-settings ConfigMap exists. */
  public static final class LiveSettingsRequested implements Condition<Object, ModelDeployment> {
    @Override
    public boolean isMet(
        DependentResource<Object, ModelDeployment> dependent,
        ModelDeployment primary,
        Context<ModelDeployment> context) {
      return PlanHandoff.planOf(context).liveSettings().isPresent();
    }
  }

  /** spec.access.allowFrom names someone: the NetworkPolicy exists. */
  public static final class NetworkPolicyRequested implements Condition<Object, ModelDeployment> {
    @Override
    public boolean isMet(
        DependentResource<Object, ModelDeployment> dependent,
        ModelDeployment primary,
        Context<ModelDeployment> context) {
      return PlanHandoff.planOf(context).networkPolicy().isPresent();
    }
  }

  /** spec.access.authentication.kubernetes is set: the runtime's own service account exists. */
  public static final class RuntimeServiceAccountRequested
      implements Condition<Object, ModelDeployment> {
    @Override
    public boolean isMet(
        DependentResource<Object, ModelDeployment> dependent,
        ModelDeployment primary,
        Context<ModelDeployment> context) {
      return PlanHandoff.planOf(context).runtimeServiceAccount().isPresent();
    }
  }
}
