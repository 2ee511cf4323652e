package dev.maas.operator.reconciler;

import dev.maas.operator.api.CrdConstants;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.observe.Observation;
import dev.maas.operator.observe.PrepareJobState;
import dev.maas.operator.revision.PrepareOutcome;
import dev.maas.operator.revision.Revision;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps prepared packages and what uses them in step. A prepare Job that succeeded goes as soon as
 * its report is in the revision's record: its Completed pod would otherwise keep the storage claim
 * in use (the claim's protection finalizer waits for every pod that names it) for the Job's whole
 * TTL, so a claim deleted by hand could not go and pods rescheduled meanwhile would wait on it. A
 * Job that failed stays for its TTL, so {@code kubectl logs} can show why. A Job that wrote to a
 * claim since replaced goes too, to make way for the one that prepares the package again; and once
 * a lost package is back, the revision's pods that failed for want of it start again at once
 * instead of waiting out the crash back-off.
 */
final class PreparedPackages {
  private static final Logger LOG = LoggerFactory.getLogger(PreparedPackages.class);

  private final KubernetesClient client;

  PreparedPackages(KubernetesClient client) {
    this.client = client;
  }

  /** Deletes the observed prepare Job when it has nothing more to give. */
  void removeSpentJob(ModelDeployment md, Observation seen) {
    PrepareJobState job = seen.prepareJob();
    String name = null;
    if (job instanceof PrepareJobState.Finished finished && finished.outcome().succeeded()) {
      name = finished.job();
    } else if (job instanceof PrepareJobState.Stale stale) {
      name = stale.job();
    }
    if (name == null) {
      return;
    }
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(md.getMetadata().getNamespace())
          .withName(name)
          .withPropagationPolicy(DeletionPropagation.BACKGROUND)
          .delete();
    } catch (KubernetesClientException e) {
      // Its report is recorded: the rollout goes on, and the Job goes by its TTL instead.
      LOG.warn(
          "cannot delete finished prepare Job {}/{} ({}); it goes by its TTL",
          md.getMetadata().getNamespace(),
          name,
          e.getCode());
    }
  }

  /**
   * A revision whose package was prepared again (its claim changed under it): its pods that are not
   * ready crashed on the missing package, and start again now.
   */
  void restartAfterRestore(
      ModelDeployment md, Optional<Revision> before, Revision after, List<Pod> pods) {
    String was = before.map(Revision::prepare).map(PrepareOutcome::claimUid).orElse(null);
    String now = Optional.ofNullable(after.prepare()).map(PrepareOutcome::claimUid).orElse(null);
    if (was == null || now == null || was.equals(now)) {
      return;
    }
    for (Pod pod : pods) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      if (labels != null
          && after.hash().equals(labels.get(CrdConstants.LABEL_REVISION_HASH))
          && !ready(pod)
          && pod.getMetadata().getDeletionTimestamp() == null) {
        LOG.info(
            "restarting pod {}/{}: the package it lacked is back",
            pod.getMetadata().getNamespace(),
            pod.getMetadata().getName());
        try {
          client.pods().resource(pod).delete();
        } catch (KubernetesClientException e) {
          LOG.warn(
              "cannot restart pod {}/{} ({}); it restarts after its crash back-off",
              pod.getMetadata().getNamespace(),
              pod.getMetadata().getName(),
              e.getCode());
        }
      }
    }
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType()))
            .map(PodCondition::getStatus)
            .anyMatch(s -> Objects.equals(s, "True"));
  }
}
