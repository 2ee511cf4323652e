package dev.maas.operator.status;

import dev.maas.operator.api.status.RevisionPhase;
import dev.maas.operator.decide.Decision;
import dev.maas.operator.revision.Revision;
import java.util.Optional;

/**
 * What the conditions need to know of a decision, read from it in one place by an exhaustive {@link
 * Decision.Cases}: a new kind of decision does not compile here until the status says something of
 * it.
 *
 * @param stalled the Stalled condition's value
 * @param working what the operator is working on (a prepare Job, a rollout); empty when nothing
 * @param settledOn the revision the decision found serving as desired; empty otherwise
 */
record DecisionView(State stalled, Optional<State> working, Optional<Revision> settledOn) {

  /** A condition's value before its transition time is settled. */
  record State(String status, String reason, String message) {
    boolean isTrue() {
      return status.equals(Conditions.TRUE);
    }
  }

  private static final State PROGRESSING =
      new State(Conditions.FALSE, "Progressing", "progressing normally");

  static DecisionView of(Decision decision) {
    return decision.accept(
        new Decision.Cases<DecisionView>() {
          @Override
          public DecisionView prepare(Decision.Prepare prepare) {
            return new DecisionView(
                PROGRESSING,
                Optional.of(
                    new State(
                        Conditions.TRUE,
                        "Preparing",
                        "preparing revision " + prepare.target().number() + " (compression Job)")),
                Optional.empty());
          }

          @Override
          public DecisionView restorePackage(Decision.RestorePackage restore) {
            Revision target = restore.target();
            String lost =
                "the prepared package of revision "
                    + target.number()
                    + " is gone with its storage claim "
                    + target.template().storageClaim();
            State working =
                new State(
                    Conditions.TRUE,
                    "RestoringPackage",
                    lost
                        + (restore.claimReady()
                            ? ": preparing it again (compression Job)"
                            : ": waiting for the claim to be created again"));
            State stalled =
                restore
                    .failedAttempt()
                    .map(
                        f ->
                            new State(
                                Conditions.TRUE,
                                "PackageRestoreFailed",
                                lost
                                    + ", and preparing it again failed: "
                                    + f.describe()
                                    + "; it is tried again once the failed Job is gone"))
                    .orElse(PROGRESSING);
            Optional<Revision> serving =
                target.phase() == RevisionPhase.Serving ? Optional.of(target) : Optional.empty();
            return new DecisionView(stalled, Optional.of(working), serving);
          }

          @Override
          public DecisionView rollOut(Decision.RollOut rollOut) {
            return new DecisionView(
                PROGRESSING,
                Optional.of(
                    new State(
                        Conditions.TRUE,
                        "RollingOut",
                        "rolling out revision "
                            + rollOut.target().number()
                            + ": waiting for its pods to load the model and become ready")),
                Optional.empty());
          }

          @Override
          public DecisionView serving(Decision.Serving serving) {
            return new DecisionView(PROGRESSING, Optional.empty(), Optional.of(serving.current()));
          }

          @Override
          public DecisionView rollBack(Decision.RollBack rollBack) {
            return new DecisionView(
                new State(Conditions.TRUE, "RolledBack", rollBack.reason()),
                Optional.empty(),
                Optional.empty());
          }

          @Override
          public DecisionView shadow(Decision.Shadow shadow) {
            return canary("CanaryShadow", shadow.state().message(), shadow.candidate());
          }

          @Override
          public DecisionView canaryStep(Decision.CanaryStep step) {
            return canary("CanaryStep", step.state().message(), step.candidate());
          }

          @Override
          public DecisionView promote(Decision.Promote promote) {
            return promote.finished()
                ? new DecisionView(PROGRESSING, Optional.empty(), Optional.of(promote.candidate()))
                : canary("CanaryPromoting", promote.state().message(), promote.candidate());
          }

          @Override
          public DecisionView abort(Decision.Abort abort) {
            return new DecisionView(
                new State(Conditions.TRUE, "CanaryAborted", abort.reason()),
                Optional.empty(),
                Optional.empty());
          }

          private DecisionView canary(String reason, String message, Revision candidate) {
            return new DecisionView(
                PROGRESSING,
                Optional.of(
                    new State(
                        Conditions.TRUE,
                        reason,
                        "canary of revision " + candidate.number() + ": " + message)),
                Optional.empty());
          }

          @Override
          public DecisionView stalled(Decision.Stalled stall) {
            boolean prepareFailed =
                stall.failed().prepare() != null && !stall.failed().prepare().succeeded();
            boolean rolledBack =
                stall.deployed().map(r -> !r.hash().equals(stall.failed().hash())).orElse(false);
            boolean aborted =
                stall.failed().canary() != null
                    && "Aborted".equals(stall.failed().canary().outcome());
            String reason =
                prepareFailed
                    ? "PrepareFailed"
                    : aborted ? "CanaryAborted" : rolledBack ? "RolledBack" : "RolloutFailed";
            return new DecisionView(
                new State(Conditions.TRUE, reason, stall.reason()),
                Optional.empty(),
                Optional.empty());
          }
        });
  }
}
