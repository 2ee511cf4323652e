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
 * @param route the HTTPRoute that sends to the Service, where the operator's configuration names
 *     one and it does; empty: the canary weighs by pod share
 * @param scheme how the pods are reached: {@code http}, or {@code https} when they serve TLS
 */
public record CanaryView(
    Optional<DeploymentProgress> canaryDeployment,
    List<RuntimePod> candidatePods,
    List<RuntimePod> stablePods,
    int stableReplicas,
    Optional<RoutedService> route,
    String scheme) {
  public static final CanaryView NONE = new CanaryView(Optional.empty(), List.of(), List.of(), 0);

  public CanaryView(
      Optional<DeploymentProgress> canaryDeployment,
      List<RuntimePod> candidatePods,
      List<RuntimePod> stablePods,
      int stableReplicas) {
    this(canaryDeployment, candidatePods, stablePods, stableReplicas, Optional.empty(), "http");
  }

  public CanaryView withRoute(Optional<RoutedService> routed) {
    return new CanaryView(
        canaryDeployment, candidatePods, stablePods, stableReplicas, routed, scheme);
  }

  public CanaryView withScheme(String podScheme) {
    return new CanaryView(
        canaryDeployment, candidatePods, stablePods, stableReplicas, route, podScheme);
  }

  /** The base URL of a pod's serving port, as a candidate's copies and scrapes reach it. */
  public String baseUrl(RuntimePod pod) {
    return scheme + "://" + pod.ip() + ":" + dev.maas.contract.PodLayout.HTTP_PORT;
  }
}
