package dev.maas.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.api.status.ModelDeploymentStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What may wait (counts) and what may not (conditions' states, revisions, generations). */
class StatusChangeTest {
  private static Condition ready(String status, String reason, String message) {
    return new ConditionBuilder()
        .withType("Ready")
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .build();
  }

  private static ModelDeploymentStatus status(long generation, int ready, Condition condition) {
    return new ModelDeploymentStatus(
        generation, List.of(condition), 1L, 1L, List.of(), 30, ready, "sel", "url");
  }

  @Test
  void onlyCountsAndTheMessagesQuotingThemCanWait() {
    ModelDeploymentStatus twelve =
        status(1, 12, ready("True", "Serving", "revision 1 serving 12 replica(s)"));
    ModelDeploymentStatus thirteen =
        status(1, 13, ready("True", "Serving", "revision 1 serving 13 replica(s)"));
    assertThat(StatusChange.between(twelve, twelve)).isEqualTo(StatusChange.NONE);
    assertThat(StatusChange.between(twelve, thirteen)).isEqualTo(StatusChange.COUNTS_ONLY);
    assertThat(
            StatusChange.between(
                twelve, status(1, 0, ready("False", "NoReadyReplicas", "no ready replica"))))
        .isEqualTo(StatusChange.NEWS);
    assertThat(
            StatusChange.between(
                twelve, status(2, 12, ready("True", "Serving", "revision 1 serving 12"))))
        .as("a new generation")
        .isEqualTo(StatusChange.NEWS);
    assertThat(StatusChange.between(null, twelve)).isEqualTo(StatusChange.NEWS);
  }
}
