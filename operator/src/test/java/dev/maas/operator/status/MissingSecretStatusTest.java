package dev.maas.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.status.ModelDeploymentStatus;
import dev.maas.operator.decide.Decision;
import dev.maas.operator.observe.MountFailure;
import dev.maas.operator.observe.Observation;
import dev.maas.operator.observe.PrepareJobState;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import dev.maas.operator.revision.History;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.testing.TestModelDeployments;
import dev.maas.operator.testing.TestRevisions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A Secret the pods wait for: Stalled, naming it and its spec field, while nothing serves; said in
 * Reconciling, not Stalled, once a revision serves (its pods keep serving).
 */
class MissingSecretStatusTest {
  private static final Instant NOW = Instant.parse("2026-12-02T07:00:00Z");
  private final StatusFactory statuses =
      new StatusFactory(new Conditions(Clock.fixed(NOW, ZoneOffset.UTC)));

  private static Observation waitingFor(String secret) {
    return new Observation(Optional.empty(), List.of(), new PrepareJobState.Absent(), NOW)
        .withMountFailures(
            List.of(
                new MountFailure(
                    "digits-5d4-x",
                    "secret",
                    secret,
                    "MountVolume.SetUp failed for volume \"v\" : secret \""
                        + secret
                        + "\" not"
                        + " found")));
  }

  private static Condition condition(ModelDeploymentStatus status, String type) {
    return status.conditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  private ModelDeploymentStatus firstRolloutWaitingFor(String secret) {
    ModelDeployment md = TestModelDeployments.everything();
    ResolvedModelDeployment resolved = TestRevisions.resolve(md);
    Revision first =
        Revision.first(1, "abc", resolved.template(), resolved.revisionSpec()).rollingOut(NOW);
    return statuses.of(
        md,
        resolved,
        first,
        new Decision.RollOut(first, Duration.ofMinutes(5), List.of()),
        new History(List.of(first)),
        waitingFor(secret));
  }

  @Test
  void theFirstRolloutWaitingForAnAccessSecretIsStalledNamingItsField() {
    Condition stalled = condition(firstRolloutWaitingFor("digits-keys"), "Stalled");
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo("SecretNotFound");
    assertThat(stalled.getMessage())
        .isEqualTo(
            "secret \"digits-keys\" does not exist (named by"
                + " spec.access.authentication.apiKeys.secretName): pod digits-5d4-x waits for it"
                + " to mount; create it in the ModelDeployment's namespace");
    assertThat(condition(firstRolloutWaitingFor("digits-tls"), "Stalled").getMessage())
        .contains("(named by spec.access.tls.secretName)");
    assertThat(condition(firstRolloutWaitingFor("digits-keys"), "Reconciling").getMessage())
        .endsWith("pod digits-5d4-x cannot start: secret \"digits-keys\" does not exist");
  }

  @Test
  void whileARevisionServesTheWaitIsReconcilingNotStalled() {
    ModelDeployment md = TestModelDeployments.everything();
    ResolvedModelDeployment resolved = TestRevisions.resolve(md);
    Revision serving =
        Revision.first(1, "abc", resolved.template(), resolved.revisionSpec())
            .rollingOut(NOW.minusSeconds(600))
            .serving(NOW.minusSeconds(500));
    ModelDeploymentStatus status =
        statuses.of(
            md,
            resolved,
            serving,
            new Decision.Serving(serving, List.of()),
            new History(List.of(serving)),
            waitingFor("digits-keys"));
    assertThat(condition(status, "Stalled").getStatus()).isEqualTo("False");
  }
}
