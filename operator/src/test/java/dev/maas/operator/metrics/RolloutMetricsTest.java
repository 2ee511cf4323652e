package dev.maas.operator.metrics;

import static dev.maas.operator.testing.TestRevisions.revision;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.status.CanaryPhase;
import dev.maas.operator.api.status.ModelDeploymentStatus;
import dev.maas.operator.api.status.RevisionPhase;
import dev.maas.operator.api.status.RolloutStatus;
import dev.maas.operator.decide.Decision;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.testing.TestModelDeployments;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutMetricsTest {
  private static final Revision STABLE = revision(1, "runtime:1", RevisionPhase.Serving);
  private static final Revision FAILED = revision(2, "runtime:2", RevisionPhase.Failed);

  @Test
  void anAbortIsCountedOnceAndThePhaseAndStallShow() {
    RolloutMetrics metrics = new RolloutMetrics();
    ModelDeployment md = TestModelDeployments.digits();
    md.getMetadata().setNamespace("ns");
    RolloutStatus aborted =
        new RolloutStatus(
            CanaryPhase.Aborted,
            2L,
            1L,
            1,
            2,
            0,
            0,
            null,
            null,
            null,
            3,
            false,
            null,
            List.of(),
            "aborted",
            null);
    ModelDeploymentStatus stalled =
        new ModelDeploymentStatus(
            1L,
            List.of(new ConditionBuilder().withType("Stalled").withStatus("True").build()),
            2L,
            1L,
            List.of(),
            2,
            2,
            null,
            null,
            aborted);

    metrics.observe(md, new Decision.Abort(FAILED, STABLE, "why", aborted, List.of()), stalled);
    metrics.observe(
        md, new Decision.Stalled("why", FAILED, java.util.Optional.of(STABLE), List.of()), stalled);

    String text = metrics.scrape();
    assertThat(text)
        .contains("maas_rollout_canary_aborts_total{namespace=\"ns\",name=\"digits\"} 1\n")
        .contains("maas_rollout_canary_promotions_total{namespace=\"ns\",name=\"digits\"} 0\n")
        .contains("maas_rollout_stalled{namespace=\"ns\",name=\"digits\"} 1\n")
        .contains(
            "maas_rollout_canary_phase{namespace=\"ns\",name=\"digits\",phase=\"Aborted\"} 1\n")
        .contains("maas_rollout_canary_phase{namespace=\"ns\",name=\"digits\",phase=\"Step\"} 0\n")
        .contains("maas_rollout_canary_step{namespace=\"ns\",name=\"digits\"} 1\n");
  }
}
