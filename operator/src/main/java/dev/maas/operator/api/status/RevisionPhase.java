package dev.maas.operator.api.status;

/** Where a revision is on its way from spec to serving. */
public enum RevisionPhase {
  /** Recorded, nothing started yet. */
  Pending,
  /** The compression Job is running. */
  Preparing,
  /** The artifact is ready; rollout has not started. */
  Prepared,
  /** The Deployment is moving to this revision. */
  RollingOut,
  /** This revision serves traffic. */
  Serving,
  /** Served once, replaced by a newer revision; kept for rollback. */
  Superseded,
  /** Compression or rollout failed; it never replaced the serving revision. */
  Failed
}
