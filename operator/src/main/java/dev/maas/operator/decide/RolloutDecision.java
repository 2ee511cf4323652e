package dev.maas.operator.decide;

import dev.maas.operator.api.status.RevisionPhase;
import dev.maas.operator.api.status.RolloutStatus;
import dev.maas.operator.canary.CanaryEvidence;
import dev.maas.operator.canary.CanarySettings;
import dev.maas.operator.observe.DeploymentProgress;
import dev.maas.operator.observe.Observation;
import dev.maas.operator.observe.PodTrouble;
import dev.maas.operator.observe.PrepareJobState;
import dev.maas.operator.observe.StorageClaimState;
import dev.maas.operator.revision.DesiredRevision;
import dev.maas.operator.revision.History;
import dev.maas.operator.revision.PrepareKey;
import dev.maas.operator.revision.PrepareOutcome;
import dev.maas.operator.revision.Revision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, from the desired revision, the history and what the cluster shows, what happens next:
 * prepare, roll out, serve, roll back, or stall. A pure function; every branch is a unit test.
 *
 * <p>The rules: an artifact is prepared before the Deployment moves (a revision that prepared the
 * same artifact lends its package, no Job runs); the progress deadline counts from the moment the
 * Deployment moved, on the operator's clock, so readiness that comes and goes does not reset it;
 * pods that cannot become ready by waiting (crash loops, image pulls, OOM kills, repeated restarts)
 * fail the rollout at once; a failed rollout goes back to the last revision that served when
 * automatic rollback is on; a failed revision is not tried again until the spec asks for another
 * revision and then for it again.
 */
public final class RolloutDecision {
  private RolloutDecision() {}

  /**
   * @param desired the revision the spec asks for, new (not yet recorded) or not
   * @param history the recorded revisions
   * @param previouslyDesired the revision the last reconcile wanted (status.desiredRevision): when
   *     it was another, a failed desired revision gets a fresh attempt
   */
  public record Input(
      DesiredRevision desired,
      History history,
      Observation observation,
      boolean autoRollback,
      Duration progressDeadline,
      Optional<Long> previouslyDesired,
      Optional<CanarySettings> canary,
      Optional<RolloutStatus> rollout,
      CanaryEvidence evidence,
      Optional<String> command) {
    /** A rolling update: no canary. */
    public Input(
        DesiredRevision desired,
        History history,
        Observation observation,
        boolean autoRollback,
        Duration progressDeadline,
        Optional<Long> previouslyDesired) {
      this(
          desired,
          history,
          observation,
          autoRollback,
          progressDeadline,
          previouslyDesired,
          Optional.empty(),
          Optional.empty(),
          CanaryEvidence.NONE,
          Optional.empty());
    }
  }

  public static Decision decide(Input in) {
    Changes changes = new Changes();
    Revision desired = in.desired().revision();
    History history = in.history();
    if (in.desired().isNew()) {
      // Recorded in this reconcile, whatever else happens to it.
      history = history.with(changes.record(desired));
    }
    supersedeUnfinished(history, desired, changes);
    Observation seen = in.observation();
    Optional<Revision> deployed =
        seen.deployment().map(DeploymentProgress::revisionHash).flatMap(history::byHash);
    boolean freshAttempt =
        in.previouslyDesired().map(n -> n != in.desired().revision().number()).orElse(true);
    if (desired.phase() == RevisionPhase.Failed && freshAttempt) {
      desired = changes.record(desired.retried());
    }
    if (desired.phase() == RevisionPhase.Failed) {
      return stalledOnFailure(in, desired, history, deployed, changes);
    }
    if (!desired.isPrepared()) {
      Optional<Decision> preparing = prepare(in, desired, history, deployed, changes);
      if (preparing.isPresent()) {
        return preparing.get();
      }
      desired = changes.latest(desired);
    } else if (desired.template().needsPreparation() && !seen.packagePresent(desired.prepare())) {
      return restorePackage(in, desired, deployed, changes);
    }
    Optional<Revision> stable = history.serving().filter(s -> !s.hash().equals(desiredHash(in)));
    if (in.canary().isPresent()
        && stable.isPresent()
        && desired.phase() != RevisionPhase.Serving
        && (!seen.deploymentAt(desired.hash())
            || CanaryDecision.inProgress(in.rollout(), desired))) {
      return CanaryDecision.decide(
          new CanaryDecision.Input(
              in.canary().get(),
              desired,
              stable.get(),
              in.rollout(),
              seen,
              in.evidence(),
              in.command(),
              in.progressDeadline()),
          changes);
    }
    return rollOut(in, desired, history, changes);
  }

  private static String desiredHash(Input in) {
    return in.desired().revision().hash();
  }

  /**
   * The desired revision's package went with its claim: the same Job prepares it again once the new
   * claim exists. Pods that loaded it keep serving meanwhile; when it is back, the revision goes on
   * where it was, and a rollout's deadline starts over (its pods could not load the model while the
   * package was gone).
   */
  private static Decision restorePackage(
      Input in, Revision desired, Optional<Revision> deployed, Changes changes) {
    Observation seen = in.observation();
    Optional<Revision> runs = deployed.or(() -> Optional.of(desired));
    if (seen.storageClaim().isEmpty()) {
      return new Decision.RestorePackage(desired, runs, false, Optional.empty(), changes.list());
    }
    PrepareJobState job = seen.prepareJob();
    if (job instanceof PrepareJobState.Finished finished && finished.outcome().succeeded()) {
      Revision restored =
          changes.record(
              desired.repackaged(
                  finished.outcome().onClaim(seen.storageClaim().get().uid()), seen.now()));
      return restored.phase() == RevisionPhase.RollingOut
          ? new Decision.RollOut(restored, in.progressDeadline(), changes.list())
          : rollOut(in, restored, in.history(), changes);
    }
    Optional<PrepareOutcome> failed =
        job instanceof PrepareJobState.Finished finished
            ? Optional.of(finished.outcome())
            : Optional.empty();
    return new Decision.RestorePackage(desired, runs, true, failed, changes.list());
  }

  /**
   * Revisions the spec asked for before this one and that never finished (still pending, preparing
   * or rolling out) will not: they are Superseded, not left rolling out forever.
   */
  private static void supersedeUnfinished(History history, Revision desired, Changes changes) {
    for (Revision r : history.revisions()) {
      boolean unfinished =
          r.phase() == RevisionPhase.Pending
              || r.phase() == RevisionPhase.Preparing
              || r.phase() == RevisionPhase.RollingOut;
      if (unfinished && r.number() != desired.number()) {
        changes.record(
            r.withPhase(
                RevisionPhase.Superseded,
                "replaced by revision " + desired.number() + " before it served"));
      }
    }
  }

  /** A revision that already failed stays failed: the Deployment runs the last good one. */
  private static Decision stalledOnFailure(
      Input in, Revision desired, History history, Optional<Revision> deployed, Changes changes) {
    Optional<Revision> good = history.lastGood(desired.hash());
    Optional<Revision> runs =
        in.observation().deploymentAt(desired.hash()) && in.autoRollback() && good.isPresent()
            ? good
            : deployed.or(() -> good);
    return new Decision.Stalled(
        stalledReason(desired, runs, in.autoRollback()), desired, runs, changes.list());
  }

  /**
   * The artifact is prepared before the Deployment moves: a revision that prepared the same
   * artifact lends its package; otherwise the Job's outcome decides. Empty once prepared.
   */
  private static Optional<Decision> prepare(
      Input in, Revision desired, History history, Optional<Revision> deployed, Changes changes) {
    Observation seen = in.observation();
    Optional<Revision> lender =
        history.preparedAs(PrepareKey.of(desired.template()), seen::packagePresent);
    PrepareJobState job = seen.prepareJob();
    if (lender.isPresent()) {
      changes.record(desired.prepared(lender.get().prepare()));
      return Optional.empty();
    }
    if (job instanceof PrepareJobState.Finished finished && finished.outcome().succeeded()) {
      String claimUid =
          seen.storageClaim()
              .filter(c -> c.name().equals(desired.template().storageClaim()))
              .map(StorageClaimState::uid)
              .orElse(null);
      changes.record(desired.prepared(finished.outcome().onClaim(claimUid)));
      return Optional.empty();
    }
    if (job instanceof PrepareJobState.Finished finished) {
      Revision failed = changes.record(desired.prepareFailed(finished.outcome()));
      Optional<Revision> runs = deployed.or(history::serving);
      return Optional.of(
          new Decision.Stalled(
              stalledReason(failed, runs, in.autoRollback()), failed, runs, changes.list()));
    }
    Revision preparing =
        desired.phase() == RevisionPhase.Preparing ? desired : changes.record(desired.preparing());
    return Optional.of(new Decision.Prepare(preparing, deployed, changes.list()));
  }

  /** The progress deadline counts from the moment the Deployment moved, on our clock. */
  private static Decision rollOut(Input in, Revision desired, History history, Changes changes) {
    Observation seen = in.observation();
    if (!seen.deploymentAt(desired.hash()) && desired.phase() == RevisionPhase.Serving) {
      // It serves, and its Deployment was deleted or changed by hand: putting it back is a
      // restore, not a rollout, and no deadline can fail it.
      return new Decision.Serving(desired, changes.list());
    }
    if (!seen.deploymentAt(desired.hash())) {
      desired = changes.record(desired.rollingOut(seen.now()));
      return new Decision.RollOut(desired, in.progressDeadline(), changes.list());
    }
    DeploymentProgress progress = seen.deployment().orElseThrow();
    if (desired.phase() == RevisionPhase.Serving) {
      // It rolled out once; pods that come and go later are not a failed rollout.
      return new Decision.Serving(desired, changes.list());
    }
    if (desired.rolloutStartedAt() == null) {
      // The Deployment got here without this operator recording it (an upgrade, a crash).
      desired = changes.record(desired.rollingOut(seen.now()));
    }
    if (progress.rolledOut()) {
      String hash = desired.hash();
      history
          .serving()
          .filter(s -> !s.hash().equals(hash))
          .ifPresent(s -> changes.record(s.withPhase(RevisionPhase.Superseded, null)));
      desired = changes.record(desired.serving(seen.now()));
      return new Decision.Serving(desired, changes.list());
    }
    Duration elapsed = Duration.between(desired.rolloutStartedAt(), seen.now());
    Optional<String> failure = failure(seen, progress, elapsed, in.progressDeadline());
    if (failure.isPresent()) {
      return rolloutFailed(in, desired, history, failure.get(), changes);
    }
    if (desired.phase() != RevisionPhase.RollingOut) {
      desired = changes.record(desired.withPhase(RevisionPhase.RollingOut, null));
    }
    return new Decision.RollOut(desired, in.progressDeadline().minus(elapsed), changes.list());
  }

  /** Back to the last revision that served, when automatic rollback is on and there is one. */
  private static Decision rolloutFailed(
      Input in, Revision desired, History history, String why, Changes changes) {
    Revision failed = changes.record(desired.failed("rollout failed: " + why));
    Optional<Revision> good = history.lastGood(failed.hash());
    if (in.autoRollback() && good.isPresent()) {
      return new Decision.RollBack(
          failed, good.get(), stalledReason(failed, good, true), changes.list());
    }
    return new Decision.Stalled(
        stalledReason(failed, Optional.of(failed), in.autoRollback()),
        failed,
        Optional.of(failed),
        changes.list());
  }

  private static Optional<String> failure(
      Observation seen, DeploymentProgress progress, Duration elapsed, Duration deadline) {
    if (!seen.troubles().isEmpty()) {
      PodTrouble first = seen.troubles().get(0);
      return Optional.of(first.message());
    }
    if (elapsed.compareTo(deadline) >= 0) {
      return Optional.of(
          "not available "
              + deadline.toSeconds()
              + " s after its rollout started ("
              + progress.readyReplicas()
              + " of "
              + progress.replicas()
              + " pods ready)");
    }
    if (progress.deadlineExceeded()) {
      return Optional.of(progress.deadlineMessage());
    }
    return Optional.empty();
  }

  /** What Stalled says: which revision failed and why, and which one runs instead. */
  static String stalledReason(Revision failed, Optional<Revision> runs, boolean autoRollback) {
    String text = "revision " + failed.number() + " failed: " + failed.reason();
    if (runs.isPresent() && !runs.get().hash().equals(failed.hash())) {
      return text + "; revision " + runs.get().number() + " is serving instead";
    }
    if (!autoRollback && runs.isPresent()) {
      return text + "; automatic rollback is off, so the Deployment stays on it";
    }
    return text + "; no revision has served yet, so there is none to go back to";
  }

  /** The revisions changed so far, one entry per revision, latest state. */
  static final class Changes {
    private final Map<Long, Revision> byNumber = new LinkedHashMap<>();

    Revision record(Revision revision) {
      byNumber.put(revision.number(), revision);
      return revision;
    }

    /** The revision as last recorded here, or as given when it did not change. */
    Revision latest(Revision revision) {
      return byNumber.getOrDefault(revision.number(), revision);
    }

    List<Revision> list() {
      return new ArrayList<>(byNumber.values());
    }
  }
}
