package dev.maas.operator.cache;

import dev.maas.operator.revision.CanonicalJson;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import java.util.List;
import java.util.Map;

/** What each cached kind keeps. Each function changes its argument and returns it. */
public final class Trim {
  private Trim() {}

  /** No managedFields: nothing the operator reads of this kind uses them. */
  public static <R extends HasMetadata> R managedFields(R object) {
    object.getMetadata().setManagedFields(null);
    return object;
  }

  /**
   * Only the managedFields entries of {@code manager}: java-operator-sdk's server-side-apply
   * matcher compares what the operator applies with the fields its own manager owns, and with
   * nothing else (the controllers' status entries, kubectl's edits).
   */
  public static <R extends HasMetadata> R managedFieldsExcept(R object, String manager) {
    List<ManagedFieldsEntry> entries = object.getMetadata().getManagedFields();
    if (entries != null) {
      object
          .getMetadata()
          .setManagedFields(entries.stream().filter(e -> manager.equals(e.getManager())).toList());
    }
    return object;
  }

  /**
   * A revision record with its data as JSON text rather than a tree of maps: the operator reads it
   * whole when it loads the history ({@code RevisionModel.read} takes either form), and as text it
   * is a tenth of the size.
   */
  public static ControllerRevision revisionData(ControllerRevision revision) {
    if (revision.getData() != null && !(revision.getData() instanceof String)) {
      revision.setData(CanonicalJson.of(revision.getData()));
    }
    return revision;
  }

  /**
   * A pod as the observer reads it: its name, labels and deletion, the node it was placed on, its
   * conditions, its address (a canary reads pods' metrics there) and its containers' states. The
   * spec (containers, volumes, env: most of a pod's bytes) is never read; the operator's pods are
   * its own Deployment's and Jobs', whose specs it knows.
   */
  public static Pod pod(Pod pod) {
    managedFields(pod);
    // Empty, not absent: java-operator-sdk reads a pod's annotations on every event.
    pod.getMetadata().setAnnotations(Map.of());
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    pod.setSpec(new PodSpecBuilder().withNodeName(node).build());
    PodStatus status = pod.getStatus();
    if (status != null) {
      pod.setStatus(
          new PodStatusBuilder()
              .withPhase(status.getPhase())
              .withPodIP(status.getPodIP())
              .withReason(status.getReason())
              .withMessage(status.getMessage())
              .withConditions(status.getConditions())
              .withContainerStatuses(containers(status.getContainerStatuses()))
              .withInitContainerStatuses(containers(status.getInitContainerStatuses()))
              .build());
    }
    return pod;
  }

  private static List<ContainerStatus> containers(List<ContainerStatus> statuses) {
    if (statuses == null) {
      return null;
    }
    return statuses.stream()
        .map(
            s ->
                new ContainerStatusBuilder()
                    .withName(s.getName())
                    .withReady(s.getReady())
                    .withRestartCount(s.getRestartCount())
                    .withState(s.getState())
                    .withLastState(s.getLastState())
                    .build())
        .toList();
  }
}
