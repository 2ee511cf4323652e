package dev.maas.operator.observe;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Optional;

/**
 * A runtime pod as a canary sees it.
 *
 * @param containersReady its model is loaded and it answers (kubelet's ContainersReady): it can be
 *     mirrored to and measured, behind the Service or not
 * @param ready it is behind the Service (Ready: containers ready and every readiness gate set)
 * @param live its {@link #LIVE_GATE} readiness gate is set
 */
public record RuntimePod(
    String name, String ip, boolean containersReady, boolean ready, boolean live) {
  /** The readiness gate that keeps a candidate's pods out of the Service until a live step. */
  public static final String LIVE_GATE = "maas.dev/live";

  public static RuntimePod of(Pod pod) {
    List<PodCondition> conditions =
        pod.getStatus() == null || pod.getStatus().getConditions() == null
            ? List.of()
            : pod.getStatus().getConditions();
    boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
    return new RuntimePod(
        pod.getMetadata().getName(),
        Optional.ofNullable(pod.getStatus()).map(s -> s.getPodIP()).orElse(null),
        !terminating && isTrue(conditions, "ContainersReady"),
        !terminating && isTrue(conditions, "Ready"),
        isTrue(conditions, LIVE_GATE));
  }

  private static boolean isTrue(List<PodCondition> conditions, String type) {
    return conditions.stream()
        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Answers, and has an address to be reached at. */
  public boolean reachable() {
    return containersReady && ip != null && !ip.isEmpty();
  }
}
