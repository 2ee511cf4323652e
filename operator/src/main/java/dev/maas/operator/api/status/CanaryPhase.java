package dev.maas.operator.api.status;

/** Where a canary is. */
public enum CanaryPhase {
  /** The candidate answers mirrored requests and serves no one. */
  Shadow,
  /** The candidate takes a step's share of live traffic and is checked every interval. */
  Step,
  /** Every check passed: the serving Deployment moves to the candidate. */
  Promoting,
  /** The candidate serves all traffic. */
  Promoted,
  /** A check failed (or a person aborted it): the candidate is gone, the stable one serves. */
  Aborted
}
