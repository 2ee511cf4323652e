package dev.maas.operator.decide;

import static dev.maas.operator.testing.TestRevisions.revision;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.api.status.RevisionPhase;
import dev.maas.operator.observe.DeploymentProgress;
import dev.maas.operator.observe.Observation;
import dev.maas.operator.observe.PodTrouble;
import dev.maas.operator.observe.PrepareJobState;
import dev.maas.operator.observe.StorageClaimState;
import dev.maas.operator.revision.DesiredRevision;
import dev.maas.operator.revision.History;
import dev.maas.operator.revision.PrepareOutcome;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.revision.RuntimeTemplate;
import dev.maas.operator.testing.TestModelDeployments;
import dev.maas.operator.testing.TestRevisions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every branch of the rollout decision, without a server: one situation, one expected outcome. */
class RolloutDecisionTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final Duration DEADLINE = Duration.ofSeconds(600);

  private static final Revision GOOD = revision(1, "runtime:1", RevisionPhase.Serving);
  private static final Revision NEXT = revision(2, "runtime:2", RevisionPhase.Pending);

  private static Observation at(Revision revision, boolean rolledOut, PodTrouble... troubles) {
    return new Observation(
        Optional.of(
            new DeploymentProgress(
                revision.hash(), rolledOut, false, null, 2, rolledOut ? 2 : 1, 2)),
        List.of(troubles),
        new PrepareJobState.Absent(),
        NOW);
  }

  private static Decision decide(Revision desired, History history, Observation seen) {
    return decide(desired, history, seen, true, false);
  }

  private static Decision decide(
      Revision desired, History history, Observation seen, boolean autoRollback, boolean fresh) {
    return RolloutDecision.decide(
        new RolloutDecision.Input(
            new DesiredRevision(desired, false, 0),
            history,
            seen,
            autoRollback,
            DEADLINE,
            fresh ? Optional.empty() : Optional.of(desired.number())));
  }

  private static Revision changed(Decision decision, long number) {
    return decision.changes().stream().filter(r -> r.number() == number).findFirst().orElseThrow();
  }

  @Test
  void aNewRevisionWithoutCompressionRollsOutAndItsDeadlineStartsNow() {
    Decision d = decide(NEXT, new History(List.of(GOOD, NEXT)), at(GOOD, true));
    assertThat(d).isInstanceOf(Decision.RollOut.class);
    assertThat(d.deploymentRevision()).hasValueSatisfying(r -> assertThat(r.number()).isEqualTo(2));
    Revision next = changed(d, 2);
    assertThat(next.phase()).isEqualTo(RevisionPhase.RollingOut);
    assertThat(next.rolloutStartedAt()).isEqualTo(NOW);
    assertThat(((Decision.RollOut) d).deadlineIn()).isEqualTo(DEADLINE);
  }

  @Test
  void theFirstRevisionRollsOutWithNoDeploymentYet() {
    Revision first = revision(1, "runtime:1", RevisionPhase.Pending);
    Observation nothing =
        new Observation(Optional.empty(), List.of(), new PrepareJobState.Absent(), NOW);
    Decision d = decide(first, new History(List.of(first)), nothing);
    assertThat(d).isInstanceOf(Decision.RollOut.class);
  }

  @Test
  void aRolloutInProgressKeepsGoingWithTheTimeLeft() {
    Revision rolling = NEXT.rollingOut(NOW.minusSeconds(100));
    Decision d = decide(rolling, new History(List.of(GOOD, rolling)), at(rolling, false));
    assertThat(d).isInstanceOf(Decision.RollOut.class);
    assertThat(((Decision.RollOut) d).deadlineIn()).isEqualTo(Duration.ofSeconds(500));
    assertThat(d.changes()).as("nothing new to record").isEmpty();
  }

  @Test
  void aCompleteRolloutServesAndSupersedesThePreviousRevision() {
    Revision rolling = NEXT.rollingOut(NOW.minusSeconds(100));
    Decision d = decide(rolling, new History(List.of(GOOD, rolling)), at(rolling, true));
    assertThat(d).isInstanceOf(Decision.Serving.class);
    assertThat(changed(d, 2).phase()).isEqualTo(RevisionPhase.Serving);
    assertThat(changed(d, 2).servedAt()).isEqualTo(NOW);
    assertThat(changed(d, 1).phase()).isEqualTo(RevisionPhase.Superseded);
  }

  @Test
  void aRevisionReplacedBeforeItServedIsSupersededNotLeftRollingOut() {
    Revision rolling = NEXT.rollingOut(NOW.minusSeconds(100));
    Revision third = revision(3, "runtime:3", RevisionPhase.Pending);
    Decision d = decide(third, new History(List.of(GOOD, rolling, third)), at(rolling, false));
    assertThat(d).isInstanceOf(Decision.RollOut.class);
    Revision replaced = changed(d, 2);
    assertThat(replaced.phase()).isEqualTo(RevisionPhase.Superseded);
    assertThat(replaced.reason()).isEqualTo("replaced by revision 3 before it served");
    assertThat(d.changes()).extracting(Revision::number).doesNotContain(1L);
  }

  @Test
  void aServingRevisionWhoseDeploymentIsGoneIsRestoredNotRolledOutAgain() {
    Revision serving = GOOD.serving(NOW.minusSeconds(3600));
    Observation noDeployment =
        new Observation(Optional.empty(), List.of(), new PrepareJobState.Absent(), NOW);
    Decision d = decide(serving, new History(List.of(serving)), noDeployment);
    assertThat(d).isInstanceOf(Decision.Serving.class);
    assertThat(d.deploymentRevision()).contains(serving);
    assertThat(d.changes()).as("no new rollout, no deadline to fail").isEmpty();
  }

  @Test
  void aServingRevisionWhosePodsComeAndGoStillServes() {
    Decision d = decide(GOOD, new History(List.of(GOOD)), at(GOOD, false));
    assertThat(d).isInstanceOf(Decision.Serving.class);
    assertThat(d.changes()).isEmpty();
  }

  @Test
  void crashLoopingPodsRollBackBeforeTheDeadline() {
    Revision rolling = NEXT.rollingOut(NOW.minusSeconds(30));
    PodTrouble crash =
        new PodTrouble(
            "digits-2-abc",
            "CrashLoopBackOff",
            "pod digits-2-abc container runtime: CrashLoopBackOff (exit 2: cannot load model)");
    Decision d = decide(rolling, new History(List.of(GOOD, rolling)), at(rolling, false, crash));
    assertThat(d).isInstanceOf(Decision.RollBack.class);
    Decision.RollBack rollBack = (Decision.RollBack) d;
    assertThat(rollBack.restored().number()).isEqualTo(1);
    assertThat(d.deploymentRevision()).hasValueSatisfying(r -> assertThat(r.number()).isEqualTo(1));
    assertThat(changed(d, 2).phase()).isEqualTo(RevisionPhase.Failed);
    assertThat(changed(d, 2).reason()).contains("CrashLoopBackOff").contains("cannot load model");
    assertThat(rollBack.reason())
        .startsWith("revision 2 failed: rollout failed: pod digits-2-abc")
        .endsWith("revision 1 is serving instead");
  }

  @Test
  void aRolloutPastItsDeadlineRollsBackEvenIfReadinessCameAndWent() {
    Revision rolling = NEXT.rollingOut(NOW.minus(DEADLINE).minusSeconds(1));
    Decision d = decide(rolling, new History(List.of(GOOD, rolling)), at(rolling, false));
    assertThat(d).isInstanceOf(Decision.RollBack.class);
    assertThat(changed(d, 2).reason())
        .isEqualTo(
            "rollout failed: not available 600 s after its rollout started (1 of 2 pods ready)");
  }

  @Test
  void withAutomaticRollbackOffAFailedRolloutStallsOnTheFailedRevision() {
    Revision rolling = NEXT.rollingOut(NOW.minus(DEADLINE));
    Decision d =
        decide(rolling, new History(List.of(GOOD, rolling)), at(rolling, false), false, false);
    assertThat(d).isInstanceOf(Decision.Stalled.class);
    assertThat(d.deploymentRevision()).hasValueSatisfying(r -> assertThat(r.number()).isEqualTo(2));
    assertThat(((Decision.Stalled) d).reason())
        .endsWith("automatic rollback is off, so the Deployment stays on it");
  }

  @Test
  void aFailedRevisionStaysFailedWhileTheSpecStillAsksForIt() {
    Revision failed = NEXT.rollingOut(NOW.minusSeconds(900)).failed("rollout failed: crash");
    Decision d = decide(failed, new History(List.of(GOOD, failed)), at(GOOD, true));
    assertThat(d).isInstanceOf(Decision.Stalled.class);
    assertThat(d.deploymentRevision()).hasValueSatisfying(r -> assertThat(r.number()).isEqualTo(1));
    assertThat(d.changes()).isEmpty();
  }

  @Test
  void aRollbackThatHasNotLandedYetIsAppliedAgain() {
    Revision failed = NEXT.rollingOut(NOW.minusSeconds(900)).failed("rollout failed: crash");
    Decision d = decide(failed, new History(List.of(GOOD, failed)), at(failed, false));
    assertThat(d.deploymentRevision()).hasValueSatisfying(r -> assertThat(r.number()).isEqualTo(1));
  }

  @Test
  void aFailedRevisionAskedForAgainAfterAnotherGetsAFreshAttempt() {
    Revision failed = NEXT.rollingOut(NOW.minusSeconds(900)).failed("rollout failed: crash");
    Decision d = decide(failed, new History(List.of(GOOD, failed)), at(GOOD, true), true, true);
    assertThat(d).isInstanceOf(Decision.RollOut.class);
    assertThat(changed(d, 2).phase()).isEqualTo(RevisionPhase.RollingOut);
    assertThat(changed(d, 2).reason()).isNull();
  }

  @Test
  void theFirstRevisionFailingHasNothingToGoBackTo() {
    Revision first =
        revision(1, "runtime:1", RevisionPhase.Pending).rollingOut(NOW.minusSeconds(10));
    PodTrouble pull =
        new PodTrouble("p", "ImagePullBackOff", "pod p container runtime: ImagePullBackOff");
    Decision d = decide(first, new History(List.of(first)), at(first, false, pull));
    assertThat(d).isInstanceOf(Decision.Stalled.class);
    assertThat(((Decision.Stalled) d).reason())
        .isEqualTo(
            "revision 1 failed: rollout failed: pod p container runtime: ImagePullBackOff; no"
                + " revision has served yet, so there is none to go back to");
  }

  // Preparation: a revision with compression.

  private static Revision compressed(long number, RevisionPhase phase) {
    var resolved = TestRevisions.resolve(TestModelDeployments.everything());
    RuntimeTemplate template = TestRevisions.withImage(resolved.template(), "runtime:" + number);
    return Revision.first(number, "h" + number, template, resolved.revisionSpec())
        .withPhase(phase, null);
  }

  /**
   * The same artifact inputs (image, source, compression) with other batching: another revision.
   */
  private static RuntimeTemplate otherBatching(RuntimeTemplate t) {
    return new RuntimeTemplate(
        t.image(),
        t.servedName(),
        t.source(),
        t.inputs(),
        t.compression(),
        t.storageClaim(),
        new RuntimeTemplate.Batching(8, 1, 64),
        t.resources(),
        t.placement(),
        t.env(),
        t.lifecycle());
  }

  private static Observation job(PrepareJobState state) {
    return new Observation(
        Optional.of(new DeploymentProgress(GOOD.hash(), true, false, null, 2, 2, 2)),
        List.of(),
        state,
        NOW);
  }

  @Test
  void anUnpreparedRevisionPreparesWhileTheServingOneKeepsServing() {
    Revision c = compressed(2, RevisionPhase.Pending);
    Decision d = decide(c, new History(List.of(GOOD, c)), job(new PrepareJobState.Absent()));
    assertThat(d).isInstanceOf(Decision.Prepare.class);
    assertThat(d.deploymentRevision()).hasValueSatisfying(r -> assertThat(r.number()).isEqualTo(1));
    assertThat(changed(d, 2).phase()).isEqualTo(RevisionPhase.Preparing);

    Revision preparing = c.preparing();
    Decision running =
        decide(
            preparing,
            new History(List.of(GOOD, preparing)),
            job(new PrepareJobState.Running("j")));
    assertThat(running).isInstanceOf(Decision.Prepare.class);
    assertThat(running.changes()).isEmpty();
  }

  @Test
  void aSucceededJobsReportIsKeptAndTheRolloutStartsAtOnce() {
    Revision c = compressed(2, RevisionPhase.Preparing);
    PrepareOutcome ok = TestRevisions.preparedPackage("packages/k.maas.zip", "cafe");
    Decision d =
        decide(c, new History(List.of(GOOD, c)), job(new PrepareJobState.Finished("j", ok)));
    assertThat(d).isInstanceOf(Decision.RollOut.class);
    assertThat(changed(d, 2).prepare()).isEqualTo(ok);
    assertThat(changed(d, 2).rolloutStartedAt()).as("the deadline counts from now").isEqualTo(NOW);
  }

  @Test
  void aRejectedResultFailsTheRevisionAndTheServingOneStays() {
    Revision c = compressed(2, RevisionPhase.Preparing);
    Decision d =
        decide(
            c,
            new History(List.of(GOOD, c)),
            job(new PrepareJobState.Finished("j", TestRevisions.rejected())));
    assertThat(d).isInstanceOf(Decision.Stalled.class);
    assertThat(d.deploymentRevision()).hasValueSatisfying(r -> assertThat(r.number()).isEqualTo(1));
    assertThat(changed(d, 2).phase()).isEqualTo(RevisionPhase.Failed);
    assertThat(changed(d, 2).reason())
        .isEqualTo(
            "compression rejected (exit 3): max output error 0.31 is above the threshold 0.05"
                + " [max output error 0.3100, top-1 agreement 0.9100]");
  }

  @Test
  void aRevisionThatPreparedTheSameArtifactLendsItsPackageAndNoJobRuns() {
    PrepareOutcome ok = TestRevisions.preparedPackage("packages/k.maas.zip", "cafe");
    Revision earlier =
        compressed(1, RevisionPhase.Serving).prepared(ok).serving(NOW.minusSeconds(60));
    Revision c = compressed(2, RevisionPhase.Pending);
    // Same artifact inputs (image, source, compression), different batching: another revision.
    RuntimeTemplate batched = otherBatching(earlier.template());
    Revision sibling =
        new Revision(2, "h2b", batched, c.spec(), RevisionPhase.Pending, null, null, null, null);
    Decision d =
        decide(
            sibling,
            new History(List.of(earlier, sibling)),
            new Observation(
                Optional.of(new DeploymentProgress(earlier.hash(), true, false, null, 2, 2, 2)),
                List.of(),
                new PrepareJobState.Absent(),
                NOW));
    assertThat(d).isInstanceOf(Decision.RollOut.class);
    assertThat(changed(d, 2).prepare()).isEqualTo(ok);
  }

  // A prepared package lost with its claim.

  private static final StorageClaimState NEW_CLAIM =
      new StorageClaimState("digits-models", "uid-new", NOW.minusSeconds(30), false);

  private static Revision servingOnClaim(String claimUid) {
    PrepareOutcome ok =
        TestRevisions.preparedPackage("packages/k.maas.zip", "cafe").onClaim(claimUid);
    return compressed(1, RevisionPhase.Pending).prepared(ok).serving(NOW.minusSeconds(3600));
  }

  private static Observation onClaim(
      Revision deployed, Optional<StorageClaimState> claim, PrepareJobState job) {
    return new Observation(
        Optional.of(new DeploymentProgress(deployed.hash(), true, false, null, 2, 2, 2)),
        List.of(),
        job,
        NOW,
        List.of(),
        claim);
  }

  @Test
  void aServingRevisionWhosePackageWentWithItsClaimIsPreparedAgainAndKeepsServing() {
    Revision serving = servingOnClaim("uid-old");
    Decision d =
        decide(
            serving,
            new History(List.of(serving)),
            onClaim(serving, Optional.of(NEW_CLAIM), new PrepareJobState.Absent()));
    assertThat(d).isInstanceOf(Decision.RestorePackage.class);
    assertThat(d.prepareRevision()).contains(serving);
    assertThat(d.deploymentRevision()).as("the Deployment stays as it is").contains(serving);
    assertThat(d.changes()).as("its record says serving still").isEmpty();
  }

  @Test
  void whileTheClaimIsNotThereAgainNoJobIsStarted() {
    Revision serving = servingOnClaim("uid-old");
    Decision d =
        decide(
            serving,
            new History(List.of(serving)),
            onClaim(serving, Optional.empty(), new PrepareJobState.Absent()));
    assertThat(d).isInstanceOf(Decision.RestorePackage.class);
    assertThat(((Decision.RestorePackage) d).claimReady()).isFalse();
    assertThat(d.prepareRevision()).isEmpty();
  }

  @Test
  void aJobThatWroteToTheOldClaimIsNotTakenForTheRestore() {
    Revision serving = servingOnClaim("uid-old");
    Decision d =
        decide(
            serving,
            new History(List.of(serving)),
            onClaim(serving, Optional.of(NEW_CLAIM), new PrepareJobState.Stale("j")));
    assertThat(d).isInstanceOf(Decision.RestorePackage.class);
    assertThat(d.changes()).isEmpty();
  }

  @Test
  void thePackagePreparedAgainIsRecordedOnTheNewClaimAndTheRevisionStillServes() {
    Revision serving = servingOnClaim("uid-old");
    PrepareOutcome again = TestRevisions.preparedPackage("packages/k.maas.zip", "cafe");
    Decision d =
        decide(
            serving,
            new History(List.of(serving)),
            onClaim(serving, Optional.of(NEW_CLAIM), new PrepareJobState.Finished("j", again)));
    assertThat(d).isInstanceOf(Decision.Serving.class);
    Revision restored = changed(d, 1);
    assertThat(restored.phase()).isEqualTo(RevisionPhase.Serving);
    assertThat(restored.prepare().claimUid()).isEqualTo("uid-new");
    assertThat(restored.servedAt()).isEqualTo(serving.servedAt());
  }

  @Test
  void aFailedRestoreStallsWhileTheRevisionKeepsServing() {
    Revision serving = servingOnClaim("uid-old");
    Decision d =
        decide(
            serving,
            new History(List.of(serving)),
            onClaim(
                serving,
                Optional.of(NEW_CLAIM),
                new PrepareJobState.Finished("j", TestRevisions.rejected())));
    assertThat(d).isInstanceOf(Decision.RestorePackage.class);
    assertThat(((Decision.RestorePackage) d).failedAttempt()).isPresent();
    assertThat(d.deploymentRevision()).contains(serving);
  }

  @Test
  void aPackageOnTheClaimThereNowIsNotRestored() {
    Revision serving = servingOnClaim("uid-new");
    Decision d =
        decide(
            serving,
            new History(List.of(serving)),
            onClaim(serving, Optional.of(NEW_CLAIM), new PrepareJobState.Absent()));
    assertThat(d).isInstanceOf(Decision.Serving.class);
  }

  @Test
  void aRevisionWhosePackageIsGoneLendsNothing() {
    Revision earlier = servingOnClaim("uid-old");
    Revision c = compressed(2, RevisionPhase.Pending);
    RuntimeTemplate batched = otherBatching(earlier.template());
    Revision sibling =
        new Revision(2, "h2b", batched, c.spec(), RevisionPhase.Pending, null, null, null, null);
    Decision d =
        decide(
            sibling,
            new History(List.of(earlier, sibling)),
            onClaim(earlier, Optional.of(NEW_CLAIM), new PrepareJobState.Absent()));
    assertThat(d).isInstanceOf(Decision.Prepare.class);
    assertThat(changed(d, 2).prepare()).isNull();
  }

  @Test
  void aPreparedPackageIsRecordedWithTheClaimItWasWrittenTo() {
    Revision c = compressed(2, RevisionPhase.Preparing);
    PrepareOutcome ok = TestRevisions.preparedPackage("packages/k.maas.zip", "cafe");
    StorageClaimState claim =
        new StorageClaimState(c.template().storageClaim(), "uid-1", NOW.minusSeconds(99), false);
    Decision d =
        decide(
            c,
            new History(List.of(GOOD, c)),
            onClaim(GOOD, Optional.of(claim), new PrepareJobState.Finished("j", ok)));
    assertThat(changed(d, 2).prepare().claimUid()).isEqualTo("uid-1");
  }
}
