package dev.maas.operator.gitops;

/**
 * The phases of a ModelDeployment a GitOps tool must tell apart, each with what Argo CD (our
 * health.lua) and Flux (kstatus) must make of it, and the condition whose message Argo CD shows.
 * The samples themselves are captured from real reconciler runs by {@link StatusSamplesTest}.
 */
enum StatusSample {
  NOT_YET_OBSERVED("not-yet-observed", "Progressing", "InProgress", null),
  PREPARING("preparing", "Progressing", "InProgress", "Reconciling"),
  FIRST_ROLLOUT("first-rollout", "Progressing", "InProgress", "Reconciling"),
  READY("ready", "Healthy", "Current", "Ready"),
  SPEC_CHANGE_NOT_OBSERVED("spec-change-not-observed", "Progressing", "InProgress", null),
  ROLLOUT_WHILE_PREVIOUS_SERVES(
      "rollout-while-previous-serves", "Progressing", "InProgress", "Reconciling"),
  ROLLED_BACK("rolled-back", "Degraded", "Failed", "Stalled"),
  PREPARE_FAILED("prepare-failed", "Degraded", "Failed", "Stalled"),
  FIRST_ROLLOUT_FAILED("first-rollout-failed", "Degraded", "Failed", "Stalled"),
  INVALID_SPEC("invalid-spec", "Degraded", "Failed", "Stalled"),
  SCALED_TO_ZERO("scaled-to-zero", "Healthy", "Current", "Ready"),
  SCALING_UP("scaling-up", "Progressing", "InProgress", "Reconciling");

  final String file;
  final String argoCd;
  final String kstatus;

  /** The condition whose message Argo CD shows; null: the generation is not observed yet. */
  final String decidingCondition;

  StatusSample(String name, String argoCd, String kstatus, String decidingCondition) {
    this.file = name + ".yaml";
    this.argoCd = argoCd;
    this.kstatus = kstatus;
    this.decidingCondition = decidingCondition;
  }
}
