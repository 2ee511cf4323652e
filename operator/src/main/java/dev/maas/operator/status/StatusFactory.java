package dev.maas.operator.status;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.status.CompressionResult;
import dev.maas.operator.api.status.ModelDeploymentStatus;
import dev.maas.operator.api.status.RevisionPhase;
import dev.maas.operator.api.status.RevisionStatus;
import dev.maas.operator.decide.Decision;
import dev.maas.operator.observe.DeploymentProgress;
import dev.maas.operator.observe.MountFailure;
import dev.maas.operator.observe.Observation;
import dev.maas.operator.render.Labels;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import dev.maas.operator.revision.Artifact;
import dev.maas.operator.revision.History;
import dev.maas.operator.revision.PrepareOutcome;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.revision.RuntimeTemplate;
import dev.maas.operator.status.DecisionView.State;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The status as a fresh object, from the decision and what was observed: Ready, Reconciling and
 * Stalled (the condition names kstatus, Flux and Argo CD read), the desired and serving revisions,
 * the bounded revision list, replicas and the scale selector. Ready says what actually serves: True
 * while a revision serves (even while another rolls out, or after a failed one was rolled back) or
 * when the user scaled it to zero on purpose (the state asked for is the state reached, which is
 * what GitOps tools wait on), Unknown while nothing has served yet, False when nothing serves.
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
        null,
        md.getStatus() == null ? null : md.getStatus().rollout());
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
    Optional<DeploymentProgress> deployment = seen.deployment();
    Optional<Revision> unrecorded =
        history.serving().isPresent() ? Optional.empty() : servingUnrecorded(decision, deployment);
    Optional<Revision> serving = history.serving().or(() -> unrecorded);
    int ready = deployment.map(DeploymentProgress::readyReplicas).orElse(0);

    DecisionView view = DecisionView.of(decision);
    State stalled =
        imageVolumeDropped(
            missingObject(missingClaim(view.stalled(), serving, seen), serving, seen, resolved),
            seen);
    State reconciling = waitingFor(reconciling(view, deployment, resolved.scale()), seen);
    State readyState = ready(view, serving, unrecorded.isPresent(), ready, resolved);
    List<Condition> list =
        List.of(
            condition(previous, Conditions.READY, readyState, generation),
            condition(previous, Conditions.RECONCILING, reconciling, generation),
            condition(previous, Conditions.STALLED, stalled, generation));
    return new ModelDeploymentStatus(
        generation,
        list,
        desired.number(),
        serving.map(Revision::number).orElse(null),
        revisions(history, resolved.revisionHistoryLimit()),
        deployment.map(DeploymentProgress::replicas).orElse(0),
        ready,
        Labels.selectorString(md.getMetadata().getName()),
        resolved.url(),
        decision.rollout().orElse(md.getStatus() == null ? null : md.getStatus().rollout()));
  }

  /**
   * Status follows what serves, when no revision is recorded as serving: the first revision while
   * its rollout goes on (some of its pods ready, the others waiting for room), or a revision that
   * failed (on its deadline, say) whose pods all became ready later. Its record is not touched: a
   * failure stays in history.
   */
  private static Optional<Revision> servingUnrecorded(
      Decision decision, Optional<DeploymentProgress> deployment) {
    return decision
        .deploymentRevision()
        .filter(
            r ->
                deployment
                    .map(
                        d ->
                            r.hash().equals(d.revisionHash())
                                && d.readyReplicas() > 0
                                && (r.phase() == RevisionPhase.RollingOut
                                    || (r.phase() == RevisionPhase.Failed && d.rolledOut())))
                    .orElse(false));
  }

  /**
   * Nothing has served yet and the pods wait for a claim that does not exist: that is Stalled (it
   * will not change by waiting: the user must create the claim or fix spec.model.uri), and says
   * which claim. It clears by itself once the claim exists and the pods are placed.
   */
  private static State missingClaim(State stalled, Optional<Revision> serving, Observation seen) {
    if (stalled.isTrue() || serving.isPresent()) {
      return stalled;
    }
    return seen.unschedulable().stream()
        .flatMap(u -> u.missingClaim().stream())
        .findFirst()
        .map(
            claim ->
                new State(
                    Conditions.TRUE,
                    "ClaimNotFound",
                    "persistentvolumeclaim \""
                        + claim
                        + "\" does not exist: the pods wait for it (create it, or fix the"
                        + " pvc:// URI in spec.model.uri)"))
        .orElse(stalled);
  }

  /**
   * The API server dropped the image volume an oci:// model is mounted from: waiting changes
   * nothing, the cluster must allow image volumes (or the model come from elsewhere).
   */
  private static State imageVolumeDropped(State stalled, Observation seen) {
    if (stalled.isTrue() || seen.deployment().map(d -> !d.imageVolumeDropped()).orElse(true)) {
      return stalled;
    }
    return new State(
        Conditions.TRUE,
        "ImageVolumesUnsupported",
        "spec.model.uri is oci:// but the API server dropped the pods' image volume: image"
            + " volumes need Kubernetes 1.33+ with the ImageVolume feature gate on the API server"
            + " and kubelets (on by default from 1.35), or serve the model from s3://, https:// or"
            + " pvc://");
  }

  /**
   * Nothing has served yet and pods wait for a Secret (or ConfigMap) that does not exist: Stalled,
   * naming the object and the spec field that names it. It clears by itself once the object exists
   * and kubelet starts the pods. Once something serves, the serving pods keep serving and the wait
   * shows in Reconciling instead.
   */
  private static State missingObject(
      State stalled, Optional<Revision> serving, Observation seen, ResolvedModelDeployment md) {
    if (stalled.isTrue() || serving.isPresent() || seen.mountFailures().isEmpty()) {
      return stalled;
    }
    MountFailure first = seen.mountFailures().get(0);
    String field = specField(first, md).map(f -> " (named by " + f + ")").orElse("");
    return new State(
        Conditions.TRUE,
        "secret".equals(first.kind()) ? "SecretNotFound" : "ConfigMapNotFound",
        first.kind()
            + " \""
            + first.object()
            + "\" does not exist"
            + field
            + ": pod "
            + first.pod()
            + " waits for it to mount; create it in the ModelDeployment's namespace");
  }

  /** The spec field a missing Secret's name came from, when the spec names it. */
  private static Optional<String> specField(MountFailure failure, ResolvedModelDeployment md) {
    if (!"secret".equals(failure.kind())) {
      return Optional.empty();
    }
    String name = failure.object();
    if (md.access().apiKeysSecret().filter(name::equals).isPresent()) {
      return Optional.of("spec.access.authentication.apiKeys.secretName");
    }
    if (md.access().tlsSecret().filter(name::equals).isPresent()) {
      return Optional.of("spec.access.tls.secretName");
    }
    RuntimeTemplate.Source source = md.template().source();
    if (name.equals(source.keySecret())) {
      return Optional.of("spec.model.encryption.keySecretName");
    }
    if (name.equals(source.credentialsSecret())) {
      return Optional.of("spec.model.credentials.secretName");
    }
    if (source.s3() != null && name.equals(source.s3().caBundleSecret())) {
      return Optional.of("spec.model.s3.caBundleSecretName");
    }
    return Optional.empty();
  }

  /**
   * While working, what the work waits for that the user can act on: pods with no room, or pods
   * waiting for a Secret that does not exist.
   */
  private static State waitingFor(State reconciling, Observation seen) {
    if (reconciling.isTrue() && !seen.mountFailures().isEmpty()) {
      MountFailure first = seen.mountFailures().get(0);
      reconciling =
          new State(
              reconciling.status(),
              reconciling.reason(),
              reconciling.message() + "; " + first.describe());
    }
    if (!reconciling.isTrue() || seen.unschedulable().isEmpty()) {
      return reconciling;
    }
    int others = seen.unschedulable().size() - 1;
    return new State(
        reconciling.status(),
        reconciling.reason(),
        reconciling.message()
            + "; "
            + seen.unschedulable().get(0).describe()
            + (others > 0 ? " (and " + others + " more)" : ""));
  }

  private Condition condition(List<Condition> previous, String type, State state, Long generation) {
    return conditions.condition(
        previous, type, state.status(), state.reason(), state.message(), generation);
  }

  /**
   * True while the operator or the Deployment controller works toward the spec: a prepare Job, a
   * rollout, or a replica count being reached (a scale-up, from zero too), so that kstatus and Argo
   * CD wait for it the way they wait for a Deployment. Pods of the serving revision that do not
   * come up after a scale-up are not a stall: like the Deployment controller (whose progress
   * deadline covers rollouts, not scaling), the status keeps saying Scaling, since capacity may
   * still arrive.
   */
  private static State reconciling(
      DecisionView view,
      Optional<DeploymentProgress> deployment,
      ResolvedModelDeployment.Scale scale) {
    if (view.working().isPresent()) {
      return view.working().get();
    }
    if (view.settledOn().isPresent() && deployment.isEmpty()) {
      return new State(
          Conditions.TRUE,
          "Restoring",
          "revision "
              + view.settledOn().get().number()
              + " serves: its Deployment is being put back");
    }
    if (view.settledOn().isPresent()
        && !view.stalled().isTrue()
        && deployment.isPresent()
        && deployment.get().belowDesiredReplicas()) {
      DeploymentProgress progress = deployment.get();
      return new State(
          Conditions.TRUE,
          "Scaling",
          "revision "
              + view.settledOn().get().number()
              + ": "
              + progress.readyReplicas()
              + " of "
              + progress.desiredReplicas()
              + " replica(s) ready"
              + (scale.autoscaled() ? " (the autoscaler's count)" : ""));
    }
    return new State(Conditions.FALSE, "Settled", "nothing to do until the spec changes");
  }

  /**
   * What actually serves. Scaled to zero on purpose counts as ready: the state asked for is the
   * state reached, which is what GitOps tools wait on.
   */
  private static State ready(
      DecisionView view,
      Optional<Revision> serving,
      boolean servesUnrecorded,
      int ready,
      ResolvedModelDeployment resolved) {
    State stalled = view.stalled();
    String suffix = stalled.isTrue() ? "; " + stalled.message() : "";
    boolean settled = view.settledOn().isPresent();
    boolean scaledToZero =
        !resolved.scale().autoscaled() && resolved.scale().replicas() == 0 && settled;
    if (serving.isPresent() && scaledToZero) {
      return new State(
          Conditions.TRUE,
          "ScaledToZero",
          "revision "
              + serving.get().number()
              + " is scaled to zero (spec.replicas: 0): requests fail until it is scaled up");
    }
    if (serving.isPresent() && ready > 0) {
      return new State(
          Conditions.TRUE,
          settled || servesUnrecorded ? "Serving" : "PreviousRevisionServing",
          "revision "
              + serving.get().number()
              + " serving "
              + ready
              + " replica(s) at "
              + resolved.url()
              + suffix);
    }
    if (serving.isEmpty() && view.working().isPresent()) {
      return new State(
          Conditions.UNKNOWN,
          "NotServingYet",
          "no revision has served yet: " + view.working().get().message());
    }
    return serving.isPresent()
        ? new State(
            Conditions.FALSE,
            "NoReadyReplicas",
            "revision " + serving.get().number() + " has no ready replica" + suffix)
        : new State(Conditions.FALSE, "NothingServing", "no revision is serving" + suffix);
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
        o.status().wire(),
        o.job(),
        o.exitCode(),
        o.key(),
        o.originalBytes(),
        o.packageBytes(),
        text(o.ratio()),
        text(o.maxOutputError()),
        text(o.meanOutputError()),
        text(o.top1Agreement()),
        o.message(),
        o.training());
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
