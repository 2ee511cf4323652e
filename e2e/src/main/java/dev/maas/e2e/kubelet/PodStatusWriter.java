package dev.maas.e2e.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a pod's status as a kubelet does: phase, the conditions with stable transition times
 * (Ready only once every readiness gate is set, the gates' own conditions kept as others wrote
 * them), the pod and host IPs, and the one container's status. Only what changed is written; a pod
 * that is gone (or replaced by one of the same name) is never written again.
 */
final class PodStatusWriter {
  private static final Logger LOG = LoggerFactory.getLogger(PodStatusWriter.class);

  /** The container's side of the status, as the worker knows it now. */
  record ContainerView(
      String phase,
      ContainerState state,
      ContainerState lastState,
      boolean started,
      boolean ready,
      int restartCount,
      Long pid,
      boolean terminating) {}

  private final KubeletContext kubelet;
  private final String namespace;
  private final String name;
  private final String uid;
  private final Map<String, String> transitions = new HashMap<>();
  private PodStatus written;
  private boolean gone;

  PodStatusWriter(KubeletContext kubelet, Pod pod) {
    this.kubelet = kubelet;
    this.namespace = pod.getMetadata().getNamespace();
    this.name = pod.getMetadata().getName();
    this.uid = pod.getMetadata().getUid();
  }

  /** False once the pod is known to be gone from the API server. */
  synchronized boolean write(Pod pod, String podIp, String startTime, ContainerView view) {
    if (gone) {
      return false;
    }
    PodStatus status = status(pod, podIp, startTime, view);
    if (Objects.equals(status, written)) {
      return true;
    }
    for (int attempt = 0; attempt < 10; attempt++) {
      try {
        Pod current = kubelet.client().pods().inNamespace(namespace).withName(name).get();
        if (current == null || !uid.equals(current.getMetadata().getUid())) {
          gone = true;
          return false;
        }
        // Readiness gates are set by someone else (the operator, at a canary's live step): read
        // them from the pod as it is now, so this write never undoes one.
        status = status(current, podIp, startTime, view);
        current.setStatus(status);
        kubelet.client().pods().inNamespace(namespace).resource(current).updateStatus();
        written = status;
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          LOG.warn("pod {}/{}: status not written: {}", namespace, name, e.getMessage());
          return true;
        }
      }
    }
    return true;
  }

  private PodStatus status(Pod pod, String podIp, String startTime, ContainerView view) {
    Container container = pod.getSpec().getContainers().get(0);
    ContainerStatus containerStatus =
        new ContainerStatusBuilder()
            .withName(container.getName())
            .withImage(container.getImage())
            .withImageID("process-kubelet://" + container.getImage())
            .withContainerID(view.pid() == null ? null : "process://" + view.pid())
            .withReady(view.ready())
            .withStarted(view.started())
            .withRestartCount(view.restartCount())
            .withState(view.state())
            .withLastState(view.lastState())
            .build();
    boolean running = view.state().getRunning() != null;
    List<PodCondition> conditions = new ArrayList<>();
    Optional.ofNullable(pod.getStatus()).map(PodStatus::getConditions).orElse(List.of()).stream()
        .filter(c -> c.getType().equals("PodScheduled"))
        .forEach(conditions::add);
    conditions.add(condition("PodReadyToStartContainers", podIp != null));
    conditions.add(condition("Initialized", true));
    List<String> gates =
        Optional.ofNullable(pod.getSpec().getReadinessGates()).orElse(List.of()).stream()
            .map(g -> g.getConditionType())
            .toList();
    List<PodCondition> gateConditions =
        Optional.ofNullable(pod.getStatus())
            .map(PodStatus::getConditions)
            .orElse(List.of())
            .stream()
            .filter(c -> gates.contains(c.getType()))
            .toList();
    boolean gatesSet =
        gates.stream()
            .allMatch(
                g ->
                    gateConditions.stream()
                        .anyMatch(c -> c.getType().equals(g) && "True".equals(c.getStatus())));
    conditions.add(condition("ContainersReady", running && view.ready()));
    // As kubelet: Ready needs the containers ready and every readiness gate's condition True.
    conditions.add(condition("Ready", running && view.ready() && !view.terminating() && gatesSet));
    conditions.addAll(gateConditions);
    PodStatus status = new PodStatus();
    status.setPhase(view.phase());
    status.setConditions(conditions);
    status.setHostIP(kubelet.hostIp());
    status.setHostIPs(List.of(new HostIP(kubelet.hostIp())));
    status.setPodIP(podIp);
    status.setPodIPs(podIp == null ? List.of() : List.of(new PodIP(podIp)));
    status.setStartTime(startTime);
    status.setContainerStatuses(List.of(containerStatus));
    status.setQosClass(
        Optional.ofNullable(pod.getStatus()).map(PodStatus::getQosClass).orElse(null));
    return status;
  }

  private PodCondition condition(String type, boolean value) {
    String status = value ? "True" : "False";
    String since = transitions.get(type + "=" + status);
    if (since == null) {
      since = now();
      transitions.remove(type + "=" + (value ? "False" : "True"));
      transitions.put(type + "=" + status, since);
    }
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withLastTransitionTime(since)
        .build();
  }

  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
