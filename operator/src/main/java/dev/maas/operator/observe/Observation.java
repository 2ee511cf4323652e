package dev.maas.operator.observe;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the cluster shows of one ModelDeployment, gathered before anything is decided.
 *
 * @param deployment the runtime Deployment, when it exists
 * @param troubles pods of the desired revision that will not become ready by waiting
 * @param prepareJob the desired revision's prepare Job
 * @param now the time of the observation, from the operator's clock
 * @param unschedulable pods of the desired revision that the scheduler cannot place, and why
 */
public record Observation(
    Optional<DeploymentProgress> deployment,
    List<PodTrouble> troubles,
    PrepareJobState prepareJob,
    Instant now,
    List<Unschedulable> unschedulable) {

  /** An observation with every pod placed. */
  public Observation(
      Optional<DeploymentProgress> deployment,
      List<PodTrouble> troubles,
      PrepareJobState prepareJob,
      Instant now) {
    this(deployment, troubles, prepareJob, now, List.of());
  }

  /** Is the Deployment's pod template at this revision? */
  public boolean deploymentAt(String hash) {
    return deployment.map(d -> hash.equals(d.revisionHash())).orElse(false);
  }
}
