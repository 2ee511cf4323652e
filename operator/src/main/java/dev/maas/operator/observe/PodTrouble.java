package dev.maas.operator.observe;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A pod of a revision that is not going to become ready by waiting: its container crash-loops,
 * cannot pull its image, was killed for memory, or keeps restarting. Any of these fails a rollout
 * before its progress deadline.
 */
public record PodTrouble(String pod, String reason, String message) {
  /** Waiting reasons that waiting will not cure. */
  static final Set<String> HOPELESS_WAITING =
      Set.of(
          "CrashLoopBackOff",
          "ImagePullBackOff",
          "ErrImagePull",
          "InvalidImageName",
          "CreateContainerConfigError",
          "CreateContainerError");

  /** Restarts with a terminated last state that count as crash-looping by themselves. */
  static final int REPEATED_RESTARTS = 3;

  private static final int MAX_MESSAGE = 300;

  public static List<PodTrouble> of(List<Pod> pods) {
    List<PodTrouble> troubles = new ArrayList<>();
    for (Pod pod : pods) {
      if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
        continue;
      }
      List<ContainerStatus> statuses = new ArrayList<>();
      Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).ifPresent(statuses::addAll);
      Optional.ofNullable(pod.getStatus().getContainerStatuses()).ifPresent(statuses::addAll);
      for (ContainerStatus status : statuses) {
        trouble(pod.getMetadata().getName(), status).ifPresent(troubles::add);
      }
    }
    return troubles;
  }

  static Optional<PodTrouble> trouble(String pod, ContainerStatus status) {
    ContainerStateWaiting waiting =
        status.getState() == null ? null : status.getState().getWaiting();
    ContainerStateTerminated last =
        status.getLastState() == null ? null : status.getLastState().getTerminated();
    ContainerStateTerminated now =
        status.getState() == null ? null : status.getState().getTerminated();
    String lastExit = last == null ? "" : exit(last);
    if (waiting != null && HOPELESS_WAITING.contains(waiting.getReason())) {
      String detail =
          !lastExit.isEmpty() ? lastExit : Optional.ofNullable(waiting.getMessage()).orElse("");
      return Optional.of(
          new PodTrouble(
              pod, waiting.getReason(), describe(pod, status, waiting.getReason(), detail)));
    }
    for (ContainerStateTerminated terminated : new ContainerStateTerminated[] {now, last}) {
      if (terminated != null && "OOMKilled".equals(terminated.getReason())) {
        return Optional.of(
            new PodTrouble(pod, "OOMKilled", describe(pod, status, "OOMKilled", exit(terminated))));
      }
    }
    Integer restarts = status.getRestartCount();
    if (restarts != null && restarts >= REPEATED_RESTARTS && last != null) {
      return Optional.of(
          new PodTrouble(
              pod, "RepeatedRestarts", describe(pod, status, restarts + " restarts", lastExit)));
    }
    return Optional.empty();
  }

  private static String exit(ContainerStateTerminated terminated) {
    String text = "exit " + terminated.getExitCode();
    if (terminated.getMessage() != null && !terminated.getMessage().isBlank()) {
      text += ": " + terminated.getMessage().strip().replaceAll("\\s+", " ");
    }
    return text;
  }

  private static String describe(String pod, ContainerStatus status, String what, String detail) {
    String text =
        "pod "
            + pod
            + " container "
            + status.getName()
            + ": "
            + what
            + (detail.isEmpty() ? "" : " (" + detail + ")");
    return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 3) + "...";
  }
}
