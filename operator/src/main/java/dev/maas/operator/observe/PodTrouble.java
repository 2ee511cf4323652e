package dev.maas.operator.observe;

import dev.maas.contract.ExitCodes;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A pod of a revision that is not going to become ready by waiting. At once: its image cannot be
 * pulled, its configuration is refused, or the runtime exited with one of serve's codes for what no
 * restart heals (a bad artifact, a model that disagrees with its signature, a bad flag). After
 * {@link #REPEATED_RESTARTS} restarts: any other crash, OOM kills included, since one crash (an OOM
 * kill by a neighbour, a node hiccup) heals by itself and the kubelet shows CrashLoopBackOff from
 * the first restart on. Any of these fails a rollout before its progress deadline.
 */
public record PodTrouble(String pod, String reason, String message) {
  /** Waiting reasons that waiting will not cure: the image or the pod's configuration. */
  static final Set<String> HOPELESS_WAITING =
      Set.of(
          "ImagePullBackOff",
          "ErrImagePull",
          "InvalidImageName",
          "CreateContainerConfigError",
          "CreateContainerError");

  /** serve's exits that no restart heals. */
  static final Set<Integer> HOPELESS_EXITS =
      Set.of(ExitCodes.Serve.BAD_ARTIFACT, ExitCodes.Serve.MODEL_MISMATCH, ExitCodes.USAGE);

  /** Restarts after which any crash counts as crash-looping. */
  static final int REPEATED_RESTARTS = 3;

  /** What the JVM prints first, and what never explains a failure. */
  private static final List<String> BANNERS =
      List.of(
          "Picked up JAVA_TOOL_OPTIONS", "Picked up _JAVA_OPTIONS", "Picked up JDK_JAVA_OPTIONS");

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
    ContainerStateTerminated exited = now != null ? now : last;
    String lastExit = exited == null ? "" : exit(exited);
    if (waiting != null && HOPELESS_WAITING.contains(waiting.getReason())) {
      String detail =
          !lastExit.isEmpty() ? lastExit : Optional.ofNullable(waiting.getMessage()).orElse("");
      return Optional.of(
          new PodTrouble(
              pod, waiting.getReason(), describe(pod, status, waiting.getReason(), detail)));
    }
    if (exited != null && HOPELESS_EXITS.contains(exited.getExitCode())) {
      String reason = waiting != null ? waiting.getReason() : "Exited";
      return Optional.of(new PodTrouble(pod, reason, describe(pod, status, reason, lastExit)));
    }
    Integer restarts = status.getRestartCount();
    if (restarts != null && restarts >= REPEATED_RESTARTS && exited != null) {
      String how = "OOMKilled".equals(exited.getReason()) ? ", OOMKilled" : "";
      return Optional.of(
          new PodTrouble(
              pod,
              "RepeatedRestarts",
              describe(pod, status, restarts + " restarts" + how, lastExit)));
    }
    return Optional.empty();
  }

  private static String exit(ContainerStateTerminated terminated) {
    String text = "exit " + terminated.getExitCode();
    String line = explainingLine(terminated.getMessage());
    return line.isEmpty() ? text : text + ": " + line;
  }

  /**
   * The line of a termination message that says why: serve's own last line ("serve: ..."), or else
   * the last line that is not a JVM banner. A message of the last log lines (FallbackToLogsOnError)
   * often starts, or consists, of "Picked up JAVA_TOOL_OPTIONS".
   */
  static String explainingLine(String message) {
    if (message == null || message.isBlank()) {
      return "";
    }
    List<String> lines = message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("serve: ") || lines.get(i).startsWith("compress: ")) {
        return lines.get(i);
      }
    }
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i);
      if (BANNERS.stream().noneMatch(line::startsWith)) {
        return line.replaceAll("\\s+", " ");
      }
    }
    return "";
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
