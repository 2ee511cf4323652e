package dev.maas.operator.observe;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A pod of the ModelDeployment that kubelet cannot start because a volume's object is missing (a
 * Secret or ConfigMap not created yet, or named wrong), from kubelet's {@code FailedMount} event:
 * kubelet says so only in events, never in the pod's status, and the operator reads no Secret
 * itself. Only pods that have not started count, so an old event of a pod that mounted its volumes
 * since says nothing. Not a failure by itself: the object may be created later, and then the pod
 * starts without anything else changing.
 */
public record MountFailure(String pod, String kind, String object, String message) {
  public static final String REASON = "FailedMount";
  private static final int MAX_MESSAGE = 300;
  private static final Pattern MISSING =
      Pattern.compile("(secret|configmap) \"([^\"]+)\" not found", Pattern.CASE_INSENSITIVE);

  /** The missing objects of pods that have not started, one per pod, newest event first. */
  public static List<MountFailure> of(List<Event> events, List<Pod> pods) {
    Map<String, Pod> waiting =
        pods.stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .filter(MountFailure::notStarted)
            .collect(Collectors.toMap(p -> p.getMetadata().getUid(), Function.identity()));
    return events.stream()
        .filter(e -> REASON.equals(e.getReason()) && e.getInvolvedObject() != null)
        .filter(e -> waiting.containsKey(e.getInvolvedObject().getUid()))
        .sorted(Comparator.comparing(MountFailure::when).reversed())
        .flatMap(e -> missing(e).stream())
        .collect(Collectors.toMap(MountFailure::pod, f -> f, (newer, older) -> newer))
        .values()
        .stream()
        .sorted(Comparator.comparing(MountFailure::pod))
        .toList();
  }

  private static Optional<MountFailure> missing(Event event) {
    String message = Optional.ofNullable(event.getMessage()).orElse("");
    Matcher m = MISSING.matcher(message);
    if (!m.find()) {
      return Optional.empty();
    }
    String text = message.strip().replaceAll("\\s+", " ");
    return Optional.of(
        new MountFailure(
            event.getInvolvedObject().getName(),
            m.group(1).toLowerCase(java.util.Locale.ROOT),
            m.group(2),
            text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 3) + "..."));
  }

  /** No container of the pod has run: kubelet is still setting it up. */
  private static boolean notStarted(Pod pod) {
    if (pod.getStatus() == null || !"Pending".equals(pod.getStatus().getPhase())) {
      return false;
    }
    List<ContainerStatus> statuses =
        Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of());
    return statuses.stream()
        .noneMatch(
            s ->
                s.getState() != null
                    && (s.getState().getRunning() != null || s.getState().getTerminated() != null));
  }

  private static String when(Event event) {
    // RFC 3339 timestamps of one clock sort as text; lastTimestamp is set by kubelet's recorder.
    return Optional.ofNullable(event.getLastTimestamp())
        .or(() -> Optional.ofNullable(event.getEventTime()).map(t -> t.getTime()))
        .orElse("");
  }

  /** One line: "pod x cannot start: secret "y" does not exist (MountVolume.SetUp failed ...)". */
  public String describe() {
    return "pod " + pod + " cannot start: " + kind + " \"" + object + "\" does not exist";
  }
}
