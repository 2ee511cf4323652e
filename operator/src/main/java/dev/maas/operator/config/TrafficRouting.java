package dev.maas.operator.config;

/**
 * Where a canary's live weight is set when not by pod share.
 *
 * @param httpRoute the name of a Gateway API HTTPRoute in each ModelDeployment's namespace: where
 *     one of that name sends to the ModelDeployment's Service, a canary's weight goes into that
 *     rule's backendRefs (the Service and {@code <name>-canary}) instead of the candidate's share
 *     of pods; where none does, the canary weighs by pod share as without this setting
 */
public record TrafficRouting(String httpRoute) {
  public static final TrafficRouting POD_SHARE = new TrafficRouting(null);

  public boolean routesThroughHttpRoute() {
    return httpRoute != null && !httpRoute.isBlank();
  }
}
