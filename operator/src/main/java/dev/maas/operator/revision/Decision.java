package dev.maas.operator.revision;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What to do for a ModelDeployment now: a closed set, so that every caller handles every case. Each
 * carries the revision records that changed (to be written back) and says which revision the
 * runtime Deployment should run.
 */
public sealed interface Decision {
  /** Revisions whose records changed in this decision: phase, outcome, timestamps. */
  List<Revision> changes();

  /** The revision whose template the Deployment should have; empty: no Deployment yet. */
  Optional<Revision> deploymentRevision();

  /** The desired revision's artifact is being prepared; the Deployment stays where it is. */
  record Prepare(Revision target, Optional<Revision> deployed, List<Revision> changes)
      implements Decision {
    @Override
    public Optional<Revision> deploymentRevision() {
      return deployed;
    }
  }

  /**
   * The Deployment moves to (or keeps moving to) the target.
   *
   * @param deadlineIn time left before the rollout counts as failed
   */
  record RollOut(Revision target, Duration deadlineIn, List<Revision> changes) implements Decision {
    @Override
    public Optional<Revision> deploymentRevision() {
      return Optional.of(target);
    }
  }

  /** The target has fully rolled out and serves. */
  record Serving(Revision current, List<Revision> changes) implements Decision {
    @Override
    public Optional<Revision> deploymentRevision() {
      return Optional.of(current);
    }
  }

  /** The rollout of {@code failed} just failed; the Deployment goes back to {@code restored}. */
  record RollBack(Revision failed, Revision restored, String reason, List<Revision> changes)
      implements Decision {
    @Override
    public Optional<Revision> deploymentRevision() {
      return Optional.of(restored);
    }
  }

  /**
   * Nothing will change until the spec does: the desired revision failed (to prepare, or to roll
   * out), and the Deployment runs {@code deployed}: the last good revision after a rollback, the
   * failed one when automatic rollback is off, nothing when none ever served.
   */
  record Stalled(
      String reason, Revision failed, Optional<Revision> deployed, List<Revision> changes)
      implements Decision {
    @Override
    public Optional<Revision> deploymentRevision() {
      return deployed;
    }
  }
}
