package dev.maas.operator.decide;

import dev.maas.operator.revision.Revision;
import java.util.List;
import java.util.Optional;

/**
 * The candidate's own Deployment during a canary.
 *
 * @param replicas its pods: one in the shadow step, the step's share after
 * @param goLive ready candidate pods to put behind the Service now (their readiness gate set)
 * @param routed where an HTTPRoute carries the weight: what it and the Services say now
 */
public record CanaryPlan(
    Revision revision, int replicas, List<String> goLive, Optional<Routed> routed) {
  public CanaryPlan {
    goLive = List.copyOf(goLive);
  }

  public CanaryPlan(Revision revision, int replicas, List<String> goLive) {
    this(revision, replicas, goLive, Optional.empty());
  }

  /**
   * A canary weighed by an HTTPRoute.
   *
   * @param weight the candidate's share of the route's traffic (0: the route does not name it)
   * @param servingOnly the revision the ModelDeployment's Service selects while the candidate's
   *     pods, ready for the route, must not take its traffic too; empty once promoting
   */
  public record Routed(int weight, Optional<Long> servingOnly) {}
}
