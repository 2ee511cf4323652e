package dev.maas.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kubelet's FailedMount events, as the operator reads them for pods that have not started. */
class MountFailureTest {
  private static Pod pod(String name, boolean started) {
    var waiting =
        new ContainerStatusBuilder()
            .withName("runtime")
            .withNewState()
            .withNewWaiting()
            .withReason("ContainerCreating")
            .endWaiting()
            .endState()
            .build();
    var running =
        new ContainerStatusBuilder()
            .withName("runtime")
            .withNewState()
            .withNewRunning()
            .endRunning()
            .endState()
            .build();
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .withUid("uid-" + name)
        .endMetadata()
        .withNewStatus()
        .withPhase(started ? "Running" : "Pending")
        .withContainerStatuses(started ? running : waiting)
        .endStatus()
        .build();
  }

  private static Event event(String pod, String message, String at) {
    return new EventBuilder()
        .withNewMetadata()
        .withName(pod + "." + at)
        .withNamespace("ns")
        .endMetadata()
        .withReason("FailedMount")
        .withType("Warning")
        .withMessage(message)
        .withLastTimestamp(at)
        .withNewInvolvedObject()
        .withKind("Pod")
        .withName(pod)
        .withNamespace("ns")
        .withUid("uid-" + pod)
        .endInvolvedObject()
        .build();
  }

  @Test
  void aPodWaitingForAMissingSecretNamesItWithTheNewestEvent() {
    List<MountFailure> failures =
        MountFailure.of(
            List.of(
                event(
                    "digits-a",
                    "MountVolume.SetUp failed for volume \"tls\" : secret \"old-tls\" not found",
                    "2026-12-02T07:00:00Z"),
                event(
                    "digits-a",
                    "MountVolume.SetUp failed for volume \"api-keys\" : secret \"digits-keys\" not"
                        + " found",
                    "2026-12-02T07:00:05Z")),
            List.of(pod("digits-a", false)));
    assertThat(failures)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.pod()).isEqualTo("digits-a");
              assertThat(f.kind()).isEqualTo("secret");
              assertThat(f.object()).isEqualTo("digits-keys");
              assertThat(f.describe())
                  .isEqualTo("pod digits-a cannot start: secret \"digits-keys\" does not exist");
            });
  }

  @Test
  void startedPodsOtherPodsAndOtherMountProblemsSayNothing() {
    Event missing =
        event(
            "digits-a",
            "MountVolume.SetUp failed for volume \"api-keys\" : secret \"digits-keys\" not found",
            "2026-12-02T07:00:00Z");
    assertThat(MountFailure.of(List.of(missing), List.of(pod("digits-a", true))))
        .as("the Secret was created since and the pod started")
        .isEmpty();
    assertThat(MountFailure.of(List.of(missing), List.of(pod("digits-b", false))))
        .as("another pod's event")
        .isEmpty();
    assertThat(
            MountFailure.of(
                List.of(
                    event(
                        "digits-a",
                        "Unable to attach or mount volumes: timed out waiting for the condition",
                        "2026-12-02T07:00:00Z")),
                List.of(pod("digits-a", false))))
        .as("a mount that is slow, not missing")
        .isEmpty();
    assertThat(
            MountFailure.of(
                List.of(
                    event(
                        "digits-a",
                        "MountVolume.SetUp failed for volume \"settings\" : configmap \"live\" not"
                            + " found",
                        "2026-12-02T07:00:00Z")),
                List.of(pod("digits-a", false))))
        .singleElement()
        .satisfies(f -> assertThat(f.kind()).isEqualTo("configmap"));
  }
}
