package dev.maas.operator.plan;

import dev.maas.contract.PackageFormat;
import dev.maas.contract.PodLayout;
import dev.maas.operator.canary.CanaryWeights;
import dev.maas.operator.config.TrafficRouting;
import dev.maas.operator.decide.Decision;
import dev.maas.operator.decide.RolloutDecision;
import dev.maas.operator.observe.Observation;
import dev.maas.operator.observe.PrepareJobState;
import dev.maas.operator.render.DeploymentModel;
import dev.maas.operator.render.PrepareJobModel;
import dev.maas.operator.render.RevisionModel;
import dev.maas.operator.render.ServiceModel;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import dev.maas.operator.revision.DesiredRevision;
import dev.maas.operator.revision.History;
import dev.maas.operator.revision.PrepareOutcome;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.revision.TemplateHasher;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything the operator applies for a new ModelDeployment, as {@code render} prints it: revision
 * 1's ControllerRevision, then the objects of the plans the reconciler carries out for it, with the
 * same decision and the same builders. With compression that is two plans: the first reconcile
 * prepares (storage claim, Job, Service); once the Job reports its package, the next rolls out (the
 * Deployment, its HPA). The package's path and digest are only known from that report, so the
 * Deployment names {@link #REPORTED_PACKAGE} instead. With strategy Canary, the candidate's own
 * Deployment follows, as a canary of this spec would run it at its first live step (and its own
 * Service, where an HTTPRoute weighs canaries).
 */
public final class FirstRevision {
  /** Stands for the package path that only the prepare Job's report will tell. */
  public static final String REPORTED_PACKAGE =
      PodLayout.PACKAGES + "/" + PackageFormat.fileName("KEY-FROM-THE-PREPARE-JOB-REPORT");

  private static final Instant NOW = Instant.EPOCH;

  private FirstRevision() {}

  public static List<HasMetadata> objects(ResolvedModelDeployment md) {
    return objects(md, TrafficRouting.POD_SHARE);
  }

  /**
   * @param routing where the operator's configuration names an HTTPRoute, the candidate's pods are
   *     as many as its first step's share of the route needs, and its own Service follows
   */
  public static List<HasMetadata> objects(ResolvedModelDeployment md, TrafficRouting routing) {
    Revision revision =
        Revision.first(
            1, TemplateHasher.SHA256.hash(md.template(), 0), md.template(), md.revisionSpec());
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(RevisionModel.build(md.owner(), revision));
    Decision first =
        decide(md, new DesiredRevision(revision, true, 0), new History(List.of()), absentJob());
    addNew(objects, Plan.of(md, first, Optional.empty()).objects());
    Optional<Revision> preparing = first.prepareRevision();
    if (preparing.isPresent()) {
      String job = PrepareJobModel.name(md.name(), md.template());
      PrepareJobState reported =
          new PrepareJobState.Finished(job, PrepareOutcome.packaged(job, REPORTED_PACKAGE, null));
      Decision next =
          decide(
              md,
              new DesiredRevision(preparing.get(), false, 0),
              new History(first.changes()),
              new Observation(Optional.empty(), List.of(), reported, NOW));
      addNew(objects, Plan.of(md, next, Optional.empty()).objects());
      first = next;
    }
    Optional<Revision> deployed = first.deploymentRevision();
    if (md.rollout().canary().isPresent() && deployed.isPresent()) {
      // What a canary of this spec would run beside the serving revision at its first live step,
      // once another revision serves (the first revision itself rolls out, with nothing to be
      // compared with).
      int weight = md.rollout().canary().get().steps().get(0).weight();
      int pods =
          CanaryWeights.candidatePods(
              weight, md.scale().replicas(), routing.routesThroughHttpRoute());
      objects.add(DeploymentModel.buildCanary(md, deployed.get(), pods));
      if (routing.routesThroughHttpRoute()) {
        objects.add(ServiceModel.buildCanary(md));
      }
    }
    return objects;
  }

  private static Observation absentJob() {
    return new Observation(Optional.empty(), List.of(), new PrepareJobState.Absent(), NOW);
  }

  private static Decision decide(
      ResolvedModelDeployment md, DesiredRevision desired, History history, Observation seen) {
    return RolloutDecision.decide(
        new RolloutDecision.Input(
            desired,
            history,
            seen,
            md.rollout().autoRollback(),
            Duration.ofSeconds(md.rollout().progressDeadlineSeconds()),
            Optional.of(desired.revision().number())));
  }

  /** Objects of a later plan that an earlier one did not apply already. */
  private static void addNew(List<HasMetadata> objects, List<HasMetadata> more) {
    for (HasMetadata object : more) {
      boolean known =
          objects.stream()
              .anyMatch(
                  o ->
                      o.getKind().equals(object.getKind())
                          && o.getMetadata().getName().equals(object.getMetadata().getName()));
      if (!known) {
        objects.add(object);
      }
    }
  }
}
