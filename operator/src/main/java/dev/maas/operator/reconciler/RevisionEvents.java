package dev.maas.operator.reconciler;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.status.RolloutStatus;
import dev.maas.operator.decide.Decision;
import dev.maas.operator.revision.PrepareOutcome;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.status.Conditions;
import java.util.Optional;

/**
 * The events a user wants to hear of: a revision preparing, prepared, serving, failed, and a
 * rollback. Each transition is recorded once, so each event is too; at scale every event is an API
 * write.
 */
final class RevisionEvents {
  private final EventRecorder events;

  RevisionEvents(EventRecorder events) {
    this.events = events;
  }

  /** A revision's record changed from {@code before} (absent: it is new) to {@code after}. */
  void transition(ModelDeployment md, Optional<Revision> before, Revision after) {
    String revision = "revision " + after.number() + " (" + after.hash() + ")";
    PrepareOutcome prepared = after.prepare();
    if (prepared != null
        && prepared.succeeded()
        && !prepared.equals(before.map(Revision::prepare).orElse(null))) {
      events.normal(
          md,
          "Prepared",
          revision
              + " prepared"
              + (prepared.ratio() != null ? ": " + prepared.ratio() + "x smaller" : "")
              + (prepared.job() != null ? " (Job " + prepared.job() + ")" : ""));
    }
    if (before.map(Revision::phase).orElse(null) == after.phase()) {
      return;
    }
    switch (after.phase()) {
      case Preparing -> events.normal(md, "Preparing", revision + ": compression Job started");
      case Serving -> events.normal(md, "Serving", revision + " serving");
      case Failed -> events.warning(md, "RevisionFailed", revision + " failed: " + after.reason());
      default -> {
        // Pending, Prepared (told above) and Superseded are not news; a rollout starting is
        // told by the Applied event that updated the Deployment.
      }
    }
  }

  /**
   * What the decision itself is news of: a rollback (the reconcile it happens in), a package lost
   * (the first reconcile that finds it gone).
   */
  private static RolloutStatus previous(ModelDeployment md) {
    return md.getStatus() == null ? null : md.getStatus().rollout();
  }

  /** Did the last status already tell of this canary in this phase? */
  private static boolean sameCanary(ModelDeployment md, RolloutStatus now) {
    RolloutStatus before = previous(md);
    return before != null
        && before.candidateRevision() != null
        && before.candidateRevision().equals(now.candidateRevision())
        && before.phase() == now.phase();
  }

  void decided(ModelDeployment md, Decision decision) {
    decision.accept(
        new Decision.Cases<Void>() {
          @Override
          public Void prepare(Decision.Prepare prepare) {
            return null;
          }

          @Override
          public Void restorePackage(Decision.RestorePackage restore) {
            if (!LastStatus.hadReason(md, Conditions.RECONCILING, "RestoringPackage")) {
              events.warning(
                  md,
                  "PackageLost",
                  "the prepared package of revision "
                      + restore.target().number()
                      + " is gone with its storage claim "
                      + restore.target().template().storageClaim()
                      + "; preparing it again");
            }
            return null;
          }

          @Override
          public Void rollOut(Decision.RollOut rollOut) {
            return null;
          }

          @Override
          public Void serving(Decision.Serving serving) {
            return null;
          }

          @Override
          public Void rollBack(Decision.RollBack rollBack) {
            events.warning(
                md,
                "RolledBack",
                "rolled back from revision "
                    + rollBack.failed().number()
                    + " to revision "
                    + rollBack.restored().number()
                    + ": "
                    + rollBack.failed().reason());
            return null;
          }

          @Override
          public Void stalled(Decision.Stalled stalled) {
            return null;
          }

          @Override
          public Void shadow(Decision.Shadow shadow) {
            if (!sameCanary(md, shadow.state())) {
              events.normal(
                  md,
                  "CanaryStarted",
                  "revision "
                      + shadow.candidate().number()
                      + " answers a copy of "
                      + shadow.mirror().samplePercent()
                      + "% of the requests revision "
                      + shadow.stable().number()
                      + " serves, and serves no one");
            }
            return null;
          }

          @Override
          public Void canaryStep(Decision.CanaryStep step) {
            RolloutStatus before = previous(md);
            if (!sameCanary(md, step.state()) || !step.state().step().equals(before.step())) {
              events.normal(
                  md,
                  "CanaryStep",
                  "revision "
                      + step.candidate().number()
                      + ": step "
                      + step.step()
                      + ", weight "
                      + step.weight()
                      + "%");
            }
            return null;
          }

          @Override
          public Void promote(Decision.Promote promote) {
            if (promote.finished()) {
              events.normal(
                  md,
                  "CanaryPromoted",
                  "revision " + promote.candidate().number() + " passed its canary and serves");
            }
            return null;
          }

          @Override
          public Void abort(Decision.Abort abort) {
            events.warning(md, "CanaryAborted", abort.state().message());
            return null;
          }
        });
  }
}
