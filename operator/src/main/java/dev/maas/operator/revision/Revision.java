package dev.maas.operator.revision;

import dev.maas.operator.api.status.RevisionPhase;
import java.time.Instant;

/**
 * One numbered revision of a ModelDeployment: the template, the spec it came from, what preparing
 * it produced, and where it is on its way to serving. Stored as a ControllerRevision; the number is
 * given once, when the template is first seen, and never changes, so going back to an earlier
 * template reuses its number, its ControllerRevision and its prepared artifact.
 *
 * @param reason why it is in its phase, when that needs saying (a failure)
 * @param prepare what the prepare Job reported; null when none ran or none is needed
 * @param rolloutStartedAt when the Deployment last moved to this revision: its progress deadline
 *     counts from here, and readiness that comes and goes does not reset it
 * @param servedAt when it last became fully available
 * @param canary how its last canary went; null when none ran
 */
public record Revision(
    long number,
    String hash,
    RuntimeTemplate template,
    RevisionSpec spec,
    RevisionPhase phase,
    String reason,
    PrepareOutcome prepare,
    Instant rolloutStartedAt,
    Instant servedAt,
    CanaryReport canary) {

  public Revision(
      long number,
      String hash,
      RuntimeTemplate template,
      RevisionSpec spec,
      RevisionPhase phase,
      String reason,
      PrepareOutcome prepare,
      Instant rolloutStartedAt,
      Instant servedAt) {
    this(number, hash, template, spec, phase, reason, prepare, rolloutStartedAt, servedAt, null);
  }

  public static Revision first(
      long number, String hash, RuntimeTemplate template, RevisionSpec spec) {
    return new Revision(
        number, hash, template, spec, RevisionPhase.Pending, null, null, null, null);
  }

  public Revision withPhase(RevisionPhase newPhase, String newReason) {
    return new Revision(
        number,
        hash,
        template,
        spec,
        newPhase,
        newReason,
        prepare,
        rolloutStartedAt,
        servedAt,
        canary);
  }

  public Revision prepared(PrepareOutcome outcome) {
    return new Revision(
        number,
        hash,
        template,
        spec,
        RevisionPhase.Prepared,
        null,
        outcome,
        rolloutStartedAt,
        servedAt,
        canary);
  }

  /**
   * Its package prepared again (the one it had was lost with its claim): the phase stays, since the
   * revision is still what it was (serving, say); a rollout's deadline starts over, since its pods
   * could not load the model while the package was gone.
   */
  public Revision repackaged(PrepareOutcome outcome, Instant now) {
    Instant started = phase == RevisionPhase.RollingOut ? now : rolloutStartedAt;
    return new Revision(
        number, hash, template, spec, phase, reason, outcome, started, servedAt, canary);
  }

  public Revision preparing() {
    return withPhase(RevisionPhase.Preparing, null);
  }

  public Revision prepareFailed(PrepareOutcome outcome) {
    return new Revision(
        number,
        hash,
        template,
        spec,
        RevisionPhase.Failed,
        outcome.describe(),
        outcome,
        rolloutStartedAt,
        servedAt,
        canary);
  }

  public Revision rollingOut(Instant now) {
    return new Revision(
        number,
        hash,
        template,
        spec,
        RevisionPhase.RollingOut,
        null,
        prepare,
        now,
        servedAt,
        canary);
  }

  public Revision serving(Instant now) {
    return new Revision(
        number,
        hash,
        template,
        spec,
        RevisionPhase.Serving,
        null,
        prepare,
        rolloutStartedAt,
        now,
        canary);
  }

  /** Its canary's report, kept with it. */
  public Revision withCanary(CanaryReport report) {
    return new Revision(
        number, hash, template, spec, phase, reason, prepare, rolloutStartedAt, servedAt, report);
  }

  public Revision failed(String why) {
    return withPhase(RevisionPhase.Failed, why);
  }

  /**
   * A new attempt of a revision that failed before: back to the start, a prepared artifact kept.
   */
  public Revision retried() {
    PrepareOutcome kept = prepare != null && prepare.succeeded() ? prepare : null;
    return new Revision(
        number, hash, template, spec, RevisionPhase.Pending, null, kept, null, servedAt);
  }

  /** Has this revision ever served traffic fully, so that it is safe to go back to? */
  public boolean servedBefore() {
    return servedAt != null;
  }

  public boolean isPrepared() {
    return !template.needsPreparation() || (prepare != null && prepare.succeeded());
  }
}
