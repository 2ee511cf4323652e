package dev.maas.operator.api.spec;

/** How a new revision replaces the serving one. */
public enum RolloutStrategy {
  /** The Deployment replaces pods as they become ready; only pods that fail to start fail it. */
  RollingUpdate,
  /** The candidate is judged on live traffic (shadow, then steps) before it takes all of it. */
  Canary
}
