package dev.maas.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas.operator.api.CrdConstants;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.status.ModelDeploymentStatus;
import dev.maas.operator.api.status.RolloutStatus;
import dev.maas.operator.cache.Stores;
import dev.maas.operator.canary.CanaryEvidence;
import dev.maas.operator.canary.PodScraper;
import dev.maas.operator.canary.RolloutCommand;
import dev.maas.operator.config.OperatorConfig;
import dev.maas.operator.decide.CanaryPlan;
import dev.maas.operator.decide.Decision;
import dev.maas.operator.decide.RolloutDecision;
import dev.maas.operator.dependent.AutoscalerDependent;
import dev.maas.operator.dependent.CanaryDeploymentDependent;
import dev.maas.operator.dependent.CanaryServiceDependent;
import dev.maas.operator.dependent.LiveSettingsDependent;
import dev.maas.operator.dependent.NetworkPolicyDependent;
import dev.maas.operator.dependent.PlanHandoff;
import dev.maas.operator.dependent.Preconditions;
import dev.maas.operator.dependent.PrepareJobDependent;
import dev.maas.operator.dependent.RuntimeDeploymentDependent;
import dev.maas.operator.dependent.RuntimeServiceAccountDependent;
import dev.maas.operator.dependent.RuntimeServiceDependent;
import dev.maas.operator.dependent.StorageClaimDependent;
import dev.maas.operator.metrics.RolloutMetrics;
import dev.maas.operator.observe.DeploymentProgress;
import dev.maas.operator.observe.MountFailure;
import dev.maas.operator.observe.Observation;
import dev.maas.operator.observe.Observer;
import dev.maas.operator.observe.PrepareJobRef;
import dev.maas.operator.observe.RoutedService;
import dev.maas.operator.plan.FieldManager;
import dev.maas.operator.plan.Plan;
import dev.maas.operator.render.PrepareJobModel;
import dev.maas.operator.render.RecordSize;
import dev.maas.operator.render.RevisionModel;
import dev.maas.operator.resolve.HubPins;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import dev.maas.operator.revision.DesiredRevision;
import dev.maas.operator.revision.History;
import dev.maas.operator.revision.Pruning;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.revision.TemplateHasher;
import dev.maas.operator.status.Conditions;
import dev.maas.operator.status.StatusChange;
import dev.maas.operator.status.StatusFactory;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observe, resolve, decide, apply, report. The spec is resolved against the operator's
 * configuration into a runtime template; its hash names the desired revision (a ControllerRevision
 * is recorded the first time); the cluster is observed (the Deployment, the revision's pods, the
 * prepare Job); a pure function decides what happens next; the revisions' records are written, the
 * plan is handed to one dependent per owned object; and the status is written only when it changed,
 * so a reconcile with nothing to do writes nothing at all.
 */
@ControllerConfiguration(
    name = FieldManager.NAME,
    informer =
        @Informer(itemStore = Stores.ModelDeployments.class, informerListLimit = Stores.LIST_PAGE))
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(
          name = "storage",
          type = StorageClaimDependent.class,
          reconcilePrecondition = Preconditions.StorageClaimRequested.class),
      @Dependent(
          name = "prepare",
          type = PrepareJobDependent.class,
          reconcilePrecondition = Preconditions.PrepareRequested.class),
      @Dependent(
          name = "network-policy",
          type = NetworkPolicyDependent.class,
          reconcilePrecondition = Preconditions.NetworkPolicyRequested.class),
      @Dependent(
          name = "runtime-service-account",
          type = RuntimeServiceAccountDependent.class,
          reconcilePrecondition = Preconditions.RuntimeServiceAccountRequested.class),
      @Dependent(name = "service", type = RuntimeServiceDependent.class),
      @Dependent(
          name = "canary-service",
          type = CanaryServiceDependent.class,
          useEventSourceWithName = "service",
          reconcilePrecondition = Preconditions.CanaryServicePlanned.class),
      @Dependent(
          name = "deployment",
          type = RuntimeDeploymentDependent.class,
          reconcilePrecondition = Preconditions.DeploymentPlanned.class),
      @Dependent(
          name = "canary",
          type = CanaryDeploymentDependent.class,
          useEventSourceWithName = "deployment",
          reconcilePrecondition = Preconditions.CanaryPlanned.class),
      @Dependent(
          name = "live-settings",
          type = LiveSettingsDependent.class,
          reconcilePrecondition = Preconditions.LiveSettingsRequested.class),
      @Dependent(
          name = "autoscaler",
          type = AutoscalerDependent.class,
          reconcilePrecondition = Preconditions.AutoscalingRequested.class)
    })
public class ModelDeploymentReconciler implements Reconciler<ModelDeployment> {
  private static final Logger LOG = LoggerFactory.getLogger(ModelDeploymentReconciler.class);
  private static final String SPEC_TOO_LARGE = "SpecTooLarge";

  /**
   * A status that differs only in its counts waits at most this long after the last write, so a
   * rollout of 30 pods writes a handful of statuses, not one per pod per step.
   */
  static final Duration COUNTS_WINDOW = Duration.ofSeconds(5);

  private final OperatorConfig config;
  private final StatusFactory statuses;
  private final EventRecorder events;
  private final RevisionEvents revisionEvents;
  private final Clock clock;
  private final TemplateHasher hasher;
  private RevisionStore revisions;
  private PreparedPackages packages;
  private LivePods livePods;
  private TokenReviewers tokenReviewers;
  private HttpRoutes routes;
  private final StatusPacing pacing;
  private final CanaryMetrics canaryMetrics;
  private final RolloutMetrics rolloutMetrics;

  private final HubPins hubPins;

  public ModelDeploymentReconciler(
      OperatorConfig config,
      Conditions conditions,
      EventRecorder events,
      Clock clock,
      TemplateHasher hasher,
      PodScraper scraper,
      RolloutMetrics rolloutMetrics) {
    this(config, conditions, events, clock, hasher, scraper, rolloutMetrics, HubPins.NONE);
  }

  /**
   * @param hubPins what Hub branches name now, so that an hf:// source naming a branch is pinned
   */
  public ModelDeploymentReconciler(
      OperatorConfig config,
      Conditions conditions,
      EventRecorder events,
      Clock clock,
      TemplateHasher hasher,
      PodScraper scraper,
      RolloutMetrics rolloutMetrics,
      HubPins hubPins) {
    this.hubPins = hubPins;
    this.canaryMetrics = new CanaryMetrics(scraper);
    this.rolloutMetrics = rolloutMetrics;
    this.config = config;
    this.statuses = new StatusFactory(conditions);
    this.events = events;
    this.revisionEvents = new RevisionEvents(events);
    this.clock = clock;
    this.hasher = hasher;
    this.pacing = new StatusPacing(clock, COUNTS_WINDOW);
  }

  @Override
  public List<EventSource<?, ModelDeployment>> prepareEventSources(
      EventSourceContext<ModelDeployment> context) {
    InformerEventSource<ControllerRevision, ModelDeployment> revisionSource =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ControllerRevision.class, ModelDeployment.class)
                .withLabelSelector(CrdConstants.LABEL_MODEL_DEPLOYMENT)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ModelDeployment.class))
                .withItemStore(new Stores.Revisions())
                .withInformerListLimit(Stores.LIST_PAGE)
                .build(),
            context);
    // The runtime pods (crash loops fail a rollout) and the prepare Jobs' pods (their reports).
    InformerEventSource<Pod, ModelDeployment> podSource =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, ModelDeployment.class)
                .withLabelSelector(CrdConstants.LABEL_MODEL_DEPLOYMENT)
                .withSecondaryToPrimaryMapper(
                    pod ->
                        Set.of(
                            new ResourceID(
                                pod.getMetadata()
                                    .getLabels()
                                    .get(CrdConstants.LABEL_MODEL_DEPLOYMENT),
                                pod.getMetadata().getNamespace())))
                .withItemStore(new Stores.Pods())
                .withInformerListLimit(Stores.LIST_PAGE)
                .build(),
            context);
    // kubelet's FailedMount events: a pod that waits for a Secret or ConfigMap that does not exist
    // says so nowhere else. Mapped to the ModelDeployment through its pod's label.
    InformerEventSource<Event, ModelDeployment> mountFailureSource =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Event.class, ModelDeployment.class)
                .withFieldSelector(
                    new FieldSelector(
                        new FieldSelector.Field("reason", MountFailure.REASON),
                        new FieldSelector.Field("involvedObject.kind", "Pod")))
                .withSecondaryToPrimaryMapper(
                    event ->
                        podSource
                            .get(
                                new ResourceID(
                                    event.getInvolvedObject().getName(),
                                    event.getInvolvedObject().getNamespace()))
                            .map(
                                pod ->
                                    Set.of(
                                        new ResourceID(
                                            pod.getMetadata()
                                                .getLabels()
                                                .get(CrdConstants.LABEL_MODEL_DEPLOYMENT),
                                            pod.getMetadata().getNamespace())))
                            .orElse(Set.of()))
                .withInformerListLimit(Stores.LIST_PAGE)
                .build(),
            context);
    revisions = new RevisionStore(context.getClient(), revisionSource);
    packages = new PreparedPackages(context.getClient());
    livePods = new LivePods(context.getClient(), clock);
    tokenReviewers = new TokenReviewers(context.getClient(), config.operatorPods().namespace());
    routes = new HttpRoutes(context.getClient(), config.trafficRouting());
    return List.of(revisionSource, podSource, mountFailureSource);
  }

  @Override
  public UpdateControl<ModelDeployment> reconcile(
      ModelDeployment md, Context<ModelDeployment> context) {
    List<Deployment> deployments = List.copyOf(context.getSecondaryResources(Deployment.class));
    String name = md.getMetadata().getName();
    Optional<Deployment> deployment =
        deployments.stream().filter(d -> name.equals(d.getMetadata().getName())).findFirst();
    History history = revisions.load(context);
    ResolvedModelDeployment.Resolution resolution =
        ResolvedModelDeployment.resolve(md, config, hubPins.orRecorded(history));
    if (resolution.stalledReason().isPresent()) {
      return invalid(md, "InvalidSpec", resolution.stalledReason().get(), deployment, context);
    }
    ResolvedModelDeployment resolved = resolution.resolved().get();
    tokenReviewers.reconciled(md, () -> context.getPrimaryCache().list().toList());

    DesiredRevision desired =
        DesiredRevision.resolve(
            resolved.template(),
            resolved.revisionSpec(),
            history,
            hasher,
            Observer.running(deployment),
            clock.instant());
    Revision target = desired.revision();
    Optional<String> tooLarge =
        desired.isNew()
            ? RecordSize.problem(RevisionModel.build(resolved.owner(), target), md.getSpec())
            : Optional.empty();
    if (tooLarge.isPresent()) {
      return invalid(md, SPEC_TOO_LARGE, tooLarge.get(), deployment, context);
    }
    List<Pod> pods = List.copyOf(context.getSecondaryResources(Pod.class));
    Observation seen =
        Observer.observe(
            deployment,
            pods,
            List.copyOf(context.getSecondaryResources(Job.class)),
            target.hash(),
            new PrepareJobRef(
                PrepareJobModel.name(resolved.name(), target.template()),
                PrepareJobModel.CONTAINER),
            context.getSecondaryResource(PersistentVolumeClaim.class),
            clock.instant());
    seen =
        seen.withMountFailures(
            MountFailure.of(List.copyOf(context.getSecondaryResources(Event.class)), pods));
    Optional<RolloutStatus> rollout =
        Optional.ofNullable(md.getStatus()).map(ModelDeploymentStatus::rollout);
    CanaryEvidence evidence = CanaryEvidence.NONE;
    Optional<JsonNode> route = Optional.empty();
    if (resolved.rollout().canary().isPresent()) {
      route = routes.read(md);
      seen =
          seen.withCanary(
              Observer.canary(deployments, pods, name, resolved.scale().replicas())
                  .withRoute(route.flatMap(r -> RoutedService.of(r, name)))
                  .withScheme(resolved.access().scheme()));
      evidence =
          canaryMetrics.gather(
              ResourceID.fromResource(md),
              resolved.rollout().canary().get(),
              rollout,
              target.number(),
              seen.canary(),
              seen.now());
    }
    Decision decision =
        RolloutDecision.decide(
            new RolloutDecision.Input(
                desired,
                history,
                seen,
                resolved.rollout().autoRollback(),
                Duration.ofSeconds(resolved.rollout().progressDeadlineSeconds()),
                Optional.ofNullable(md.getStatus()).map(ModelDeploymentStatus::desiredRevision),
                resolved.rollout().canary(),
                rollout,
                evidence,
                Optional.ofNullable(md.getMetadata().getAnnotations())
                    .map(a -> a.get(RolloutCommand.ANNOTATION))));

    History after;
    try {
      after = record(md, resolved, decision, history, pods);
    } catch (KubernetesClientException e) {
      if (!tooLarge(e)) {
        throw e;
      }
      return invalid(
          md,
          SPEC_TOO_LARGE,
          "the API server refused revision "
              + target.number()
              + "'s record as too large ("
              + apiMessage(e)
              + "); shrink the spec's largest values",
          deployment,
          context);
    }
    packages.removeSpentJob(md, seen);
    Revision now = after.byNumber(target.number()).orElseThrow();
    prune(md, resolved, after, now, decision);

    // Before the workflow: the route stops naming the candidate's Service before it goes.
    route.ifPresent(
        r ->
            routes.weigh(
                md,
                r,
                decision
                    .canary()
                    .flatMap(CanaryPlan::routed)
                    .map(CanaryPlan.Routed::weight)
                    .orElse(0)));
    PlanHandoff handoff = PlanHandoff.of(Plan.of(resolved, decision, deployment));
    handoff.handTo(context);
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    decision.canary().ifPresent(c -> livePods.admit(md, c.goLive()));
    List<String> applied = handoff.changes().list();
    if (!applied.isEmpty()) {
      // One event per reconcile, not per object: at scale every event is an API write.
      events.normal(md, "Applied", String.join(", ", applied));
    }
    if (!seen.unschedulable().isEmpty()
        && !LastStatus.said(md, Conditions.RECONCILING, "cannot be scheduled")) {
      events.warning(md, "Unschedulable", seen.unschedulable().get(0).describe());
    }
    ModelDeploymentStatus status = statuses.of(md, resolved, now, decision, after, seen);
    rolloutMetrics.observe(md, decision, status);
    return writeStatus(md, status, context, decision.recheckAfter());
  }

  /**
   * Writes the revision records the decision changed (the new revision, in its final state of this
   * reconcile, among them) and tells of each transition a user would want to hear of.
   */
  private History record(
      ModelDeployment md,
      ResolvedModelDeployment resolved,
      Decision decision,
      History history,
      List<Pod> pods) {
    History after = history;
    for (Revision revision : decision.changes()) {
      Optional<Revision> stored = history.byNumber(revision.number());
      if (stored.isPresent() && stored.get().equals(revision)) {
        continue;
      }
      revisions.save(md, resolved.owner(), revision);
      after = after.with(revision);
      revisionEvents.transition(md, stored, revision);
      packages.restartAfterRestore(md, stored, revision, pods);
    }
    revisionEvents.decided(md, decision);
    return after;
  }

  /** Beyond revisionHistoryLimit, the oldest go; never the serving, desired or deployed one. */
  private void prune(
      ModelDeployment md,
      ResolvedModelDeployment resolved,
      History history,
      Revision desired,
      Decision decision) {
    Set<String> keep = new HashSet<>();
    keep.add(desired.hash());
    history.serving().ifPresent(r -> keep.add(r.hash()));
    decision.deploymentRevision().ifPresent(r -> keep.add(r.hash()));
    for (Revision old : Pruning.toPrune(history, resolved.revisionHistoryLimit(), keep)) {
      LOG.info(
          "pruning revision {} of {}/{}",
          old.number(),
          md.getMetadata().getNamespace(),
          md.getMetadata().getName());
      revisions.delete(md, old);
    }
  }

  private UpdateControl<ModelDeployment> writeStatus(
      ModelDeployment md,
      ModelDeploymentStatus status,
      Context<ModelDeployment> context,
      Optional<Duration> requeue) {
    StatusChange change = StatusChange.between(md.getStatus(), status);
    ResourceID id = ResourceID.fromResource(md);
    Optional<Duration> wait = pacing.holdBack(id, change);
    if (wait.isPresent()) {
      Duration next = requeue.filter(r -> r.compareTo(wait.get()) < 0).orElse(wait.get());
      return UpdateControl.<ModelDeployment>noUpdate().rescheduleAfter(next);
    }
    boolean changed = change != StatusChange.NONE;
    LOG.debug(
        "reconciled namespace={} name={} statusChanged={}",
        md.getMetadata().getNamespace(),
        md.getMetadata().getName(),
        changed);
    if (changed) {
      pacing.written(id);
      ModelDeployment patch = new ModelDeployment();
      patch.getMetadata().setName(md.getMetadata().getName());
      patch.getMetadata().setNamespace(md.getMetadata().getNamespace());
      patch.setStatus(status);
      // Patched here rather than through UpdateControl so the result goes into the cache: a
      // reconcile that runs before the informer sees this write must not write it again.
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(md, patch, context);
    }
    UpdateControl<ModelDeployment> control = UpdateControl.noUpdate();
    return requeue.map(control::rescheduleAfter).orElse(control);
  }

  /** Stalled until the spec changes, with a Warning event once per generation. */
  private UpdateControl<ModelDeployment> invalid(
      ModelDeployment md,
      String reason,
      String message,
      Optional<Deployment> deployment,
      Context<ModelDeployment> context) {
    if (!LastStatus.trueFor(md, Conditions.STALLED, reason)) {
      events.warning(md, reason, message);
    }
    LOG.info(
        "{}/{} stalled: {}", md.getMetadata().getNamespace(), md.getMetadata().getName(), reason);
    rolloutMetrics.stalled(md, true);
    return writeStatus(
        md,
        statuses.invalid(md, reason, message, deployment.map(DeploymentProgress::of)),
        context,
        Optional.empty());
  }

  /** etcd's "request is too large", or the API server's own 413. */
  private static boolean tooLarge(KubernetesClientException e) {
    String message = apiMessage(e);
    return e.getCode() == 413 || (message != null && message.contains("too large"));
  }

  private static String apiMessage(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage()
        : e.getMessage();
  }
}
