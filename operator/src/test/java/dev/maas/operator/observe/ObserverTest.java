package dev.maas.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.contract.PrepareStatus;
import dev.maas.operator.render.PrepareJobModel;
import dev.maas.operator.revision.PrepareOutcome;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the operator reads off pods and Jobs, from objects shaped as a kubelet leaves them. */
class ObserverTest {
  private static Pod pod(String name, String revisionHash, ContainerStatus status) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("maas.dev/model-deployment", "digits")
        .addToLabels("maas.dev/revision-hash", revisionHash)
        .endMetadata()
        .withNewStatus()
        .withPhase("Running")
        .withContainerStatuses(status)
        .endStatus()
        .build();
  }

  private static ContainerStatusBuilder runtime() {
    return new ContainerStatusBuilder().withName("runtime").withImage("img").withReady(false);
  }

  @Test
  void hopelessPodsOfTheDesiredRevisionAreTroubleAndOthersAreNot() {
    Pod crashing =
        pod(
            "digits-2-a",
            "h2",
            runtime()
                .withRestartCount(2)
                .withNewState()
                .withNewWaiting()
                .withReason("CrashLoopBackOff")
                .endWaiting()
                .endState()
                .withNewLastState()
                .withNewTerminated()
                .withExitCode(2)
                .withMessage("serve: cannot load model\n")
                .endTerminated()
                .endLastState()
                .build());
    Pod pulling =
        pod(
            "digits-2-b",
            "h2",
            runtime()
                .withNewState()
                .withNewWaiting()
                .withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image")
                .endWaiting()
                .endState()
                .build());
    Pod oomAgainAndAgain =
        pod(
            "digits-2-c",
            "h2",
            runtime()
                .withRestartCount(3)
                .withNewState()
                .withNewRunning()
                .endRunning()
                .endState()
                .withNewLastState()
                .withNewTerminated()
                .withExitCode(137)
                .withReason("OOMKilled")
                .endTerminated()
                .endLastState()
                .build());
    // One OOM kill (a neighbour's), shown as CrashLoopBackOff from the first restart on: it heals.
    Pod crashedOnce =
        pod(
            "digits-2-f",
            "h2",
            runtime()
                .withRestartCount(1)
                .withNewState()
                .withNewWaiting()
                .withReason("CrashLoopBackOff")
                .endWaiting()
                .endState()
                .withNewLastState()
                .withNewTerminated()
                .withExitCode(137)
                .withReason("OOMKilled")
                .withMessage("Picked up JAVA_TOOL_OPTIONS: -Djava.io.tmpdir=/tmp\n")
                .endTerminated()
                .endLastState()
                .build());
    Pod restarting =
        pod(
            "digits-2-d",
            "h2",
            runtime()
                .withRestartCount(3)
                .withNewState()
                .withNewRunning()
                .endRunning()
                .endState()
                .withNewLastState()
                .withNewTerminated()
                .withExitCode(1)
                .endTerminated()
                .endLastState()
                .build());
    Pod starting =
        pod(
            "digits-2-e",
            "h2",
            runtime()
                .withNewState()
                .withNewWaiting()
                .withReason("ContainerCreating")
                .endWaiting()
                .endState()
                .build());
    Pod oldRevision =
        pod(
            "digits-1-a",
            "h1",
            runtime()
                .withNewState()
                .withNewWaiting()
                .withReason("CrashLoopBackOff")
                .endWaiting()
                .endState()
                .build());
    Observation seen =
        Observer.observe(
            Optional.empty(),
            List.of(
                crashing,
                pulling,
                oomAgainAndAgain,
                restarting,
                starting,
                oldRevision,
                crashedOnce),
            List.of(),
            "h2",
            new PrepareJobRef("digits-prepare-x", PrepareJobModel.CONTAINER),
            Optional.empty(),
            Instant.EPOCH);
    assertThat(seen.troubles())
        .extracting(PodTrouble::reason)
        .containsExactly(
            "CrashLoopBackOff", "ImagePullBackOff", "RepeatedRestarts", "RepeatedRestarts");
    assertThat(seen.troubles().get(2).message())
        .isEqualTo("pod digits-2-c container runtime: 3 restarts, OOMKilled (exit 137)");
    assertThat(seen.troubles().get(0).message())
        .isEqualTo(
            "pod digits-2-a container runtime: CrashLoopBackOff (exit 2: serve: cannot load model)");
  }

  private static Job job(String condition) {
    JobBuilder job = new JobBuilder().withNewMetadata().withName("digits-prepare-k").endMetadata();
    if (condition != null) {
      job.withNewStatus()
          .addNewCondition()
          .withType(condition)
          .withStatus("True")
          .withReason(condition.equals("Failed") ? "PodFailurePolicy" : null)
          .withMessage(
              condition.equals("Failed")
                  ? "Container compress for pod digits-prepare-k-x failed with exit code 3"
                  : null)
          .endCondition()
          .endStatus();
    }
    return job.build();
  }

  private static Pod jobPod(int exitCode, String message) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("digits-prepare-k-x")
        .addToLabels("job-name", "digits-prepare-k")
        .endMetadata()
        .withNewStatus()
        .addNewContainerStatus()
        .withName("compress")
        .withNewState()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withMessage(message)
        .withFinishedAt("2026-11-23T12:00:00Z")
        .endTerminated()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }

  @Test
  void theLineThatExplainsIsKeptNeverTheJvmBanner() {
    assertThat(
            PodTrouble.explainingLine(
                "Picked up JAVA_TOOL_OPTIONS: -Djava.io.tmpdir=/tmp\n"
                    + "serve: cannot load /var/cache/maas/model.pt: not a TorchScript archive\n"))
        .isEqualTo("serve: cannot load /var/cache/maas/model.pt: not a TorchScript archive");
    assertThat(
            PodTrouble.explainingLine(
                "Picked up JAVA_TOOL_OPTIONS: -Djava.io.tmpdir=/tmp\nException in thread main\n"))
        .isEqualTo("Exception in thread main");
    assertThat(PodTrouble.explainingLine("Picked up JAVA_TOOL_OPTIONS: -Djava.io.tmpdir=/tmp"))
        .isEmpty();
    Pod badArtifact =
        pod(
            "digits-2-g",
            "h2",
            runtime()
                .withRestartCount(1)
                .withNewState()
                .withNewWaiting()
                .withReason("CrashLoopBackOff")
                .endWaiting()
                .endState()
                .withNewLastState()
                .withNewTerminated()
                .withExitCode(2)
                .withMessage(
                    "Picked up JAVA_TOOL_OPTIONS: -Djava.io.tmpdir=/tmp\nserve: sha256 mismatch\n")
                .endTerminated()
                .endLastState()
                .build());
    assertThat(PodTrouble.of(List.of(badArtifact)))
        .extracting(PodTrouble::message)
        .containsExactly(
            "pod digits-2-g container runtime: CrashLoopBackOff (exit 2: serve: sha256 mismatch)");
  }

  @Test
  void theJobsReportIsReadFromItsPodsTerminationMessage() {
    String report =
        "{\"status\":\"ok\",\"key\":\"k\",\"packagePath\":\"/var/lib/maas/models/packages/k.maas.zip\","
            + "\"packageSha256\":\"ab\",\"cached\":false,\"originalBytes\":100,\"packageBytes\":25,"
            + "\"ratio\":4.0,\"acceptance\":{\"samples\":256,\"maxOutputError\":0.07,"
            + "\"meanOutputError\":0.02,\"top1Agreement\":0.996}}";
    PrepareJobState done =
        Observer.jobState(job("Complete"), PrepareJobModel.CONTAINER, List.of(jobPod(0, report)));
    assertThat(done).isInstanceOf(PrepareJobState.Finished.class);
    PrepareOutcome outcome = ((PrepareJobState.Finished) done).outcome();
    assertThat(outcome.succeeded()).isTrue();
    assertThat(outcome.packagePath()).isEqualTo("packages/k.maas.zip");
    assertThat(outcome.packageSha256()).isEqualTo("ab");
    assertThat(outcome.ratio()).isEqualTo(4.0);
    assertThat(outcome.top1Agreement()).isEqualTo(0.996);

    assertThat(Observer.jobState(job(null), PrepareJobModel.CONTAINER, List.of()))
        .isInstanceOf(PrepareJobState.Running.class);
  }

  @Test
  void aFailedJobKeepsTheReportsReasonOrElseTheJobs() {
    String rejected =
        "{\"status\":\"rejected\",\"acceptance\":{\"maxOutputError\":0.3,\"top1Agreement\":0.9},"
            + "\"message\":\"max output error 0.3 is above 0.05\"}";
    PrepareOutcome withReport =
        ((PrepareJobState.Finished)
                Observer.jobState(
                    job("Failed"), PrepareJobModel.CONTAINER, List.of(jobPod(3, rejected))))
            .outcome();
    assertThat(withReport.status()).isEqualTo(PrepareStatus.REJECTED);
    assertThat(withReport.exitCode()).isEqualTo(3);
    assertThat(withReport.message()).isEqualTo("max output error 0.3 is above 0.05");

    PrepareOutcome withoutReport =
        ((PrepareJobState.Finished)
                Observer.jobState(job("Failed"), PrepareJobModel.CONTAINER, List.of()))
            .outcome();
    assertThat(withoutReport.status()).isEqualTo(PrepareStatus.FAILED);
    assertThat(withoutReport.succeeded()).isFalse();
    assertThat(withoutReport.message())
        .isEqualTo(
            "Job digits-prepare-k failed: PodFailurePolicy: Container compress for pod"
                + " digits-prepare-k-x failed with exit code 3");

    PrepareOutcome goneAfterSuccess =
        ((PrepareJobState.Finished)
                Observer.jobState(job("Complete"), PrepareJobModel.CONTAINER, List.of()))
            .outcome();
    assertThat(goneAfterSuccess.succeeded()).as("no report, no package to trust").isFalse();
  }

  @Test
  void aJobThatFinishedBeforeTheClaimThereNowWasCreatedIsStale() {
    Job done = job("Complete");
    done.getStatus().setCompletionTime("2026-11-23T12:00:00Z");
    Instant completed = Instant.parse("2026-11-23T12:00:00Z");
    StorageClaimState recreated =
        new StorageClaimState("digits-models", "uid-2", completed.plusSeconds(40), false);
    StorageClaimState original =
        new StorageClaimState("digits-models", "uid-1", completed.minusSeconds(40), false);
    assertThat(
            Observer.jobState(done, PrepareJobModel.CONTAINER, List.of(), Optional.of(recreated)))
        .isEqualTo(new PrepareJobState.Stale("digits-prepare-k"));
    assertThat(Observer.jobState(done, PrepareJobModel.CONTAINER, List.of(), Optional.of(original)))
        .isInstanceOf(PrepareJobState.Finished.class);
    assertThat(
            Observer.jobState(
                job(null), PrepareJobModel.CONTAINER, List.of(), Optional.of(recreated)))
        .as("a Job still running is not judged")
        .isInstanceOf(PrepareJobState.Running.class);
  }
}
