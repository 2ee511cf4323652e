package dev.maas.operator.observe;

import java.util.List;
import java.util.Optional;

/**
 * The runtime Deployments by role, and their pods: the stable one (named as the ModelDeployment)
 * and the candidate's ({@code <name>-canary}).
 *
 * @param canaryDeployment the candidate's Deployment, when it exists
 * @param candidatePods pods of the candidate's Deployment
 * @param stablePods the other runtime pods (of the stable Deployment)
 * @param stableReplicas pods the stable Deployment asks for (the HPA's choice when autoscaled)
 */
public record CanaryView(
    Optional<DeploymentProgress> canaryDeployment,
    List<RuntimePod> candidatePods,
    List<RuntimePod> stablePods,
    int stableReplicas) {
  public static final CanaryView NONE = new CanaryView(Optional.empty(), List.of(), List.of(), 0);
}
