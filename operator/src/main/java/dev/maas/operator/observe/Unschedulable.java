package dev.maas.operator.observe;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Optional;

/**
 * A pod of a revision that the scheduler cannot place (no room in the pool, a claim that does not
 * exist), with the scheduler's own reason. Not a failure by itself: room may arrive (a cluster
 * autoscaler, a claim created later), so it is said in status and an event, and the progress
 * deadline decides.
 */
public record Unschedulable(String pod, String message) {
  private static final int MAX_MESSAGE = 300;
  private static final java.util.regex.Pattern MISSING_CLAIM =
      java.util.regex.Pattern.compile("persistentvolumeclaim \"([^\"]+)\" not found");

  public static List<Unschedulable> of(List<Pod> pods) {
    return pods.stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null)
        .flatMap(p -> unschedulable(p).stream())
        .toList();
  }

  private static Optional<Unschedulable> unschedulable(Pod pod) {
    return Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of()).stream()
        .filter(
            c ->
                "PodScheduled".equals(c.getType())
                    && "False".equals(c.getStatus())
                    && "Unschedulable".equals(c.getReason()))
        .map(PodCondition::getMessage)
        .findFirst()
        .map(m -> new Unschedulable(pod.getMetadata().getName(), shorten(m)));
  }

  /** The claim the scheduler says does not exist, when that is why. */
  public Optional<String> missingClaim() {
    java.util.regex.Matcher m = MISSING_CLAIM.matcher(message);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** One line: "pod x cannot be scheduled: 0/6 nodes are available: ...". */
  public String describe() {
    return "pod " + pod + " cannot be scheduled: " + message;
  }

  private static String shorten(String message) {
    String text = message == null ? "no reason given" : message.strip().replaceAll("\\s+", " ");
    return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 3) + "...";
  }
}
