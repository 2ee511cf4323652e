package dev.maas.operator.observe;

import dev.maas.contract.PrepareReport;
import dev.maas.contract.PrepareStatus;
import dev.maas.contract.ServeFlags;
import dev.maas.operator.api.CrdConstants;
import dev.maas.operator.revision.PrepareOutcome;
import dev.maas.operator.revision.RunningRevision;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns what the informers hold (the Deployment, the ModelDeployment's pods, its Jobs, its storage
 * claim) into an {@link Observation}. A pure function of its arguments, so each case is a unit
 * test.
 */
public final class Observer {
  private Observer() {}

  public static Observation observe(
      Optional<Deployment> deployment,
      List<Pod> pods,
      List<Job> jobs,
      String desiredHash,
      PrepareJobRef prepareJob,
      Optional<PersistentVolumeClaim> storageClaim,
      Instant now) {
    Optional<StorageClaimState> claim = storageClaim.map(StorageClaimState::of);
    List<Pod> revisionPods =
        pods.stream()
            .filter(p -> desiredHash.equals(label(p, CrdConstants.LABEL_REVISION_HASH)))
            .toList();
    Optional<Job> job =
        jobs.stream().filter(j -> prepareJob.name().equals(j.getMetadata().getName())).findFirst();
    return new Observation(
        deployment.map(DeploymentProgress::of),
        PodTrouble.of(revisionPods),
        job.map(j -> jobState(j, prepareJob.container(), pods, claim))
            .orElse(new PrepareJobState.Absent()),
        now,
        Unschedulable.of(revisionPods),
        claim);
  }

  /**
   * The Deployments by role and their pods: the candidate's ({@code <name>-canary}, pods labelled
   * with the canary role) and the stable one's (every other runtime pod; prepare Jobs' pods are not
   * runtime pods).
   *
   * @param replicas the count to assume when the stable Deployment does not exist
   */
  public static CanaryView canary(
      List<Deployment> deployments, List<Pod> pods, String name, int replicas) {
    String canaryName = name + "-canary";
    Optional<Deployment> canary =
        deployments.stream().filter(d -> canaryName.equals(d.getMetadata().getName())).findFirst();
    int stableReplicas =
        deployments.stream()
            .filter(d -> name.equals(d.getMetadata().getName()))
            .map(d -> d.getSpec().getReplicas())
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(replicas);
    List<RuntimePod> candidates =
        pods.stream()
            .filter(p -> CrdConstants.ROLE_CANARY.equals(label(p, CrdConstants.LABEL_ROLE)))
            .map(RuntimePod::of)
            .toList();
    List<RuntimePod> stable =
        pods.stream()
            .filter(p -> label(p, CrdConstants.LABEL_ROLE) == null)
            .filter(p -> label(p, CrdConstants.LABEL_REVISION_HASH) != null)
            .filter(p -> label(p, CrdConstants.LABEL_PREPARE_KEY) == null)
            .map(RuntimePod::of)
            .toList();
    return new CanaryView(canary.map(DeploymentProgress::of), candidates, stable, stableReplicas);
  }

  /**
   * The revision the Deployment's pod template runs, as its labels and the runtime's environment
   * say; empty when it does not carry both labels.
   */
  public static Optional<RunningRevision> running(Optional<Deployment> deployment) {
    return deployment.flatMap(
        d -> {
          PodTemplateSpec template = d.getSpec().getTemplate();
          Map<String, String> labels =
              template.getMetadata() == null || template.getMetadata().getLabels() == null
                  ? Map.of()
                  : template.getMetadata().getLabels();
          String hash = labels.get(CrdConstants.LABEL_REVISION_HASH);
          String number = labels.get(CrdConstants.LABEL_REVISION);
          if (hash == null || number == null || !number.matches("[0-9]{1,18}")) {
            return Optional.empty();
          }
          Map<String, String> env =
              template.getSpec().getContainers().stream()
                  .flatMap(c -> Optional.ofNullable(c.getEnv()).orElse(List.of()).stream())
                  .filter(e -> e.getValue() != null)
                  .collect(
                      java.util.stream.Collectors.toMap(
                          EnvVar::getName, EnvVar::getValue, (a, b) -> a));
          return Optional.of(
              new RunningRevision(
                  Long.parseLong(number),
                  hash,
                  env.get(ServeFlags.ENV_MODEL_URI),
                  env.get(ServeFlags.ENV_MODEL_SHA256),
                  DeploymentProgress.of(d).rolledOut()));
        });
  }

  /** A finished Job that ended before the claim there now was created wrote to another claim. */
  static PrepareJobState jobState(
      Job job, String container, List<Pod> pods, Optional<StorageClaimState> claim) {
    PrepareJobState state = jobState(job, container, pods);
    if (state instanceof PrepareJobState.Finished
        && claim.isPresent()
        && finishedAt(job).map(t -> t.isBefore(claim.get().createdAt())).orElse(false)) {
      return new PrepareJobState.Stale(job.getMetadata().getName());
    }
    return state;
  }

  private static Optional<Instant> finishedAt(Job job) {
    if (job.getStatus() == null) {
      return Optional.empty();
    }
    String at =
        Optional.ofNullable(job.getStatus().getCompletionTime())
            .or(
                () ->
                    condition(job, "Failed")
                        .or(() -> condition(job, "Complete"))
                        .map(JobCondition::getLastTransitionTime))
            .orElse(null);
    return at == null ? Optional.empty() : Optional.of(OffsetDateTime.parse(at).toInstant());
  }

  static PrepareJobState jobState(Job job, String container, List<Pod> pods) {
    String name = job.getMetadata().getName();
    Optional<JobCondition> complete = condition(job, "Complete");
    Optional<JobCondition> failed = condition(job, "Failed");
    if (complete.isEmpty() && failed.isEmpty()) {
      return new PrepareJobState.Running(name);
    }
    Optional<ContainerStateTerminated> last = lastTermination(name, container, pods);
    Optional<PrepareOutcome> report =
        last.flatMap(
            t ->
                PrepareReport.parse(t.getMessage())
                    .map(r -> PrepareOutcome.reported(r, name, t.getExitCode())));
    if (complete.isPresent()) {
      return new PrepareJobState.Finished(
          name,
          report.orElse(
              PrepareOutcome.failed(
                  name, null, "the prepare Job succeeded, but its pod's report is gone")));
    }
    JobCondition why = failed.get();
    String jobMessage =
        "Job "
            + name
            + " failed: "
            + why.getReason()
            + (why.getMessage() == null ? "" : ": " + why.getMessage());
    return new PrepareJobState.Finished(
        name,
        report
            .filter(r -> r.status() != PrepareStatus.OK)
            .orElse(
                PrepareOutcome.failed(
                    name,
                    last.map(ContainerStateTerminated::getExitCode).orElse(null),
                    jobMessage)));
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    return job.getStatus() == null || job.getStatus().getConditions() == null
        ? Optional.empty()
        : job.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
            .findFirst();
  }

  /** The most recent termination of the prepare container among the Job's pods. */
  private static Optional<ContainerStateTerminated> lastTermination(
      String job, String container, List<Pod> pods) {
    return pods.stream()
        .filter(
            p ->
                job.equals(label(p, "job-name"))
                    || job.equals(label(p, "batch.kubernetes.io/job-name")))
        .flatMap(
            p ->
                Optional.ofNullable(p.getStatus())
                    .map(s -> s.getContainerStatuses())
                    .orElse(List.of())
                    .stream())
        .filter(s -> container.equals(s.getName()))
        .map(ContainerStatus::getState)
        .filter(Objects::nonNull)
        .map(s -> s.getTerminated())
        .filter(Objects::nonNull)
        .max(Comparator.comparing(t -> Optional.ofNullable(t.getFinishedAt()).orElse("")));
  }

  private static String label(Pod pod, String key) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }
}
