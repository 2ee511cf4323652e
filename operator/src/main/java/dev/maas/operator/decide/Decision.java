package dev.maas.operator.decide;

import dev.maas.contract.ShadowSettings;
import dev.maas.operator.api.status.RolloutStatus;
import dev.maas.operator.revision.PrepareOutcome;
import dev.maas.operator.revision.Revision;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What to do for a ModelDeployment now: a closed set. Each outcome carries the revision records
 * that changed (to be written back) and says which revision the runtime Deployment should run.
 * Consumers that tell outcomes apart implement {@link Cases}: adding an outcome adds a method
 * there, so every such consumer stops compiling until it handles the new one (Java 17 has no
 * exhaustive switch over a sealed type; this is its stand-in).
 */
public sealed interface Decision {
  /** Revisions whose records changed in this decision: phase, outcome, timestamps. */
  List<Revision> changes();

  /** The revision whose template the Deployment should have; empty: no Deployment yet. */
  Optional<Revision> deploymentRevision();

  <T> T accept(Cases<T> cases);

  /** One method per outcome. */
  interface Cases<T> {
    T prepare(Prepare prepare);

    T restorePackage(RestorePackage restore);

    T rollOut(RollOut rollOut);

    T serving(Serving serving);

    T rollBack(RollBack rollBack);

    T stalled(Stalled stalled);

    T shadow(Shadow shadow);

    T canaryStep(CanaryStep step);

    T promote(Promote promote);

    T abort(Abort abort);
  }

  /** The candidate's Deployment beside the serving one; empty: there is none (it is deleted). */
  default Optional<CanaryPlan> canary() {
    return Optional.empty();
  }

  /** What the serving pods mirror to the candidate; empty: nothing. */
  default Optional<ShadowSettings> shadow() {
    return Optional.empty();
  }

  /** status.rollout as this decision leaves it; empty: as it was. */
  default Optional<RolloutStatus> rollout() {
    return Optional.empty();
  }

  /** The revision whose prepare Job must exist. */
  Optional<Revision> prepareRevision();

  /**
   * When to look again though nothing changes in the cluster: a rollout's deadline passes with no
   * event of its own.
   */
  Optional<Duration> recheckAfter();

  /** The desired revision's artifact is being prepared; the Deployment stays where it is. */
  record Prepare(Revision target, Optional<Revision> deployed, List<Revision> changes)
      implements Decision {
    @Override
    public Optional<Revision> deploymentRevision() {
      return deployed;
    }

    @Override
    public Optional<Revision> prepareRevision() {
      return Optional.of(target);
    }

    @Override
    public Optional<Duration> recheckAfter() {
      return Optional.empty();
    }

    @Override
    public <T> T accept(Cases<T> cases) {
      return cases.prepare(this);
    }
  }

  /**
   * The prepared package of {@code target} is gone (its storage claim was deleted and made again,
   * or lost its volume): it is prepared again, by the same Job as the first time, into the same
   * bytes (packages are reproducible). The Deployment stays where it is: pods that already loaded
   * the model keep serving it.
   *
   * @param claimReady the new claim exists, so the Job can run; until then it waits
   * @param failedAttempt the preparation failed this time: it is tried again when the failed Job
   *     goes (by its TTL, or deleted by hand)
   */
  record RestorePackage(
      Revision target,
      Optional<Revision> deployed,
      boolean claimReady,
      Optional<PrepareOutcome> failedAttempt,
      List<Revision> changes)
      implements Decision {
    @Override
    public Optional<Revision> deploymentRevision() {
      return deployed;
    }

    @Override
    public Optional<Revision> prepareRevision() {
      return claimReady ? Optional.of(target) : Optional.empty();
    }

    @Override
    public Optional<Duration> recheckAfter() {
      return Optional.empty();
    }

    @Override
    public <T> T accept(Cases<T> cases) {
      return cases.restorePackage(this);
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

    /** At least a second, so a deadline just reached does not spin. */
    @Override
    public Optional<Duration> recheckAfter() {
      Duration floor = Duration.ofSeconds(1);
      return Optional.of(deadlineIn.compareTo(floor) >= 0 ? deadlineIn : floor);
    }

    @Override
    public Optional<Revision> prepareRevision() {
      return Optional.empty();
    }

    @Override
    public <T> T accept(Cases<T> cases) {
      return cases.rollOut(this);
    }
  }

  /** The target has fully rolled out and serves. */
  record Serving(Revision current, List<Revision> changes) implements Decision {
    @Override
    public Optional<Revision> deploymentRevision() {
      return Optional.of(current);
    }

    @Override
    public Optional<Revision> prepareRevision() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> recheckAfter() {
      return Optional.empty();
    }

    @Override
    public <T> T accept(Cases<T> cases) {
      return cases.serving(this);
    }
  }

  /** The rollout of {@code failed} just failed; the Deployment goes back to {@code restored}. */
  record RollBack(Revision failed, Revision restored, String reason, List<Revision> changes)
      implements Decision {
    @Override
    public Optional<Revision> deploymentRevision() {
      return Optional.of(restored);
    }

    @Override
    public Optional<Revision> prepareRevision() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> recheckAfter() {
      return Optional.empty();
    }

    @Override
    public <T> T accept(Cases<T> cases) {
      return cases.rollBack(this);
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

    @Override
    public Optional<Revision> prepareRevision() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> recheckAfter() {
      return Optional.empty();
    }

    @Override
    public <T> T accept(Cases<T> cases) {
      return cases.stalled(this);
    }
  }

  /**
   * Canary step 0: the candidate runs beside the serving revision and answers a copy of a sample of
   * its requests; it serves no one. Waits for its pods, then for enough compared samples.
   */
  record Shadow(
      Revision candidate,
      Revision stable,
      CanaryPlan plan,
      ShadowSettings mirror,
      RolloutStatus state,
      Duration recheck,
      List<Revision> changes)
      implements Decision {
    @Override
    public Optional<Revision> deploymentRevision() {
      return Optional.of(stable);
    }

    @Override
    public Optional<Revision> prepareRevision() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> recheckAfter() {
      return Optional.of(recheck);
    }

    @Override
    public Optional<CanaryPlan> canary() {
      return Optional.of(plan);
    }

    @Override
    public Optional<ShadowSettings> shadow() {
      return Optional.of(mirror);
    }

    @Override
    public Optional<RolloutStatus> rollout() {
      return Optional.of(state);
    }

    @Override
    public <T> T accept(Cases<T> cases) {
      return cases.shadow(this);
    }
  }

  /** A live canary step: the candidate takes the step's share of traffic and is checked. */
  record CanaryStep(
      Revision candidate,
      Revision stable,
      CanaryPlan plan,
      RolloutStatus state,
      Duration recheck,
      List<Revision> changes)
      implements Decision {
    public int step() {
      return state.step();
    }

    public int weight() {
      return state.weight();
    }

    @Override
    public Optional<Revision> deploymentRevision() {
      return Optional.of(stable);
    }

    @Override
    public Optional<Revision> prepareRevision() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> recheckAfter() {
      return Optional.of(recheck);
    }

    @Override
    public Optional<CanaryPlan> canary() {
      return Optional.of(plan);
    }

    @Override
    public Optional<RolloutStatus> rollout() {
      return Optional.of(state);
    }

    @Override
    public <T> T accept(Cases<T> cases) {
      return cases.canaryStep(this);
    }
  }

  /**
   * Every check passed (or a person promoted it): the serving Deployment moves to the candidate's
   * template while the candidate's own pods keep taking their share; when it has rolled out the
   * candidate's Deployment goes ({@code plan} empty) and the candidate serves.
   */
  record Promote(
      Revision candidate,
      Optional<CanaryPlan> plan,
      RolloutStatus state,
      Duration recheck,
      List<Revision> changes)
      implements Decision {
    public boolean finished() {
      return plan.isEmpty();
    }

    @Override
    public Optional<Revision> deploymentRevision() {
      return Optional.of(candidate);
    }

    @Override
    public Optional<Revision> prepareRevision() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> recheckAfter() {
      return finished() ? Optional.empty() : Optional.of(recheck);
    }

    @Override
    public Optional<CanaryPlan> canary() {
      return plan;
    }

    @Override
    public Optional<RolloutStatus> rollout() {
      return Optional.of(state);
    }

    @Override
    public <T> T accept(Cases<T> cases) {
      return cases.promote(this);
    }
  }

  /**
   * The canary failed (a check, the shadow comparison, its pods, its deadline, or a person): the
   * candidate's Deployment goes, the serving revision never stopped serving, the candidate is
   * Failed with the numbers.
   */
  record Abort(
      Revision failed, Revision stable, String reason, RolloutStatus state, List<Revision> changes)
      implements Decision {
    @Override
    public Optional<Revision> deploymentRevision() {
      return Optional.of(stable);
    }

    @Override
    public Optional<Revision> prepareRevision() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> recheckAfter() {
      return Optional.empty();
    }

    @Override
    public Optional<RolloutStatus> rollout() {
      return Optional.of(state);
    }

    @Override
    public <T> T accept(Cases<T> cases) {
      return cases.abort(this);
    }
  }
}
