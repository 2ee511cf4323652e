package dev.maas.operator.plan;

import dev.maas.contract.ShadowSettings;
import dev.maas.operator.decide.CanaryPlan;
import dev.maas.operator.decide.Decision;
import dev.maas.operator.render.AutoscalerModel;
import dev.maas.operator.render.DeploymentModel;
import dev.maas.operator.render.LiveSettings;
import dev.maas.operator.render.NetworkPolicyModel;
import dev.maas.operator.render.PrepareJobModel;
import dev.maas.operator.render.RuntimeServiceAccount;
import dev.maas.operator.render.ServiceModel;
import dev.maas.operator.render.StorageClaimModel;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import dev.maas.operator.revision.Revision;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile applies, decided before anything is applied: the resolved ModelDeployment, the
 * revision the Deployment runs, the replica count, and the revision whose prepare Job must exist.
 * The owned objects come from here only, for the reconciler's dependents and for {@code render}
 * alike, so the two cannot build different objects.
 *
 * @param deployment the revision the Deployment runs; empty while nothing is ready to roll out
 * @param replicas null to leave the count to the HPA
 * @param prepare the revision whose prepare Job must exist
 */
public record Plan(
    ResolvedModelDeployment resolved,
    Optional<Revision> deployment,
    Integer replicas,
    Optional<Revision> prepare,
    Optional<CanaryPlan> canary,
    Optional<ShadowSettings> shadow) {

  public Plan(
      ResolvedModelDeployment resolved,
      Optional<Revision> deployment,
      Integer replicas,
      Optional<Revision> prepare) {
    this(resolved, deployment, replicas, prepare, Optional.empty(), Optional.empty());
  }

  /** The plan that carries out a decision; {@code actual} is the Deployment as it is now. */
  public static Plan of(
      ResolvedModelDeployment resolved, Decision decision, Optional<Deployment> actual) {
    return new Plan(
        resolved,
        decision.deploymentRevision(),
        ReplicaCount.of(resolved.scale(), actual),
        decision.prepareRevision(),
        decision.canary(),
        decision.shadow());
  }

  /** The candidate's Deployment, during a canary. */
  public Optional<Deployment> canaryDeployment() {
    return canary.map(c -> DeploymentModel.buildCanary(resolved, c.revision(), c.replicas()));
  }

  /** What serving pods read while they run, for a ModelDeployment whose strategy is Canary. */
  public Optional<ConfigMap> liveSettings() {
    return resolved.rollout().canary().isPresent()
        ? Optional.of(LiveSettings.build(resolved, shadow))
        : Optional.empty();
  }

  /** Compression is asked for and the spec names no claim of its own. */
  public Optional<PersistentVolumeClaim> storageClaim() {
    return StorageClaimModel.build(resolved);
  }

  public Optional<Job> prepareJob() {
    return prepare.map(revision -> PrepareJobModel.build(resolved, revision));
  }

  public Service service() {
    return ServiceModel.build(
        resolved, canary.flatMap(CanaryPlan::routed).flatMap(CanaryPlan.Routed::servingOnly));
  }

  /** The candidate's own Service, while an HTTPRoute weighs its canary. */
  public Optional<Service> canaryService() {
    return canary.flatMap(CanaryPlan::routed).map(r -> ServiceModel.buildCanary(resolved));
  }

  public Optional<Deployment> runtimeDeployment() {
    return deployment.map(revision -> DeploymentModel.build(resolved, revision, replicas));
  }

  /** spec.autoscaling is set and there is a Deployment to scale. */
  public Optional<HorizontalPodAutoscaler> autoscaler() {
    return deployment.isPresent() ? AutoscalerModel.build(resolved) : Optional.empty();
  }

  /** Who may connect to the runtime pods, when spec.access.allowFrom names anyone. */
  public Optional<NetworkPolicy> networkPolicy() {
    return NetworkPolicyModel.build(resolved);
  }

  /** The runtime pods' own service account, when callers may present Kubernetes tokens. */
  public Optional<ServiceAccount> runtimeServiceAccount() {
    return RuntimeServiceAccount.build(resolved);
  }

  /** Every object of the plan, in the order the reconciler's workflow applies them. */
  public List<HasMetadata> objects() {
    List<HasMetadata> objects = new ArrayList<>();
    storageClaim().ifPresent(objects::add);
    prepareJob().ifPresent(objects::add);
    networkPolicy().ifPresent(objects::add);
    runtimeServiceAccount().ifPresent(objects::add);
    objects.add(service());
    canaryService().ifPresent(objects::add);
    liveSettings().ifPresent(objects::add);
    runtimeDeployment().ifPresent(objects::add);
    canaryDeployment().ifPresent(objects::add);
    autoscaler().ifPresent(objects::add);
    return objects;
  }
}
