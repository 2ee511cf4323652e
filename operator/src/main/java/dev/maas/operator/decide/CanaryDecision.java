package dev.maas.operator.decide;

import dev.maas.contract.ShadowSettings;
import dev.maas.operator.api.status.CanaryCheck;
import dev.maas.operator.api.status.CanaryPhase;
import dev.maas.operator.api.status.RolloutStatus;
import dev.maas.operator.api.status.ShadowStatus;
import dev.maas.operator.canary.CanaryEvidence;
import dev.maas.operator.canary.CanarySettings;
import dev.maas.operator.canary.CanaryWeights;
import dev.maas.operator.canary.RolloutCommand;
import dev.maas.operator.observe.CanaryView;
import dev.maas.operator.observe.Observation;
import dev.maas.operator.observe.RuntimePod;
import dev.maas.operator.revision.CanaryReport;
import dev.maas.operator.revision.Revision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a canary goes next: a pure function of its settings, its state as status last recorded it,
 * what the cluster shows and what the pods' metrics said. The rules: the shadow step waits for the
 * candidate's pods and then for {@code minSamples} compared requests, and is judged on top-1
 * agreement and output error; each live step puts its share of candidate pods behind the Service
 * and ends once its pause is over and a check passed there; more failed checks than {@code
 * failureLimit}, a candidate pod that will not start, or a canary longer than the progress deadline
 * plus its pauses aborts it; after the last step the candidate is promoted.
 */
final class CanaryDecision {
  /** How often a waiting shadow step looks at the samples again. */
  static final Duration SHADOW_RECHECK = Duration.ofSeconds(5);

  /** How often a promotion looks at the serving Deployment's progress. */
  static final Duration PROMOTION_RECHECK = Duration.ofSeconds(2);

  private CanaryDecision() {}

  /**
   * @param previous status.rollout as last written
   * @param command the rollout-command annotation's value, when there is one
   */
  record Input(
      CanarySettings settings,
      Revision candidate,
      Revision stable,
      Optional<RolloutStatus> previous,
      Observation seen,
      CanaryEvidence evidence,
      Optional<String> command,
      Duration progressDeadline) {}

  /** Is {@code previous} this candidate's canary, still going? */
  static boolean inProgress(Optional<RolloutStatus> previous, Revision candidate) {
    return previous
        .filter(r -> r.candidateRevision() != null && r.candidateRevision() == candidate.number())
        .filter(
            r ->
                r.phase() == CanaryPhase.Shadow
                    || r.phase() == CanaryPhase.Step
                    || r.phase() == CanaryPhase.Promoting)
        .isPresent();
  }

  static Decision decide(Input in, RolloutDecision.Changes changes) {
    Instant now = in.seen().now();
    Revision candidate = in.candidate();
    RolloutStatus state =
        inProgress(in.previous(), candidate) ? in.previous().get() : fresh(in, now);
    if (candidate.phase() != dev.maas.operator.api.status.RevisionPhase.RollingOut) {
      candidate = changes.record(candidate.rollingOut(now));
    }
    state = withShadow(state, in.evidence());
    String handledBefore = state.handledCommand();
    Optional<RolloutCommand> command =
        in.command().filter(c -> !c.equals(handledBefore)).flatMap(RolloutCommand::parse);
    if (command.isPresent()) {
      state = handled(state, command.get().value());
      CanaryCheck manual =
          new CanaryCheck(
              state.step(),
              "manual",
              null,
              null,
              command.get().verb() == RolloutCommand.Verb.abort
                  ? CanaryCheck.FAIL
                  : CanaryCheck.PASS,
              "kubectl maas "
                  + (command.get().verb() == RolloutCommand.Verb.abort
                      ? "abort"
                      : command.get().verb() == RolloutCommand.Verb.promoteFull
                          ? "promote --full"
                          : "promote"),
              now.toString());
      state = withChecks(state, List.of(manual), 0);
      switch (command.get().verb()) {
        case abort:
          return abort(in, candidate, state, "aborted by hand (kubectl maas abort)", changes);
        case promoteFull:
          if (state.phase() != CanaryPhase.Promoting) {
            return promote(in, candidate, state, now, changes);
          }
          break;
        case promote:
          if (state.phase() == CanaryPhase.Shadow) {
            return step(in, candidate, atStep(state, 1, in.settings(), now), changes);
          }
          if (state.phase() == CanaryPhase.Step) {
            return advance(in, candidate, state, now, changes);
          }
          break;
      }
    }
    if (!in.seen().troubles().isEmpty() && state.phase() != CanaryPhase.Promoting) {
      return abort(in, candidate, state, in.seen().troubles().get(0).message(), changes);
    }
    Duration allowed = in.progressDeadline().plus(in.settings().pauses());
    Duration elapsed = Duration.between(Instant.parse(state.startedAt()), now);
    if (elapsed.compareTo(allowed) >= 0 && state.phase() != CanaryPhase.Promoting) {
      return abort(
          in,
          candidate,
          state,
          "the canary did not finish within "
              + allowed.toSeconds()
              + " s (the progress deadline plus its steps' pauses): "
              + state.message(),
          changes);
    }
    return switch (state.phase()) {
      case Shadow -> shadow(in, candidate, state, changes);
      case Step -> live(in, candidate, state, now, changes);
      default -> promote(in, candidate, state, now, changes);
    };
  }

  private static RolloutStatus fresh(Input in, Instant now) {
    return new RolloutStatus(
        CanaryPhase.Shadow,
        in.candidate().number(),
        in.stable().number(),
        0,
        in.settings().steps().size(),
        0,
        0,
        now.toString(),
        now.toString(),
        null,
        0,
        false,
        ShadowStatus.of(List.of()),
        List.of(),
        "shadow: waiting for the candidate's pods",
        // A command given before this canary began is not for it.
        in.command().orElse(null));
  }

  private static Decision shadow(
      Input in, Revision candidate, RolloutStatus state, RolloutDecision.Changes changes) {
    CanarySettings settings = in.settings();
    CanaryView view = in.seen().canary();
    List<String> targets =
        view.candidatePods().stream()
            .filter(RuntimePod::reachable)
            .map(view::baseUrl)
            .sorted()
            .toList();
    ShadowStatus shadow = state.shadow();
    long samples = shadow.samples() == null ? 0 : shadow.samples();
    if (samples >= settings.minSamples()) {
      List<CanaryCheck> verdicts = shadowChecks(settings, shadow, in.seen().now());
      RolloutStatus judged = withChecks(state, verdicts, 0);
      Optional<CanaryCheck> failed = verdicts.stream().filter(CanaryCheck::failed).findFirst();
      if (failed.isPresent()) {
        return abort(
            in,
            candidate,
            judged,
            "the shadow comparison failed over " + samples + " samples: " + failed.get().describe(),
            changes);
      }
      return step(in, candidate, atStep(judged, 1, settings, in.seen().now()), changes);
    }
    String message =
        targets.isEmpty()
            ? "shadow: waiting for the candidate's pods"
            : "shadow: " + samples + " of " + settings.minSamples() + " samples compared";
    RolloutStatus waiting = withMessage(state, message);
    return new Decision.Shadow(
        candidate,
        in.stable(),
        new CanaryPlan(
            candidate,
            1,
            List.of(),
            view.route().map(r -> new CanaryPlan.Routed(0, Optional.of(in.stable().number())))),
        new ShadowSettings(Long.toString(candidate.number()), settings.samplePercent(), targets),
        waiting,
        SHADOW_RECHECK,
        changes.list());
  }

  static List<CanaryCheck> shadowChecks(CanarySettings settings, ShadowStatus shadow, Instant now) {
    List<CanaryCheck> checks = new ArrayList<>();
    String samples = shadow.samples() + " samples";
    if (settings.minTop1Agreement() > 0 && shadow.top1Agreement() != null) {
      double agreement = shadow.top1Agreement();
      checks.add(
          new CanaryCheck(
              0,
              "top1Agreement",
              agreement,
              settings.minTop1Agreement(),
              agreement >= settings.minTop1Agreement() ? CanaryCheck.PASS : CanaryCheck.FAIL,
              samples,
              now.toString()));
    }
    if (settings.maxOutputError().isPresent() && shadow.maxOutputError() != null) {
      double error = shadow.maxOutputError();
      checks.add(
          new CanaryCheck(
              0,
              "maxOutputError",
              error,
              settings.maxOutputError().get(),
              error <= settings.maxOutputError().get() ? CanaryCheck.PASS : CanaryCheck.FAIL,
              samples,
              now.toString()));
    }
    if (checks.isEmpty()) {
      checks.add(
          new CanaryCheck(
              0,
              "compared",
              (double) shadow.samples(),
              null,
              CanaryCheck.PASS,
              samples,
              now.toString()));
    }
    return checks;
  }

  private static Decision live(
      Input in,
      Revision candidate,
      RolloutStatus state,
      Instant now,
      RolloutDecision.Changes changes) {
    List<CanaryCheck> checks =
        in.evidence().checks().stream()
            .map(
                c ->
                    new CanaryCheck(
                        state.step(),
                        c.name(),
                        c.value(),
                        c.threshold(),
                        c.verdict(),
                        c.detail(),
                        c.at()))
            .toList();
    long failedNow = checks.stream().filter(CanaryCheck::failed).count();
    RolloutStatus checked = withChecks(state, checks, (int) failedNow);
    if (!checks.isEmpty()) {
      boolean passed = failedNow == 0 && checks.stream().anyMatch(CanaryCheck::passed);
      checked = withCheckTime(checked, now, checked.stepPassed() || passed);
    }
    if (checked.failedChecks() > in.settings().failureLimit()) {
      CanaryCheck last =
          checked.checks().stream().filter(CanaryCheck::failed).reduce((a, b) -> b).orElseThrow();
      return abort(
          in,
          candidate,
          checked,
          checked.failedChecks()
              + " failed checks (failureLimit "
              + in.settings().failureLimit()
              + ") at step "
              + checked.step()
              + ", the last: "
              + last.describe(),
          changes);
    }
    CanarySettings.Step step = in.settings().steps().get(checked.step() - 1);
    Instant pauseEnds = Instant.parse(checked.stepStartedAt()).plus(step.pause());
    int wanted = wantedPods(step, in.seen().canary());
    long readyCandidates =
        in.seen().canary().candidatePods().stream().filter(RuntimePod::containersReady).count();
    if (!now.isBefore(pauseEnds) && checked.stepPassed() && readyCandidates >= wanted) {
      return advance(in, candidate, checked, now, changes);
    }
    return step(in, candidate, checked, changes);
  }

  /** The live step the state is at, with its pods and its measured weight. */
  private static Decision step(
      Input in, Revision candidate, RolloutStatus state, RolloutDecision.Changes changes) {
    CanarySettings settings = in.settings();
    Instant now = in.seen().now();
    CanarySettings.Step step = settings.steps().get(state.step() - 1);
    CanaryView view = in.seen().canary();
    int wanted = wantedPods(step, view);
    List<String> goLive = goLive(view);
    int candidateReady = (int) view.candidatePods().stream().filter(RuntimePod::ready).count();
    int stableReady = (int) view.stablePods().stream().filter(RuntimePod::ready).count();
    // Through a route, the weight is the route's once a candidate pod is ready behind its Service
    // (none before: the gateway would answer that share with errors).
    int liveWeight =
        view.route().isPresent()
            ? (candidateReady > 0 ? step.weight() : 0)
            : CanaryWeights.share(candidateReady, stableReady);
    Optional<CanaryPlan.Routed> routed =
        view.route().map(r -> new CanaryPlan.Routed(liveWeight, Optional.of(in.stable().number())));
    String measured =
        view.route()
            .map(
                r ->
                    "HTTPRoute "
                        + r.route()
                        + ": "
                        + liveWeight
                        + "% to "
                        + candidateReady
                        + " ready candidate pods")
            .orElse(
                candidateReady
                    + " of "
                    + (candidateReady + stableReady)
                    + " ready pods, "
                    + liveWeight
                    + "%");
    Instant pauseEnds = Instant.parse(state.stepStartedAt()).plus(step.pause());
    String message =
        "step "
            + state.step()
            + " of "
            + settings.steps().size()
            + ": weight "
            + step.weight()
            + "% ("
            + measured
            + ")"
            + (now.isBefore(pauseEnds)
                ? ", paused until " + pauseEnds
                : state.stepPassed() ? "" : ", waiting for a check to pass");
    RolloutStatus current = withMessage(withLiveWeight(state, liveWeight), message);
    Duration untilPause = Duration.between(now, pauseEnds);
    Duration recheck = settings.interval();
    if (!untilPause.isNegative() && untilPause.compareTo(recheck) < 0) {
      recheck = untilPause;
    }
    if (recheck.compareTo(Duration.ofSeconds(1)) < 0) {
      recheck = Duration.ofSeconds(1);
    }
    return new Decision.CanaryStep(
        candidate,
        in.stable(),
        new CanaryPlan(candidate, wanted, goLive, routed),
        current,
        recheck,
        changes.list());
  }

  private static Decision advance(
      Input in,
      Revision candidate,
      RolloutStatus state,
      Instant now,
      RolloutDecision.Changes changes) {
    if (state.step() >= in.settings().steps().size()) {
      return promote(in, candidate, state, now, changes);
    }
    return step(in, candidate, atStep(state, state.step() + 1, in.settings(), now), changes);
  }

  /**
   * The serving Deployment moves to the candidate; the candidate's pods stay live until it has
   * rolled out, then go, and the candidate serves.
   */
  private static Decision promote(
      Input in,
      Revision candidate,
      RolloutStatus state,
      Instant now,
      RolloutDecision.Changes changes) {
    Observation seen = in.seen();
    boolean rolledOut =
        seen.deploymentAt(candidate.hash())
            && seen.deployment().map(d -> d.rolledOut()).orElse(false);
    if (rolledOut) {
      RolloutStatus done =
          Edit.of(state)
              .phase(CanaryPhase.Promoted)
              .weights(100, 100)
              .stepStartedAt(now.toString())
              .message("promoted: revision " + candidate.number() + " serves all traffic")
              .build();
      changes.record(
          in.stable().withPhase(dev.maas.operator.api.status.RevisionPhase.Superseded, null));
      Revision serving = changes.record(candidate.serving(now).withCanary(CanaryReport.of(done)));
      return new Decision.Promote(
          serving, Optional.empty(), done, PROMOTION_RECHECK, changes.list());
    }
    RolloutStatus promoting =
        Edit.of(state)
            .phase(CanaryPhase.Promoting)
            .weights(100, state.liveWeight())
            .stepStartedAt(
                state.phase() == CanaryPhase.Promoting ? state.stepStartedAt() : now.toString())
            .message("promoting: the serving Deployment moves to revision " + candidate.number())
            .build();
    CanaryView view = seen.canary();
    List<String> goLive = goLive(view);
    int replicas = Math.max(1, view.canaryDeployment().map(d -> d.replicas()).orElse(1));
    return new Decision.Promote(
        candidate,
        // Through a route, the whole Service (the serving pods and the live candidate's) takes
        // the route's traffic while the serving Deployment moves; the candidate's own backend
        // goes before its pods do.
        Optional.of(
            new CanaryPlan(
                candidate,
                replicas,
                goLive,
                view.route().map(r -> new CanaryPlan.Routed(0, Optional.empty())))),
        promoting,
        PROMOTION_RECHECK,
        changes.list());
  }

  private static Decision abort(
      Input in,
      Revision candidate,
      RolloutStatus state,
      String why,
      RolloutDecision.Changes changes) {
    RolloutStatus aborted =
        Edit.of(state).phase(CanaryPhase.Aborted).weights(0, 0).message("aborted: " + why).build();
    Revision failed =
        changes.record(
            candidate
                .failed("canary aborted at " + stepName(state) + ": " + why)
                .withCanary(CanaryReport.of(aborted)));
    return new Decision.Abort(
        failed,
        in.stable(),
        RolloutDecision.stalledReason(failed, Optional.of(in.stable()), true),
        aborted,
        changes.list());
  }

  /** The candidate's pods a live step asks for: by pod share, or enough for a route's share. */
  private static int wantedPods(CanarySettings.Step step, CanaryView view) {
    return CanaryWeights.candidatePods(
        step.weight(), view.stableReplicas(), view.route().isPresent());
  }

  /** The candidate's pods that answer and are not behind the Service yet. */
  private static List<String> goLive(CanaryView view) {
    return view.candidatePods().stream()
        .filter(p -> p.containersReady() && !p.live())
        .map(RuntimePod::name)
        .sorted()
        .toList();
  }

  private static String stepName(RolloutStatus state) {
    return state.step() == null || state.step() == 0 ? "the shadow step" : "step " + state.step();
  }

  private static RolloutStatus atStep(
      RolloutStatus s, int step, CanarySettings settings, Instant now) {
    Edit edit = Edit.of(s).phase(CanaryPhase.Step).stepStartedAt(now.toString());
    edit.step = step;
    edit.steps = settings.steps().size();
    edit.weight = settings.steps().get(step - 1).weight();
    edit.stepPassed = false;
    return edit.build();
  }

  private static RolloutStatus withShadow(RolloutStatus s, CanaryEvidence evidence) {
    if (evidence.shadow().isEmpty() || s.phase() != CanaryPhase.Shadow) {
      return s;
    }
    Edit edit = Edit.of(s);
    edit.shadow = ShadowStatus.of(evidence.shadow().get());
    return edit.build();
  }

  private static RolloutStatus withChecks(RolloutStatus s, List<CanaryCheck> more, int failed) {
    if (more.isEmpty()) {
      return s;
    }
    List<CanaryCheck> checks = new ArrayList<>(s.checks() == null ? List.of() : s.checks());
    checks.addAll(more);
    while (checks.size() > RolloutStatus.CHECKS_KEPT) {
      checks.remove(0);
    }
    Edit edit = Edit.of(s);
    edit.failedChecks = (s.failedChecks() == null ? 0 : s.failedChecks()) + failed;
    edit.checks = List.copyOf(checks);
    return edit.build();
  }

  private static RolloutStatus withCheckTime(RolloutStatus s, Instant at, boolean passed) {
    Edit edit = Edit.of(s);
    edit.lastCheckAt = at.toString();
    edit.stepPassed = passed;
    return edit.build();
  }

  private static RolloutStatus withLiveWeight(RolloutStatus s, int liveWeight) {
    return Edit.of(s).weights(s.weight(), liveWeight).build();
  }

  private static RolloutStatus withMessage(RolloutStatus s, String message) {
    return Edit.of(s).message(message).build();
  }

  private static RolloutStatus handled(RolloutStatus s, String command) {
    Edit edit = Edit.of(s);
    edit.handledCommand = command;
    return edit.build();
  }

  /** A RolloutStatus with some fields changed: the record has sixteen, and most edits touch one. */
  private static final class Edit {
    private CanaryPhase phase;
    private Long candidateRevision;
    private Long stableRevision;
    private Integer step;
    private Integer steps;
    private Integer weight;
    private Integer liveWeight;
    private String startedAt;
    private String stepStartedAt;
    private String lastCheckAt;
    private Integer failedChecks;
    private Boolean stepPassed;
    private ShadowStatus shadow;
    private List<CanaryCheck> checks;
    private String message;
    private String handledCommand;

    static Edit of(RolloutStatus s) {
      Edit e = new Edit();
      e.phase = s.phase();
      e.candidateRevision = s.candidateRevision();
      e.stableRevision = s.stableRevision();
      e.step = s.step();
      e.steps = s.steps();
      e.weight = s.weight();
      e.liveWeight = s.liveWeight();
      e.startedAt = s.startedAt();
      e.stepStartedAt = s.stepStartedAt();
      e.lastCheckAt = s.lastCheckAt();
      e.failedChecks = s.failedChecks();
      e.stepPassed = s.stepPassed();
      e.shadow = s.shadow();
      e.checks = s.checks();
      e.message = s.message();
      e.handledCommand = s.handledCommand();
      return e;
    }

    Edit phase(CanaryPhase value) {
      phase = value;
      return this;
    }

    Edit weights(Integer asked, Integer measured) {
      weight = asked;
      liveWeight = measured;
      return this;
    }

    Edit stepStartedAt(String value) {
      stepStartedAt = value;
      return this;
    }

    Edit message(String value) {
      message = value;
      return this;
    }

    RolloutStatus build() {
      return new RolloutStatus(
          phase,
          candidateRevision,
          stableRevision,
          step,
          steps,
          weight,
          liveWeight,
          startedAt,
          stepStartedAt,
          lastCheckAt,
          failedChecks,
          stepPassed,
          shadow,
          checks,
          message,
          handledCommand);
    }
  }
}
