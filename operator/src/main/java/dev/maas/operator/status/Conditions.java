package dev.maas.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Builds conditions the Kubernetes way: a condition keeps its lastTransitionTime while its status
 * stays the same, so an unchanged status compares equal and is not written again.
 */
public final class Conditions {
  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  private final Clock clock;

  public Conditions(Clock clock) {
    this.clock = clock;
  }

  public Condition condition(
      List<Condition> previous,
      String type,
      String value,
      String reason,
      String message,
      Long generation) {
    Optional<Condition> before =
        previous == null
            ? Optional.empty()
            : previous.stream().filter(c -> type.equals(c.getType())).findFirst();
    String since =
        before
            .filter(c -> value.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElseGet(() -> Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    return new ConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }
}
