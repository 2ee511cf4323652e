package dev.maas.operator.observe;

import dev.maas.operator.revision.PrepareOutcome;
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
 * @param storageClaim the operator's claim for prepared packages, when it exists
 * @param canary the candidate's Deployment and pods beside the stable ones
 * @param mountFailures pods that kubelet cannot start for a missing Secret or ConfigMap
 */
public record Observation(
    Optional<DeploymentProgress> deployment,
    List<PodTrouble> troubles,
    PrepareJobState prepareJob,
    Instant now,
    List<Unschedulable> unschedulable,
    Optional<StorageClaimState> storageClaim,
    CanaryView canary,
    List<MountFailure> mountFailures) {

  public Observation(
      Optional<DeploymentProgress> deployment,
      List<PodTrouble> troubles,
      PrepareJobState prepareJob,
      Instant now,
      List<Unschedulable> unschedulable,
      Optional<StorageClaimState> storageClaim) {
    this(
        deployment,
        troubles,
        prepareJob,
        now,
        unschedulable,
        storageClaim,
        CanaryView.NONE,
        List.of());
  }

  public Observation withCanary(CanaryView view) {
    return new Observation(
        deployment, troubles, prepareJob, now, unschedulable, storageClaim, view, mountFailures);
  }

  public Observation withMountFailures(List<MountFailure> failures) {
    return new Observation(
        deployment,
        troubles,
        prepareJob,
        now,
        unschedulable,
        storageClaim,
        canary,
        List.copyOf(failures));
  }

  public Observation(
      Optional<DeploymentProgress> deployment,
      List<PodTrouble> troubles,
      PrepareJobState prepareJob,
      Instant now,
      List<Unschedulable> unschedulable) {
    this(deployment, troubles, prepareJob, now, unschedulable, Optional.empty());
  }

  /** An observation with every pod placed. */
  public Observation(
      Optional<DeploymentProgress> deployment,
      List<PodTrouble> troubles,
      PrepareJobState prepareJob,
      Instant now) {
    this(deployment, troubles, prepareJob, now, List.of());
  }

  /**
   * Is a prepared package still where it was written? A package written to a claim that was since
   * deleted (or replaced, or lost its volume) is gone. Outcomes that do not know their claim (older
   * records, a claim the spec names itself) are taken to be there.
   */
  public boolean packagePresent(PrepareOutcome outcome) {
    if (outcome == null || outcome.claimUid() == null) {
      return true;
    }
    return storageClaim.map(c -> c.holdsWritesTo(outcome.claimUid())).orElse(false);
  }

  /** Is the Deployment's pod template at this revision? */
  public boolean deploymentAt(String hash) {
    return deployment.map(d -> hash.equals(d.revisionHash())).orElse(false);
  }
}
