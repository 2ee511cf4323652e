package dev.maas.operator.decide;

import dev.maas.operator.revision.Revision;
import java.util.List;

/**
 * The candidate's own Deployment during a canary.
 *
 * @param replicas its pods: one in the shadow step, the step's share after
 * @param goLive ready candidate pods to put behind the Service now (their readiness gate set)
 */
public record CanaryPlan(Revision revision, int replicas, List<String> goLive) {
  public CanaryPlan {
    goLive = List.copyOf(goLive);
  }
}
