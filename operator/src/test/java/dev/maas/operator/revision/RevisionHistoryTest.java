package dev.maas.operator.revision;

import static dev.maas.operator.testing.TestRevisions.revision;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.api.status.RevisionPhase;
import dev.maas.operator.testing.TestModelDeployments;
import dev.maas.operator.testing.TestRevisions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Templates, their hashes, numbering, collisions and pruning: all without a server. */
class RevisionHistoryTest {
  private static RuntimeTemplate template(ModelDeployment md) {
    return TestRevisions.resolve(md).template();
  }

  private static ModelDeployment withSpec(ModelDeploymentSpec spec) {
    return TestModelDeployments.modelDeployment("digits", spec);
  }

  @Test
  void theHashOfATemplateIsStableAcrossOperatorVersions() {
    // If this changes, every running ModelDeployment rolls out again when the operator is
    // upgraded: change it only with a template change that really changes the pods.
    assertThat(TemplateHasher.SHA256.hash(TestRevisions.digits().template(), 0))
        .isEqualTo(TemplateHasher.SHA256.hash(TestRevisions.digits().template(), 0))
        .hasSize(10)
        .isEqualTo("4b9b4317cc");
  }

  @Test
  void scaleAndRolloutSettingsAreNotPartOfARevision() {
    ModelDeploymentSpec s = TestModelDeployments.everything().getSpec();
    RuntimeTemplate before = template(TestModelDeployments.everything());
    RuntimeTemplate scaled =
        template(
            withSpec(
                ModelDeploymentSpec.builder(s.model())
                    .compression(s.compression())
                    .storage(s.storage())
                    .runtime(s.runtime())
                    .gpu(s.gpu())
                    .replicas(7)
                    .revisionHistoryLimit(3)
                    .build()));
    assertThat(CanonicalJson.of(scaled)).isEqualTo(CanonicalJson.of(before));
  }

  @Test
  void whatShapesAPodIsPartOfARevision() {
    RuntimeTemplate digits = TestRevisions.digits().template();
    assertThat(TemplateHasher.SHA256.hash(TestRevisions.withImage(digits, "other:1"), 0))
        .isNotEqualTo(TemplateHasher.SHA256.hash(digits, 0));
    assertThat(TemplateHasher.SHA256.hash(digits, 1))
        .as("a collision count gives another name")
        .isNotEqualTo(TemplateHasher.SHA256.hash(digits, 0));
  }

  @Test
  void aNewTemplateGetsTheNextNumberAndAKnownOneItsOwn() {
    Revision one = revision(1, "runtime:1", RevisionPhase.Superseded);
    Revision two = revision(2, "runtime:2", RevisionPhase.Serving);
    History history = new History(List.of(one, two));

    DesiredRevision fresh =
        DesiredRevision.resolve(
            TestRevisions.withImage(one.template(), "runtime:3"),
            one.spec(),
            history,
            TemplateHasher.SHA256);
    assertThat(fresh.isNew()).isTrue();
    assertThat(fresh.revision().number()).isEqualTo(3);
    assertThat(fresh.revision().phase()).isEqualTo(RevisionPhase.Pending);

    DesiredRevision back =
        DesiredRevision.resolve(one.template(), one.spec(), history, TemplateHasher.SHA256);
    assertThat(back.isNew()).as("going back reuses the revision").isFalse();
    assertThat(back.revision()).isEqualTo(one);
  }

  @Test
  void aLostRecordOfWhatTheDeploymentRunsIsRebuiltWithItsNumberAndPackage() {
    Instant now = Instant.parse("2026-12-01T12:00:00Z");
    var compressed = TestRevisions.resolve(TestModelDeployments.everything());
    RuntimeTemplate template = compressed.template();
    String hash = TemplateHasher.SHA256.hash(template, 0);
    Revision two = revision(2, "runtime:2", RevisionPhase.Failed);
    History withoutOne = new History(List.of(two));
    RunningRevision deployed =
        new RunningRevision(
            1, hash, "/var/lib/maas/models/packages/k.maas.zip", "ab".repeat(32), true);

    DesiredRevision rebuilt =
        DesiredRevision.resolve(
            template,
            compressed.revisionSpec(),
            withoutOne,
            TemplateHasher.SHA256,
            Optional.of(deployed),
            now);
    assertThat(rebuilt.isNew()).as("to be recorded again").isTrue();
    assertThat(rebuilt.revision().number()).as("its own number, not the next").isEqualTo(1);
    assertThat(rebuilt.revision().phase()).isEqualTo(RevisionPhase.Serving);
    assertThat(rebuilt.revision().prepare().packagePath()).isEqualTo("packages/k.maas.zip");
    assertThat(rebuilt.revision().prepare().packageSha256()).isEqualTo("ab".repeat(32));
    assertThat(Artifact.of(template, rebuilt.revision().prepare()).uri())
        .as("the pods are handed the same package, so none restarts")
        .isEqualTo(deployed.artifactUri());

    RunningRevision noPackage = new RunningRevision(1, hash, "https://x/m.pt", null, true);
    DesiredRevision prepareAgain =
        DesiredRevision.resolve(
            template,
            compressed.revisionSpec(),
            withoutOne,
            TemplateHasher.SHA256,
            Optional.of(noPackage),
            now);
    assertThat(prepareAgain.revision().number())
        .as("a Deployment that shows no package cannot stand in for the record")
        .isEqualTo(3);
    assertThat(prepareAgain.revision().phase()).isEqualTo(RevisionPhase.Pending);

    History numberTaken = new History(List.of(revision(1, "runtime:9", RevisionPhase.Failed)));
    assertThat(
            DesiredRevision.resolve(
                    template,
                    compressed.revisionSpec(),
                    numberTaken,
                    TemplateHasher.SHA256,
                    Optional.of(deployed),
                    now)
                .revision()
                .number())
        .as("a number another record holds is not taken twice")
        .isEqualTo(2);
  }

  @Test
  void aHashCollisionGetsTheNextCollisionCountNeverAnError() {
    // A hash function that names every template alike until the collision count differs.
    TemplateHasher colliding = (template, count) -> "c0ffee000" + count;
    Revision taken =
        Revision.first(
            1,
            "c0ffee0000",
            TestRevisions.withImage(TestRevisions.digits().template(), "a:1"),
            TestRevisions.digits().revisionSpec());
    History history = new History(List.of(taken));
    RuntimeTemplate other = TestRevisions.withImage(TestRevisions.digits().template(), "b:1");

    DesiredRevision resolved = DesiredRevision.resolve(other, taken.spec(), history, colliding);
    assertThat(resolved.isNew()).isTrue();
    assertThat(resolved.collisionCount()).isEqualTo(1);
    assertThat(resolved.revision().hash()).isEqualTo("c0ffee0001");
    assertThat(resolved.revision().number()).isEqualTo(2);

    History both = history.with(resolved.revision());
    assertThat(DesiredRevision.resolve(other, taken.spec(), both, colliding).revision().number())
        .as("found again under the same collision count")
        .isEqualTo(2);
    assertThat(
            DesiredRevision.resolve(taken.template(), taken.spec(), both, colliding)
                .revision()
                .number())
        .isEqualTo(1);
  }

  @Test
  void pruningKeepsTheNewestAndNeverTheServingOrDesiredOne() {
    List<Revision> revisions =
        List.of(
            revision(1, "r:1", RevisionPhase.Serving),
            revision(2, "r:2", RevisionPhase.Failed),
            revision(3, "r:3", RevisionPhase.Failed),
            revision(4, "r:4", RevisionPhase.Failed),
            revision(5, "r:5", RevisionPhase.RollingOut));
    History history = new History(revisions);
    List<Revision> pruned =
        Pruning.toPrune(history, 3, Set.of(revisions.get(0).hash(), revisions.get(4).hash()));
    assertThat(pruned).extracting(Revision::number).containsExactlyInAnyOrder(2L, 3L);
    assertThat(Pruning.toPrune(history, 10, Set.of())).isEmpty();
    assertThat(Pruning.toPrune(history, 1, Set.of(revisions.get(0).hash())))
        .extracting(Revision::number)
        .containsExactlyInAnyOrder(2L, 3L, 4L, 5L);
  }

  @Test
  void theLastGoodRevisionIsTheOneServingElseTheLastThatServed() {
    Revision one = revision(1, "r:1", RevisionPhase.Superseded);
    Revision two = revision(2, "r:2", RevisionPhase.Superseded);
    Revision three = revision(3, "r:3", RevisionPhase.RollingOut);
    History history = new History(List.of(one, two, three));
    assertThat(history.lastGood(three.hash())).hasValue(two);
    Revision serving = revision(1, "r:1", RevisionPhase.Serving);
    assertThat(new History(List.of(serving, two, three)).lastGood(three.hash())).hasValue(serving);
    assertThat(new History(List.of(three)).lastGood(three.hash())).isEmpty();
  }
}
