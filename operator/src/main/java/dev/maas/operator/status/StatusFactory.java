package dev.maas.operator.status;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.status.CompressionResult;
import dev.maas.operator.api.status.ModelDeploymentStatus;
import dev.maas.operator.api.status.RevisionStatus;
import dev.maas.operator.model.Artifact;
import dev.maas.operator.model.Labels;
import dev.maas.operator.model.ResolvedModelDeployment;
import dev.maas.operator.observe.DeploymentProgress;
import dev.maas.operator.observe.Observation;
import dev.maas.operator.revision.Decision;
import dev.maas.operator.revision.History;
import dev.maas.operator.revision.PrepareOutcome;
import dev.maas.operator.revision.Revision;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The status as a fresh object, from the decision and what was observed: Ready, Reconciling and
 * Stalled (the condition names kstatus, Flux and Argo CD read), the desired and serving revisions,
 * the bounded revision list, replicas and the scale selector. Ready says what actually serves: True
 * while a revision serves (even while another rolls out, or after a failed one was rolled back),
 * Unknown while nothing has served yet, False when nothing serves.
 */
public final class StatusFactory {
  private final Conditions conditions;

  public StatusFactory(Conditions conditions) {
    this.conditions = conditions;
  }

  /** The spec cannot be served as it is: nothing changes until the user fixes it. */
  public ModelDeploymentStatus invalid(
      ModelDeployment md, String reason, String message, Optional<DeploymentProgress> deployment) {
    List<Condition> previous = previousConditions(md);
    Long generation = md.getMetadata().getGeneration();
    return new ModelDeploymentStatus(
        generation,
        List.of(
            conditions.condition(previous, Conditions.READY, "False", reason, message, generation),
            conditions.condition(
                previous,
                Conditions.RECONCILING,
                "False",
                reason,
                "waiting for the spec to be fixed",
                generation),
            conditions.condition(
                previous, Conditions.STALLED, "True", reason, message, generation)),
        md.getStatus() == null ? null : md.getStatus().desiredRevision(),
        md.getStatus() == null ? null : md.getStatus().currentRevision(),
        md.getStatus() == null ? null : md.getStatus().revisions(),
        deployment.map(DeploymentProgress::replicas).orElse(0),
        deployment.map(DeploymentProgress::readyReplicas).orElse(0),
        Labels.selectorString(md.getMetadata().getName()),
        null);
  }

  public ModelDeploymentStatus of(
      ModelDeployment md,
      ResolvedModelDeployment resolved,
      Revision desired,
      Decision decision,
      History history,
      Observation seen) {
    List<Condition> previous = previousConditions(md);
    Long generation = md.getMetadata().getGeneration();
    Optional<Revision> serving = history.serving();
    int ready = seen.deployment().map(DeploymentProgress::readyReplicas).orElse(0);
    String url = resolved.url();

    String readyStatus;
    String readyReason;
    String readyMessage;
    if (serving.isPresent() && ready > 0) {
      readyStatus = "True";
      readyReason = decision instanceof Decision.Serving ? "Serving" : "PreviousRevisionServing";
      readyMessage =
          "revision " + serving.get().number() + " serving " + ready + " replica(s) at " + url;
    } else if (serving.isEmpty()
        && (decision instanceof Decision.Prepare || decision instanceof Decision.RollOut)) {
      readyStatus = "Unknown";
      readyReason = "NotServingYet";
      readyMessage = "no revision has served yet: " + progress(decision);
    } else {
      readyStatus = "False";
      readyReason = serving.isPresent() ? "NoReadyReplicas" : "NothingServing";
      readyMessage =
          serving.isPresent()
              ? "revision " + serving.get().number() + " has no ready replica"
              : "no revision is serving";
    }

    boolean reconciling =
        decision instanceof Decision.Prepare || decision instanceof Decision.RollOut;
    String stalledMessage = "progressing normally";
    String stalledReason = "Progressing";
    boolean stalled = false;
    if (decision instanceof Decision.RollBack rollBack) {
      stalled = true;
      stalledReason = "RolledBack";
      stalledMessage = rollBack.reason();
    } else if (decision instanceof Decision.Stalled stall) {
      stalled = true;
      boolean prepareFailed =
          stall.failed().prepare() != null && !stall.failed().prepare().succeeded();
      boolean rolledBack =
          stall.deployed().map(r -> !r.hash().equals(stall.failed().hash())).orElse(false);
      stalledReason = prepareFailed ? "PrepareFailed" : rolledBack ? "RolledBack" : "RolloutFailed";
      stalledMessage = stall.reason();
    }
    if (stalled && readyStatus.equals("True")) {
      readyMessage += "; " + stalledMessage;
    }
    List<Condition> list =
        List.of(
            conditions.condition(
                previous, Conditions.READY, readyStatus, readyReason, readyMessage, generation),
            conditions.condition(
                previous,
                Conditions.RECONCILING,
                reconciling ? "True" : "False",
                reconciling ? reconcilingReason(decision) : "Settled",
                reconciling ? progress(decision) : "nothing to do until the spec changes",
                generation),
            conditions.condition(
                previous,
                Conditions.STALLED,
                stalled ? "True" : "False",
                stalledReason,
                stalledMessage,
                generation));
    return new ModelDeploymentStatus(
        generation,
        list,
        desired.number(),
        serving.map(Revision::number).orElse(null),
        revisions(history, resolved.revisionHistoryLimit()),
        seen.deployment().map(DeploymentProgress::replicas).orElse(0),
        ready,
        Labels.selectorString(md.getMetadata().getName()),
        url);
  }

  private static String reconcilingReason(Decision decision) {
    return decision instanceof Decision.Prepare ? "Preparing" : "RollingOut";
  }

  private static String progress(Decision decision) {
    if (decision instanceof Decision.Prepare prepare) {
      return "preparing revision " + prepare.target().number() + " (compression Job)";
    }
    if (decision instanceof Decision.RollOut rollOut) {
      return "rolling out revision "
          + rollOut.target().number()
          + ": waiting for its pods to load the model and become ready";
    }
    return "";
  }

  static List<RevisionStatus> revisions(History history, int limit) {
    return history.revisions().stream()
        .sorted(Comparator.comparingLong(Revision::number).reversed())
        .limit(limit)
        .map(StatusFactory::revision)
        .toList();
  }

  static RevisionStatus revision(Revision r) {
    String artifact = r.isPrepared() ? Artifact.of(r.template(), r.prepare()).uri() : null;
    return new RevisionStatus(
        r.number(),
        r.hash(),
        r.template().source().uri(),
        artifact,
        r.phase(),
        r.reason(),
        Optional.ofNullable(r.prepare()).map(StatusFactory::compression).orElse(null));
  }

  static CompressionResult compression(PrepareOutcome o) {
    return new CompressionResult(
        o.status(),
        o.job(),
        o.exitCode(),
        o.key(),
        o.originalBytes(),
        o.packageBytes(),
        text(o.ratio()),
        text(o.maxOutputError()),
        text(o.meanOutputError()),
        text(o.top1Agreement()),
        o.message());
  }

  private static String text(Double value) {
    return value == null ? null : value.toString();
  }

  private static List<Condition> previousConditions(ModelDeployment md) {
    return md.getStatus() == null || md.getStatus().conditions() == null
        ? List.of()
        : md.getStatus().conditions();
  }
}
