package dev.maas.operator.reconciler;

import static dev.maas.operator.testing.Statuses.condition;
import static dev.maas.operator.testing.Statuses.is;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.contract.CompressionMethod;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.CompressionSpec;
import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.api.spec.ModelSpec;
import dev.maas.operator.api.spec.RuntimeSpec;
import dev.maas.operator.api.status.RevisionPhase;
import dev.maas.operator.api.status.RevisionStatus;
import dev.maas.operator.testing.ClusterTest;
import dev.maas.operator.testing.CrashingImageKubelet;
import dev.maas.operator.testing.FakeJobRunner;
import dev.maas.operator.testing.LocalControlPlane;
import dev.maas.operator.testing.OperatorHarness;
import dev.maas.operator.testing.TestModelDeployments;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Revisions on a real control plane: a prepare Job before each rollout that asks for one, the
 * report in status, a model change, the old spec back (no Job), a rejected compression, a
 * crash-looping rollout rolled back before its deadline, an operator restart, pruning, and the
 * kubectl plugin. Test doubles play the prepare Jobs' kubelet ({@link FakeJobRunner}) and a runtime
 * that crash-loops ({@link CrashingImageKubelet}).
 */
@ClusterTest
class RevisionScenariosTest {
  private final LocalControlPlane cluster;
  private OperatorHarness harness;
  private KubernetesClient client;
  private String ns;

  RevisionScenariosTest(LocalControlPlane cluster) {
    this.cluster = cluster;
  }

  @BeforeEach
  void start(OperatorHarness harness) {
    this.harness = harness;
    client = harness.client();
    ns = harness.namespace();
  }

  private ModelDeployment md() {
    return client.resources(ModelDeployment.class).inNamespace(ns).withName("digits").get();
  }

  private Deployment deployment() {
    return client.apps().deployments().inNamespace(ns).withName("digits").get();
  }

  private List<Job> jobs() {
    return client.batch().v1().jobs().inNamespace(ns).list().getItems();
  }

  private List<Pod> preparePods() {
    return client
        .pods()
        .inNamespace(ns)
        .withLabel("app.kubernetes.io/component", "prepare")
        .list()
        .getItems();
  }

  private List<Pod> runtimePods() {
    return client
        .pods()
        .inNamespace(ns)
        .withLabel("maas.dev/revision-hash")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private PersistentVolumeClaim claim() {
    return client.persistentVolumeClaims().inNamespace(ns).withName("digits-models").get();
  }

  private List<ControllerRevision> controllerRevisions() {
    return client.apps().controllerRevisions().inNamespace(ns).list().getItems();
  }

  private static RevisionStatus revision(ModelDeployment md, long number) {
    return md.getStatus().revisions().stream()
        .filter(r -> r.number() == number)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no revision " + number + " in status"));
  }

  private boolean serving(long revision) {
    ModelDeployment md = md();
    return md.getStatus() != null
        && Long.valueOf(revision).equals(md.getStatus().currentRevision())
        && Long.valueOf(revision).equals(md.getStatus().desiredRevision())
        && is(md, "Ready", "True")
        && is(md, "Reconciling", "False");
  }

  private void awaitServing(long revision) {
    harness.await("revision " + revision + " serving", () -> serving(revision));
  }

  private String deploymentRevisionHash() {
    return deployment()
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getLabels()
        .get("maas.dev/revision-hash");
  }

  private String env(String name) {
    return deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue)
        .findFirst()
        .orElse(null);
  }

  private void editSpec(UnaryOperator<ModelDeploymentSpec> change) {
    harness.editSpec("digits", change);
  }

  private boolean event(String reason, String text) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .anyMatch(e -> e.getReason().equals(reason) && e.getMessage().contains(text));
  }

  @Test
  void compressionIsPreparedBeforeTheFirstRolloutAndItsReportLandsInStatus() {
    harness.create(TestModelDeployments.int8());
    harness.await(
        "Ready=Unknown while nothing has served yet",
        () -> md() != null && is(md(), "Ready", "Unknown") && is(md(), "Reconciling", "True"));
    awaitServing(1);

    assertThat(client.persistentVolumeClaims().inNamespace(ns).withName("digits-models").get())
        .satisfies(pvc -> assertThat(pvc.getStatus().getPhase()).isEqualTo("Bound"));
    assertThat(harness.jobs().jobsRun()).hasSize(1);
    harness.await(
        "the Job gone once its report is in the revision, so its pod pins no claim",
        () -> jobs().isEmpty() && preparePods().isEmpty());
    RevisionStatus first = revision(md(), 1);
    assertThat(first.phase()).isEqualTo(RevisionPhase.Serving);
    assertThat(first.compression().status()).isEqualTo("ok");
    assertThat(first.compression().ratio()).isEqualTo("3.988");
    assertThat(first.compression().maxOutputError()).isEqualTo("0.072");
    assertThat(first.compression().top1Agreement()).isEqualTo("0.996");
    assertThat(first.artifact()).startsWith("/var/lib/maas/models/packages/").endsWith(".maas.zip");
    assertThat(env("MAAS_MODEL_URI")).isEqualTo(first.artifact());
    assertThat(env("MAAS_MODEL_SHA256")).isEqualTo("5".repeat(64));
    assertThat(deployment().getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("maas.dev/revision", "1")
        .containsEntry("maas.dev/revision-hash", first.hash());
    assertThat(controllerRevisions())
        .singleElement()
        .satisfies(
            cr -> {
              assertThat(cr.getMetadata().getName()).isEqualTo("digits-" + first.hash());
              assertThat(cr.getRevision()).isEqualTo(1);
              assertThat(cr.getMetadata().getAnnotations().get("maas.dev/prepare"))
                  .contains("\"ratio\":3.988");
            });
    harness.await(
        "events for each step",
        () ->
            event("Preparing", "revision 1")
                && event("Prepared", "3.988x smaller")
                && event("Serving", "revision 1"));
  }

  @Test
  void aPackageLostWithItsClaimIsPreparedAgainWhileTheRevisionKeepsServing() {
    harness.create(TestModelDeployments.int8());
    awaitServing(1);
    harness.await("the prepare Job gone", () -> jobs().isEmpty() && preparePods().isEmpty());
    ControllerRevision before = controllerRevision(1);
    String lostClaim = claim().getMetadata().getUid();
    assertThat(before.getMetadata().getAnnotations().get("maas.dev/prepare")).contains(lostClaim);

    // The claim deleted by hand; its pods rescheduled (a drain), so nothing holds it any more.
    client.persistentVolumeClaims().inNamespace(ns).withName("digits-models").delete();
    client.pods().inNamespace(ns).withLabel("maas.dev/revision", "1").delete();
    List<String> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
    harness.await(
        "the claim made again, the package prepared again, the revision still serving",
        Duration.ofSeconds(90),
        () -> {
          ModelDeployment md = md();
          condition(md, "Reconciling").map(Condition::getReason).ifPresent(reasons::add);
          PersistentVolumeClaim claim = claim();
          return claim != null
              && !lostClaim.equals(claim.getMetadata().getUid())
              && harness.jobs().jobsRun().size() == 2
              && controllerRevision(1)
                  .getMetadata()
                  .getAnnotations()
                  .get("maas.dev/prepare")
                  .contains(claim.getMetadata().getUid())
              && serving(1);
        });
    assertThat(reasons).as("status said so meanwhile").contains("RestoringPackage");
    assertThat(event("PackageLost", "the prepared package of revision 1 is gone")).isTrue();
    ControllerRevision after = controllerRevision(1);
    assertThat(after.getMetadata().getAnnotations())
        .as("still the same revision, serving since it first did")
        .containsEntry("maas.dev/phase", "Serving")
        .containsEntry(
            "maas.dev/served-at", before.getMetadata().getAnnotations().get("maas.dev/served-at"));
    assertThat(env("MAAS_MODEL_SHA256")).as("the same package digest").isEqualTo("5".repeat(64));
    assertThat(event("RolledBack", "")).isFalse();
    harness.await("the second Job gone too", () -> jobs().isEmpty());
  }

  @Test
  void aDeletedRecordOfTheServingRevisionIsRebuiltWithItsNumberAndNoPodRestarts() {
    harness.create(TestModelDeployments.int8());
    awaitServing(1);
    editSpec(s -> s.toBuilder().model(TestModelDeployments.cnnModel()).build());
    awaitServing(2);
    editSpec(s -> s.toBuilder().model(TestModelDeployments.digitsModel()).build());
    awaitServing(1);
    harness.await("its pods ready", () -> runtimePods().size() == 2 && is(md(), "Ready", "True"));
    long generation = deployment().getMetadata().getGeneration();
    List<String> podUids = runtimePods().stream().map(p -> p.getMetadata().getUid()).toList();
    ControllerRevision lost = controllerRevision(1);
    String artifact = env("MAAS_MODEL_URI");

    // Serving, not the newest: history cleanup or a backup restore without ControllerRevisions.
    client.resource(lost).delete();
    harness.await(
        "the record back, with its number",
        () ->
            controllerRevisions().stream()
                .anyMatch(
                    cr ->
                        cr.getRevision() == 1
                            && !cr.getMetadata().getUid().equals(lost.getMetadata().getUid())));
    harness.await("serving, settled", () -> serving(1));
    OperatorHarness.settle(Duration.ofSeconds(3));
    assertThat(controllerRevisions()).extracting(ControllerRevision::getRevision).contains(1L, 2L);
    assertThat(controllerRevisions()).as("no new number").hasSize(2);
    assertThat(controllerRevision(1).getMetadata().getName())
        .isEqualTo(lost.getMetadata().getName());
    assertThat(deployment().getMetadata().getGeneration())
        .as("the Deployment untouched")
        .isEqualTo(generation);
    assertThat(env("MAAS_MODEL_URI")).as("the same package").isEqualTo(artifact);
    assertThat(runtimePods().stream().map(p -> p.getMetadata().getUid()).toList())
        .as("no pod restarted")
        .isEqualTo(podUids);
    assertThat(harness.jobs().jobsRun()).as("nothing prepared again").hasSize(2);
    assertThat(revision(md(), 1).phase()).isEqualTo(RevisionPhase.Serving);
  }

  @Test
  void aModelChangeIsANewPreparedRevisionAndTheOldSpecBackReusesItsArtifact() {
    harness.create(TestModelDeployments.int8());
    awaitServing(1);
    String firstHash = deploymentRevisionHash();
    String firstArtifact = env("MAAS_MODEL_URI");

    editSpec(s -> s.toBuilder().model(TestModelDeployments.cnnModel()).build());
    awaitServing(2);
    assertThat(harness.jobs().jobsRun()).hasSize(2);
    assertThat(revision(md(), 1).phase()).isEqualTo(RevisionPhase.Superseded);
    assertThat(env("MAAS_MODEL_URI")).isNotEqualTo(firstArtifact);

    editSpec(s -> s.toBuilder().model(TestModelDeployments.digitsModel()).build());
    awaitServing(1);
    assertThat(deploymentRevisionHash()).isEqualTo(firstHash);
    assertThat(env("MAAS_MODEL_URI"))
        .as("the package prepared the first time")
        .isEqualTo(firstArtifact);
    assertThat(harness.jobs().jobsRun()).as("no Job for a revision prepared before").hasSize(2);
    assertThat(controllerRevisions()).hasSize(2);
    assertThat(revision(md(), 2).phase()).isEqualTo(RevisionPhase.Superseded);
  }

  @Test
  void aRejectedCompressionFailsItsRevisionWhileTheServingOneKeepsServing() {
    harness.create(TestModelDeployments.int8());
    awaitServing(1);
    String servingHash = deploymentRevisionHash();

    harness.jobs().willEnd(FakeJobRunner.Outcome.rejected(0.31, 0.91));
    editSpec(
        s ->
            s.toBuilder()
                .compression(
                    new CompressionSpec(
                        CompressionMethod.Prune,
                        0.9,
                        null,
                        s.compression().acceptance(),
                        null,
                        null,
                        null,
                        null))
                .build());
    harness.await("Stalled", () -> is(md(), "Stalled", "True"));
    ModelDeployment md = md();
    Condition stalled = condition(md, "Stalled").orElseThrow();
    assertThat(stalled.getReason()).isEqualTo("PrepareFailed");
    assertThat(stalled.getMessage())
        .startsWith(
            "revision 2 failed: compression rejected (exit 3): max output error 0.31 is above")
        .contains("[max output error 0.3100, top-1 agreement 0.9100]")
        .endsWith("revision 1 is serving instead");
    assertThat(is(md, "Ready", "True")).as("revision 1 still serves").isTrue();
    assertThat(md.getStatus().currentRevision()).isEqualTo(1);
    assertThat(md.getStatus().desiredRevision()).isEqualTo(2);
    RevisionStatus second = revision(md, 2);
    assertThat(second.phase()).isEqualTo(RevisionPhase.Failed);
    assertThat(second.compression().status()).isEqualTo("rejected");
    assertThat(second.compression().exitCode()).isEqualTo(3);
    assertThat(second.compression().maxOutputError()).isEqualTo("0.31");
    assertThat(deploymentRevisionHash()).as("the Deployment never moved").isEqualTo(servingHash);
    assertThat(md.getSpec().compression().method())
        .as("the spec is never written")
        .isEqualTo(CompressionMethod.Prune);
    harness.await("a Warning event", () -> event("RevisionFailed", "compression rejected"));

    // Bad input (exit 2): a digest that does not match the source. A new attempt, a new Job.
    harness
        .jobs()
        .willEnd(
            FakeJobRunner.Outcome.badInput(
                "sha256 mismatch for " + TestModelDeployments.DIGITS_URI));
    editSpec(
        s ->
            s.toBuilder()
                .model(
                    new ModelSpec(
                        TestModelDeployments.DIGITS_URI,
                        "0".repeat(64),
                        "digits",
                        s.model().inputs()))
                .build());
    harness.await(
        "revision 3 failed",
        () ->
            md().getStatus().revisions().stream()
                .anyMatch(r -> r.number() == 3 && r.phase() == RevisionPhase.Failed));
    RevisionStatus third = revision(md(), 3);
    assertThat(third.compression().status()).isEqualTo("error");
    assertThat(third.compression().exitCode()).isEqualTo(2);
    assertThat(third.message())
        .isEqualTo(
            "compression error (exit 2): sha256 mismatch for " + TestModelDeployments.DIGITS_URI);
    assertThat(harness.jobs().jobsRun()).as("one Job per attempt").hasSize(3);
    assertThat(jobs())
        .as("the failed Jobs stay for their logs; the one that succeeded went")
        .hasSize(2);
    assertThat(deploymentRevisionHash()).isEqualTo(servingHash);
    assertThat(is(md(), "Ready", "True")).isTrue();
  }

  @Test
  void aDeletedDeploymentOfTheServingRevisionIsRestoredNotRolledOut() {
    harness.create(TestModelDeployments.digits());
    awaitServing(1);
    ControllerRevision before = controllerRevision(1);
    String deleted = deployment().getMetadata().getUid();
    client.apps().deployments().inNamespace(ns).withName("digits").delete();
    harness.await(
        "the Deployment put back, its pods ready",
        () ->
            deployment() != null
                && !deleted.equals(deployment().getMetadata().getUid())
                && deployment().getStatus() != null
                && Integer.valueOf(1).equals(deployment().getStatus().getReadyReplicas())
                && is(md(), "Ready", "True")
                && serving(1));
    ControllerRevision after = controllerRevision(1);
    assertThat(after.getMetadata().getAnnotations())
        .as("restoring the Deployment of a revision that serves is not a new rollout of it")
        .containsEntry("maas.dev/phase", "Serving")
        .containsEntry(
            "maas.dev/rollout-started-at",
            before.getMetadata().getAnnotations().get("maas.dev/rollout-started-at"))
        .containsEntry(
            "maas.dev/served-at", before.getMetadata().getAnnotations().get("maas.dev/served-at"));
    assertThat(event("RolledBack", "")).isFalse();
  }

  private ControllerRevision controllerRevision(long number) {
    return client
        .apps()
        .controllerRevisions()
        .inNamespace(ns)
        .withLabel("maas.dev/revision", Long.toString(number))
        .list()
        .getItems()
        .get(0);
  }

  @Test
  void oneCrashOfANewPodIsNotAFailedRollout() {
    harness.create(TestModelDeployments.digits());
    awaitServing(1);
    editSpec(
        s ->
            s.toBuilder()
                .runtime(new RuntimeSpec(CrashingImageKubelet.CRASH_ONCE_IMAGE, null, null, null))
                .build());
    // The pod shows CrashLoopBackOff after its first crash (an OOM kill, only the JVM's banner as
    // its last words), then serves: what heals by itself does not fail a rollout.
    harness.await(
        "revision 2 serving",
        () ->
            md().getStatus() != null
                && Long.valueOf(2).equals(md().getStatus().currentRevision())
                && is(md(), "Ready", "True"));
    ModelDeployment md = md();
    assertThat(revision(md, 2).phase()).isEqualTo(RevisionPhase.Serving);
    assertThat(is(md, "Stalled", "False")).isTrue();
    assertThat(event("RolledBack", "")).as("no rollback").isFalse();
  }

  @Test
  void aCrashLoopingRolloutRollsBackLongBeforeItsDeadlineAndTheSpecIsUntouched() {
    harness.create(TestModelDeployments.digits());
    awaitServing(1);
    String goodHash = deploymentRevisionHash();
    ModelDeploymentSpec bad =
        md().getSpec().toBuilder()
            .runtime(new RuntimeSpec(CrashingImageKubelet.CRASH_LOOP_IMAGE, null, null, null))
            .build();

    Instant changed = Instant.now();
    editSpec(
        s ->
            s.toBuilder()
                .runtime(new RuntimeSpec(CrashingImageKubelet.CRASH_LOOP_IMAGE, null, null, null))
                .build());
    harness.await("Stalled after a rollback", () -> is(md(), "Stalled", "True"));
    Duration took = Duration.between(changed, Instant.now());
    assertThat(took)
        .as("the deadline is 600 s; a crash loop needs no waiting")
        .isLessThan(Duration.ofSeconds(60));

    ModelDeployment md = md();
    Condition stalled = condition(md, "Stalled").orElseThrow();
    assertThat(stalled.getReason()).isEqualTo("RolledBack");
    assertThat(stalled.getMessage())
        .startsWith("revision 2 failed: rollout failed: pod digits-")
        .contains("CrashLoopBackOff (exit 2: serve: cannot load")
        .endsWith("revision 1 is serving instead");
    assertThat(revision(md, 2).phase()).isEqualTo(RevisionPhase.Failed);
    assertThat(md.getStatus().currentRevision()).isEqualTo(1);
    assertThat(md.getSpec()).as("the spec is never written").isEqualTo(bad);
    harness.await(
        "the Deployment back at revision 1", () -> goodHash.equals(deploymentRevisionHash()));
    harness.await("revision 1 ready again", () -> is(md(), "Ready", "True"));
    harness.await("a RolledBack event", () -> event("RolledBack", "from revision 2 to revision 1"));

    // An image that cannot be pulled fails the same way.
    editSpec(
        s ->
            s.toBuilder()
                .runtime(new RuntimeSpec(CrashingImageKubelet.MISSING_IMAGE, null, null, null))
                .build());
    harness.await(
        "revision 3 failed",
        () ->
            md().getStatus().revisions().stream()
                .anyMatch(r -> r.number() == 3 && r.phase() == RevisionPhase.Failed));
    assertThat(revision(md(), 3).message()).contains("ImagePullBackOff");
    harness.await("back at revision 1", () -> goodHash.equals(deploymentRevisionHash()));
  }

  @Test
  void anOperatorRestartMidPrepareStartsNoSecondJobAndMidRolloutKeepsTheDeadline() {
    harness.jobs().hold();
    harness.create(TestModelDeployments.int8());
    harness.await("the prepare Job", () -> jobs().size() == 1);
    harness.await(
        "Preparing",
        () -> md().getStatus() != null && revision(md(), 1).phase() == RevisionPhase.Preparing);
    harness.stopOperator();
    harness.startOperator();
    OperatorHarness.settle(Duration.ofSeconds(3));
    assertThat(jobs()).as("no second Job").hasSize(1);
    harness.jobs().release(FakeJobRunner.Outcome.succeeds());
    awaitServing(1);
    assertThat(harness.jobs().jobsRun()).hasSize(1);

    // A rollout that cannot finish (no node has 16 GPUs), across a restart.
    editSpec(
        s ->
            ModelDeploymentSpec.builder(s.model())
                .compression(s.compression())
                .storage(s.storage())
                .runtime(s.runtime())
                .gpu(new dev.maas.operator.api.spec.GpuSpec(16, "a100"))
                .replicas(s.replicas())
                .autoscaling(s.autoscaling())
                .rollout(s.rollout())
                .revisionHistoryLimit(s.revisionHistoryLimit())
                .build());
    harness.await(
        "revision 2 rolling out",
        () ->
            md().getStatus().revisions().stream()
                .anyMatch(r -> r.number() == 2 && r.phase() == RevisionPhase.RollingOut));
    String startedBefore = rolloutStartedAt(2);
    harness.stopOperator();
    OperatorHarness.settle(Duration.ofSeconds(2));
    harness.startOperator();
    OperatorHarness.settle(Duration.ofSeconds(3));
    assertThat(rolloutStartedAt(2))
        .as("a restart does not reset the deadline")
        .isEqualTo(startedBefore);
    assertThat(is(md(), "Ready", "True")).as("revision 1 keeps serving").isTrue();
  }

  private String rolloutStartedAt(long number) {
    return controllerRevisions().stream()
        .filter(cr -> cr.getRevision() == number)
        .findFirst()
        .orElseThrow()
        .getMetadata()
        .getAnnotations()
        .get("maas.dev/rollout-started-at");
  }

  @Test
  void revisionsBeyondTheHistoryLimitArePrunedButNeverTheServingOne() {
    ModelDeploymentSpec s = TestModelDeployments.digits().getSpec();
    harness.create(
        TestModelDeployments.modelDeployment(
            "digits",
            ModelDeploymentSpec.builder(s.model()).replicas(1).revisionHistoryLimit(2).build()));
    awaitServing(1);
    for (int i = 2; i <= 4; i++) {
      String image = "registry.example.com/maas/runtime:0." + i;
      editSpec(spec -> spec.toBuilder().runtime(new RuntimeSpec(image, null, null, null)).build());
      awaitServing(i);
    }
    harness.await("two revisions kept", () -> controllerRevisions().size() == 2);
    assertThat(controllerRevisions())
        .extracting(ControllerRevision::getRevision)
        .containsExactlyInAnyOrder(3L, 4L);
    assertThat(md().getStatus().revisions())
        .extracting(RevisionStatus::number)
        .containsExactly(4L, 3L);
  }

  @Test
  void kubectlMaasRollbackWritesTheSpecOnceReusesTheArtifactAndShowsInHistory() throws Exception {
    harness.create(TestModelDeployments.int8());
    awaitServing(1);
    ModelDeploymentSpec original = md().getSpec();
    editSpec(s -> s.toBuilder().model(TestModelDeployments.cnnModel()).build());
    awaitServing(2);
    long generation = md().getMetadata().getGeneration();

    PluginRun dryRun = plugin("rollback", "digits", "--to-revision", "1", "--dry-run");
    assertThat(dryRun.exit()).isZero();
    assertThat(dryRun.out()).startsWith("digits: would set the spec to revision 1 (dry run");
    assertThat(md().getMetadata().getGeneration()).isEqualTo(generation);

    PluginRun rollback = plugin("rollback", "digits");
    assertThat(rollback.exit()).as(rollback.err()).isZero();
    assertThat(rollback.out())
        .startsWith(
            "digits: spec set to revision 1; its prepared package is reused, no compression Job runs")
        .contains("change its source too");
    assertThat(md().getMetadata().getGeneration()).as("one write").isEqualTo(generation + 1);
    assertThat(md().getSpec()).isEqualTo(original);
    awaitServing(1);
    assertThat(harness.jobs().jobsRun()).as("no Job").hasSize(2);

    assertThat(plugin("rollback", "digits", "--to-revision", "1").out())
        .isEqualTo("digits: already at revision 1\n");
    assertThat(plugin("rollback", "digits", "--to-revision", "9").err())
        .contains("revision 9 is not in the history of digits");

    String history = plugin("history", "digits").out();
    String[] lines = history.strip().split("\n");
    assertThat(lines[0])
        .startsWith("REVISION")
        .contains("PHASE")
        .contains("ARTIFACT")
        .contains("COMPRESSION");
    assertThat(lines[1])
        .startsWith("1 ")
        .contains("Serving")
        .contains("serving,spec")
        .contains("Int8 3.988x");
    assertThat(lines[2]).startsWith("2 ").contains("Superseded");
  }

  record PluginRun(int exit, String out, String err) {}

  private PluginRun plugin(String... args) {
    String previous = System.getProperty("kubeconfig");
    System.setProperty("kubeconfig", cluster.kubeconfig().toString());
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream originalOut = System.out;
    java.io.PrintStream originalErr = System.err;
    try {
      System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
      System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
      java.util.List<String> all = new java.util.ArrayList<>(List.of(args));
      all.add("-n");
      all.add(ns);
      int exit =
          new picocli.CommandLine(new dev.maas.operator.MaasOperator())
              .execute(all.toArray(String[]::new));
      return new PluginRun(
          exit,
          out.toString(java.nio.charset.StandardCharsets.UTF_8),
          err.toString(java.nio.charset.StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
      if (previous == null) {
        System.clearProperty("kubeconfig");
      } else {
        System.setProperty("kubeconfig", previous);
      }
    }
  }
}
