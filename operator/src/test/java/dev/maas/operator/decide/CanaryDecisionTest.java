package dev.maas.operator.decide;

import static dev.maas.operator.testing.TestRevisions.revision;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.api.status.CanaryCheck;
import dev.maas.operator.api.status.CanaryPhase;
import dev.maas.operator.api.status.RevisionPhase;
import dev.maas.operator.api.status.RolloutStatus;
import dev.maas.operator.api.status.ShadowPodCounts;
import dev.maas.operator.api.status.ShadowStatus;
import dev.maas.operator.canary.CanaryEvidence;
import dev.maas.operator.canary.CanarySettings;
import dev.maas.operator.observe.CanaryView;
import dev.maas.operator.observe.DeploymentProgress;
import dev.maas.operator.observe.Observation;
import dev.maas.operator.observe.PodTrouble;
import dev.maas.operator.observe.PrepareJobState;
import dev.maas.operator.observe.RoutedService;
import dev.maas.operator.observe.RuntimePod;
import dev.maas.operator.revision.DesiredRevision;
import dev.maas.operator.revision.History;
import dev.maas.operator.revision.Revision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every branch of the canary decision: one situation, one outcome. */
class CanaryDecisionTest {
  private static final Instant START = Instant.parse("2026-12-01T12:00:00Z");
  private static final Duration DEADLINE = Duration.ofSeconds(600);
  private static final Revision STABLE = revision(1, "runtime:1", RevisionPhase.Serving);
  private static final Revision CANDIDATE = revision(2, "runtime:2", RevisionPhase.Prepared);
  private static final CanarySettings SETTINGS =
      new CanarySettings(
          20,
          100,
          0.95,
          Optional.of(0.5),
          List.of(
              new CanarySettings.Step(10, Duration.ofSeconds(60)),
              new CanarySettings.Step(50, Duration.ofSeconds(120))),
          Duration.ofSeconds(15),
          2,
          0.01,
          1.5,
          Optional.empty());

  private static final RuntimePod SHADOW_POD =
      new RuntimePod("digits-canary-a", "10.0.0.9", true, false, false);
  private static final RuntimePod LIVE_POD =
      new RuntimePod("digits-canary-a", "10.0.0.9", true, true, true);
  private static final List<RuntimePod> STABLE_PODS =
      List.of(
          new RuntimePod("digits-a", "10.0.0.1", true, true, false),
          new RuntimePod("digits-b", "10.0.0.2", true, true, false));

  // ---- the shadow step

  @Test
  void aNewCandidateStartsInShadowWithOnePodThatServesNoOne() {
    Decision d = decide(Optional.empty(), view(), CanaryEvidence.NONE, START, Optional.empty());

    Decision.Shadow shadow = (Decision.Shadow) d;
    assertThat(shadow.deploymentRevision()).contains(STABLE);
    assertThat(shadow.plan().replicas()).isEqualTo(1);
    assertThat(shadow.plan().goLive()).isEmpty();
    assertThat(shadow.mirror().targets()).isEmpty();
    assertThat(shadow.state().phase()).isEqualTo(CanaryPhase.Shadow);
    assertThat(shadow.state().startedAt()).isEqualTo(START.toString());
    assertThat(changed(d, 2).phase()).isEqualTo(RevisionPhase.RollingOut);
  }

  @Test
  void theServingPodsMirrorToTheCandidatesReadyPodsUntilEnoughSamples() {
    Decision d =
        decide(
            Optional.of(shadowState(List.of())),
            view(SHADOW_POD),
            shadowEvidence(40, 40, 40, 0.01),
            START.plusSeconds(30),
            Optional.empty());

    Decision.Shadow shadow = (Decision.Shadow) d;
    assertThat(shadow.mirror().targets()).containsExactly("http://10.0.0.9:8080");
    assertThat(shadow.mirror().samplePercent()).isEqualTo(20);
    assertThat(shadow.mirror().candidate()).isEqualTo("2");
    assertThat(shadow.state().shadow().samples()).isEqualTo(40);
    assertThat(shadow.state().message()).isEqualTo("shadow: 40 of 100 samples compared");

    Decision.Shadow overTls =
        (Decision.Shadow)
            decide(
                Optional.of(shadowState(List.of())),
                view(SHADOW_POD).withScheme("https"),
                shadowEvidence(40, 40, 40, 0.01),
                START.plusSeconds(30),
                Optional.empty());
    assertThat(overTls.mirror().targets())
        .as("pods that serve TLS are mirrored to over it")
        .containsExactly("https://10.0.0.9:8080");
  }

  @Test
  void aShadowComparisonThatAgreesMovesToTheFirstLiveStep() {
    Decision d =
        decide(
            Optional.of(shadowState(List.of())),
            view(SHADOW_POD),
            shadowEvidence(120, 240, 238, 0.02),
            START.plusSeconds(60),
            Optional.empty());

    Decision.CanaryStep step = (Decision.CanaryStep) d;
    assertThat(step.step()).isEqualTo(1);
    assertThat(step.weight()).isEqualTo(10);
    // One candidate pod beside two stable ones: the nearest share to 10% there is.
    assertThat(step.plan().replicas()).isEqualTo(1);
    assertThat(step.plan().goLive()).containsExactly("digits-canary-a");
    assertThat(step.state().checks())
        .extracting(CanaryCheck::name, CanaryCheck::verdict)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("top1Agreement", "Pass"),
            org.assertj.core.groups.Tuple.tuple("maxOutputError", "Pass"));
  }

  @Test
  void aCandidateThatDisagreesIsAbortedInShadowAndNeverServed() {
    Decision d =
        decide(
            Optional.of(shadowState(List.of())),
            view(SHADOW_POD),
            shadowEvidence(120, 240, 30, 3.2),
            START.plusSeconds(60),
            Optional.empty());

    Decision.Abort abort = (Decision.Abort) d;
    assertThat(abort.deploymentRevision()).contains(STABLE);
    assertThat(abort.canary()).isEmpty();
    assertThat(abort.state().phase()).isEqualTo(CanaryPhase.Aborted);
    Revision failed = changed(d, 2);
    assertThat(failed.phase()).isEqualTo(RevisionPhase.Failed);
    assertThat(failed.reason())
        .startsWith("canary aborted at the shadow step: the shadow comparison failed over 120")
        .contains("top1Agreement 0.125 < 0.95");
    assertThat(failed.canary().outcome()).isEqualTo("Aborted");
    assertThat(failed.canary().shadow().top1Agreement()).isEqualTo(0.125);
  }

  @Test
  void anOutputErrorAboveItsBoundAbortsEvenWhenTheClassesAgree() {
    Decision d =
        decide(
            Optional.of(shadowState(List.of())),
            view(SHADOW_POD),
            shadowEvidence(120, 240, 240, 0.9),
            START.plusSeconds(60),
            Optional.empty());

    assertThat(d).isInstanceOf(Decision.Abort.class);
    assertThat(changed(d, 2).reason()).contains("maxOutputError 0.9 > 0.5");
  }

  // ---- live steps

  @Test
  void aStepHoldsItsPauseEvenWhenChecksPass() {
    Decision d =
        decide(
            Optional.of(stepState(1, START, 0, false)),
            view(LIVE_POD),
            checks(pass("errorRate", 0.0), pass("latencyP99Ratio", 1.1)),
            START.plusSeconds(30),
            Optional.empty());

    Decision.CanaryStep step = (Decision.CanaryStep) d;
    assertThat(step.step()).isEqualTo(1);
    assertThat(step.state().stepPassed()).isTrue();
    assertThat(step.state().liveWeight()).isEqualTo(33);
    assertThat(step.recheckAfter()).contains(Duration.ofSeconds(15));
  }

  @Test
  void aStepWhosePauseIsOverAndACheckPassedMovesOn() {
    Decision d =
        decide(
            Optional.of(stepState(1, START, 0, true)),
            view(LIVE_POD),
            CanaryEvidence.NONE,
            START.plusSeconds(61),
            Optional.empty());

    Decision.CanaryStep step = (Decision.CanaryStep) d;
    assertThat(step.step()).isEqualTo(2);
    assertThat(step.weight()).isEqualTo(50);
    assertThat(step.plan().replicas()).isEqualTo(2);
    assertThat(step.state().stepPassed()).isFalse();
  }

  @Test
  void aStepWithoutAPassingCheckWaitsPastItsPause() {
    Decision d =
        decide(
            Optional.of(stepState(1, START, 0, false)),
            view(LIVE_POD),
            checks(inconclusive("errorRate"), inconclusive("latencyP99Ratio")),
            START.plusSeconds(90),
            Optional.empty());

    Decision.CanaryStep step = (Decision.CanaryStep) d;
    assertThat(step.step()).isEqualTo(1);
    assertThat(step.state().message()).endsWith("waiting for a check to pass");
  }

  @Test
  void failedChecksUpToTheLimitAreTolerated() {
    Decision d =
        decide(
            Optional.of(stepState(1, START, 1, false)),
            view(LIVE_POD),
            checks(fail("errorRate", 0.2), pass("latencyP99Ratio", 1.0)),
            START.plusSeconds(30),
            Optional.empty());

    Decision.CanaryStep step = (Decision.CanaryStep) d;
    assertThat(step.state().failedChecks()).isEqualTo(2);
    assertThat(step.state().stepPassed()).isFalse();
  }

  @Test
  void oneFailedCheckBeyondTheLimitAborts() {
    Decision d =
        decide(
            Optional.of(stepState(1, START, 2, true)),
            view(LIVE_POD),
            checks(fail("errorRate", 0.2), pass("latencyP99Ratio", 1.0)),
            START.plusSeconds(30),
            Optional.empty());

    Decision.Abort abort = (Decision.Abort) d;
    assertThat(abort.deploymentRevision()).contains(STABLE);
    assertThat(changed(d, 2).reason())
        .isEqualTo(
            "canary aborted at step 1: 3 failed checks (failureLimit 2) at step 1, the last:"
                + " errorRate 0.2 > 0.01 (Fail, 20 of 100 requests)");
  }

  @Test
  void afterTheLastStepTheServingDeploymentMovesToTheCandidate() {
    Decision d =
        decide(
            Optional.of(stepState(2, START, 0, true)),
            view(LIVE_POD, LIVE_POD),
            CanaryEvidence.NONE,
            START.plusSeconds(121),
            Optional.empty());

    Decision.Promote promote = (Decision.Promote) d;
    assertThat(promote.finished()).isFalse();
    assertThat(promote.deploymentRevision().map(Revision::number)).contains(2L);
    assertThat(promote.canary()).isPresent();
    assertThat(promote.state().phase()).isEqualTo(CanaryPhase.Promoting);
  }

  @Test
  void aPromotionEndsWhenTheServingDeploymentHasRolledOut() {
    RolloutStatus promoting = withPhase(stepState(2, START, 0, true), CanaryPhase.Promoting);
    Observation seen =
        new Observation(
                Optional.of(new DeploymentProgress(CANDIDATE.hash(), true, false, null, 2, 2, 2)),
                List.of(),
                new PrepareJobState.Absent(),
                START.plusSeconds(200))
            .withCanary(view(LIVE_POD));

    Decision d = decideWith(Optional.of(promoting), seen, CanaryEvidence.NONE, Optional.empty());

    Decision.Promote promote = (Decision.Promote) d;
    assertThat(promote.finished()).isTrue();
    assertThat(promote.canary()).isEmpty();
    assertThat(promote.state().phase()).isEqualTo(CanaryPhase.Promoted);
    assertThat(changed(d, 2).phase()).isEqualTo(RevisionPhase.Serving);
    assertThat(changed(d, 2).canary().outcome()).isEqualTo("Promoted");
    assertThat(changed(d, 1).phase()).isEqualTo(RevisionPhase.Superseded);
  }

  // ---- what ends a canary whatever its step

  @Test
  void aCandidatePodThatWillNotStartAbortsTheCanary() {
    Observation seen =
        new Observation(
                Optional.of(new DeploymentProgress(STABLE.hash(), true, false, null, 2, 2, 2)),
                List.of(new PodTrouble("digits-canary-a", "CrashLoopBackOff", "model not found")),
                new PrepareJobState.Absent(),
                START.plusSeconds(20))
            .withCanary(view(SHADOW_POD));

    Decision d =
        decideWith(
            Optional.of(shadowState(List.of())), seen, CanaryEvidence.NONE, Optional.empty());

    assertThat(d).isInstanceOf(Decision.Abort.class);
    assertThat(changed(d, 2).reason()).contains("model not found");
  }

  @Test
  void aCanaryLongerThanTheDeadlinePlusItsPausesIsAborted() {
    Decision d =
        decide(
            Optional.of(shadowState(List.of())),
            view(),
            CanaryEvidence.NONE,
            START.plusSeconds(600 + 180),
            Optional.empty());

    assertThat(d).isInstanceOf(Decision.Abort.class);
    assertThat(changed(d, 2).reason()).contains("did not finish within 780 s");
  }

  @Test
  void kubectlMaasAbortEndsItAtOnce() {
    Decision d =
        decide(
            Optional.of(stepState(1, START, 0, false)),
            view(LIVE_POD),
            CanaryEvidence.NONE,
            START.plusSeconds(10),
            Optional.of("abort@1"));

    Decision.Abort abort = (Decision.Abort) d;
    assertThat(abort.state().handledCommand()).isEqualTo("abort@1");
    assertThat(changed(d, 2).reason()).contains("aborted by hand (kubectl maas abort)");
  }

  @Test
  void kubectlMaasPromoteEndsTheCurrentStepAndFullSkipsTheRest() {
    Decision next =
        decide(
            Optional.of(stepState(1, START, 0, false)),
            view(LIVE_POD),
            CanaryEvidence.NONE,
            START.plusSeconds(10),
            Optional.of("promote@1"));
    Decision full =
        decide(
            Optional.of(shadowState(List.of())),
            view(SHADOW_POD),
            CanaryEvidence.NONE,
            START.plusSeconds(10),
            Optional.of("promote-full@2"));

    assertThat(((Decision.CanaryStep) next).step()).isEqualTo(2);
    assertThat(((Decision.CanaryStep) next).state().handledCommand()).isEqualTo("promote@1");
    assertThat(full).isInstanceOf(Decision.Promote.class);
  }

  @Test
  void aCommandAlreadyActedOnIsNotActedOnAgain() {
    RolloutStatus handled = withCommand(stepState(1, START, 0, false), "abort@1");

    Decision d =
        decide(
            Optional.of(handled),
            view(LIVE_POD),
            CanaryEvidence.NONE,
            START.plusSeconds(10),
            Optional.of("abort@1"));

    assertThat(d).isInstanceOf(Decision.CanaryStep.class);
  }

  @Test
  void theFirstRevisionHasNothingToBeComparedWithAndRollsOut() {
    Revision first = revision(1, "runtime:1", RevisionPhase.Pending);
    Decision d =
        RolloutDecision.decide(
            new RolloutDecision.Input(
                new DesiredRevision(first, false, 0),
                new History(List.of(first)),
                new Observation(Optional.empty(), List.of(), new PrepareJobState.Absent(), START),
                true,
                DEADLINE,
                Optional.empty(),
                Optional.of(SETTINGS),
                Optional.empty(),
                CanaryEvidence.NONE,
                Optional.empty()));

    assertThat(d).isInstanceOf(Decision.RollOut.class);
  }

  // ---- weighed by an HTTPRoute

  @Test
  void throughARouteTheShadowStepPinsTheServiceToTheServingRevisionAndTheRouteNamesNoCandidate() {
    Decision d =
        decide(
            Optional.of(shadowState(List.of())),
            routed(view(SHADOW_POD)),
            shadowEvidence(40, 40, 40, 0.01),
            START.plusSeconds(30),
            Optional.empty());

    CanaryPlan plan = ((Decision.Shadow) d).plan();
    assertThat(plan.routed()).contains(new CanaryPlan.Routed(0, Optional.of(1L)));
  }

  @Test
  void throughARouteAStepGivesTheRouteItsWeightOnceACandidatePodIsLive() {
    Decision d =
        decide(
            Optional.of(stepState(1, START, 0, false)),
            routed(view(LIVE_POD)),
            CanaryEvidence.NONE,
            START.plusSeconds(5),
            Optional.empty());

    Decision.CanaryStep step = (Decision.CanaryStep) d;
    assertThat(step.plan().routed()).contains(new CanaryPlan.Routed(10, Optional.of(1L)));
    // The route's share is exact: 10% of 2 serving pods' traffic needs one candidate pod.
    assertThat(step.plan().replicas()).isEqualTo(1);
    assertThat(step.state().liveWeight()).isEqualTo(10);
    assertThat(step.state().message()).contains("HTTPRoute models: 10% to 1 ready candidate pods");
  }

  @Test
  void throughARouteAStepWithoutALiveCandidatePodGivesItNothingYet() {
    Decision d =
        decide(
            Optional.of(stepState(1, START, 0, false)),
            routed(view(SHADOW_POD)),
            CanaryEvidence.NONE,
            START.plusSeconds(5),
            Optional.empty());

    Decision.CanaryStep step = (Decision.CanaryStep) d;
    assertThat(step.plan().routed()).contains(new CanaryPlan.Routed(0, Optional.of(1L)));
    assertThat(step.plan().goLive()).containsExactly("digits-canary-a");
    assertThat(step.state().liveWeight()).isZero();
  }

  @Test
  void throughARouteTheCandidateHasAsManyPodsAsItsShareOfTheServingPodsNeeds() {
    CanaryView eight =
        new CanaryView(Optional.empty(), List.of(LIVE_POD), STABLE_PODS, 8)
            .withRoute(Optional.of(new RoutedService("models", 10)));
    Decision d =
        decide(
            Optional.of(stepState(2, START, 0, false)),
            eight,
            CanaryEvidence.NONE,
            START.plusSeconds(5),
            Optional.empty());

    // ceil(50% of 8) = 4; by pod share it would be 8.
    assertThat(((Decision.CanaryStep) d).plan().replicas()).isEqualTo(4);
  }

  @Test
  void throughARoutePromotingHandsTheWholeServiceTheRoutesTrafficAndDropsTheCandidatesBackend() {
    Decision d =
        decide(
            Optional.of(stepState(2, START, 0, true)),
            routed(view(LIVE_POD, LIVE_POD)),
            CanaryEvidence.NONE,
            START.plusSeconds(121),
            Optional.empty());

    Decision.Promote promote = (Decision.Promote) d;
    assertThat(promote.canary().flatMap(CanaryPlan::routed))
        .contains(new CanaryPlan.Routed(0, Optional.empty()));
  }

  // ---- helpers

  private static Decision decide(
      Optional<RolloutStatus> previous,
      CanaryView view,
      CanaryEvidence evidence,
      Instant now,
      Optional<String> command) {
    Observation seen =
        new Observation(
                Optional.of(new DeploymentProgress(STABLE.hash(), true, false, null, 2, 2, 2)),
                List.of(),
                new PrepareJobState.Absent(),
                now)
            .withCanary(view);
    return decideWith(previous, seen, evidence, command);
  }

  private static Decision decideWith(
      Optional<RolloutStatus> previous,
      Observation seen,
      CanaryEvidence evidence,
      Optional<String> command) {
    return RolloutDecision.decide(
        new RolloutDecision.Input(
            new DesiredRevision(CANDIDATE, false, 0),
            new History(List.of(STABLE, CANDIDATE)),
            seen,
            true,
            DEADLINE,
            Optional.of(CANDIDATE.number()),
            Optional.of(SETTINGS),
            previous,
            evidence,
            command));
  }

  private static CanaryView routed(CanaryView view) {
    return view.withRoute(Optional.of(new RoutedService("models", 0)));
  }

  private static CanaryView view(RuntimePod... candidates) {
    return new CanaryView(Optional.empty(), List.of(candidates), STABLE_PODS, 2);
  }

  private static CanaryEvidence shadowEvidence(long compared, long rows, long agree, double max) {
    return new CanaryEvidence(
        Optional.of(
            List.of(
                new ShadowPodCounts(
                    "digits-a", compared, 0, 0, 0, rows, agree, rows * 10, max * rows, max))),
        List.of());
  }

  private static CanaryEvidence checks(CanaryCheck... checks) {
    return new CanaryEvidence(Optional.empty(), List.of(checks));
  }

  private static CanaryCheck pass(String name, double value) {
    return new CanaryCheck(null, name, value, 1.0, CanaryCheck.PASS, null, START.toString());
  }

  private static CanaryCheck fail(String name, double value) {
    return new CanaryCheck(
        null, name, value, 0.01, CanaryCheck.FAIL, "20 of 100 requests", START.toString());
  }

  private static CanaryCheck inconclusive(String name) {
    return new CanaryCheck(
        null, name, null, 0.01, CanaryCheck.INCONCLUSIVE, "too little traffic", START.toString());
  }

  private static RolloutStatus shadowState(List<ShadowPodCounts> pods) {
    return new RolloutStatus(
        CanaryPhase.Shadow,
        2L,
        1L,
        0,
        2,
        0,
        0,
        START.toString(),
        START.toString(),
        null,
        0,
        false,
        ShadowStatus.of(pods),
        List.of(),
        "shadow",
        null);
  }

  private static RolloutStatus stepState(int step, Instant since, int failed, boolean passed) {
    return new RolloutStatus(
        CanaryPhase.Step,
        2L,
        1L,
        step,
        2,
        SETTINGS.steps().get(step - 1).weight(),
        33,
        START.toString(),
        since.toString(),
        null,
        failed,
        passed,
        ShadowStatus.of(List.of()),
        new ArrayList<>(),
        "step",
        null);
  }

  private static RolloutStatus withPhase(RolloutStatus s, CanaryPhase phase) {
    return new RolloutStatus(
        phase,
        s.candidateRevision(),
        s.stableRevision(),
        s.step(),
        s.steps(),
        s.weight(),
        s.liveWeight(),
        s.startedAt(),
        s.stepStartedAt(),
        s.lastCheckAt(),
        s.failedChecks(),
        s.stepPassed(),
        s.shadow(),
        s.checks(),
        s.message(),
        s.handledCommand());
  }

  private static RolloutStatus withCommand(RolloutStatus s, String command) {
    return new RolloutStatus(
        s.phase(),
        s.candidateRevision(),
        s.stableRevision(),
        s.step(),
        s.steps(),
        s.weight(),
        s.liveWeight(),
        s.startedAt(),
        s.stepStartedAt(),
        s.lastCheckAt(),
        s.failedChecks(),
        s.stepPassed(),
        s.shadow(),
        s.checks(),
        s.message(),
        command);
  }

  private static Revision changed(Decision decision, long number) {
    return decision.changes().stream().filter(r -> r.number() == number).findFirst().orElseThrow();
  }
}
