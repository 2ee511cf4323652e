package dev.maas.operator.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.api.spec.ModelSpec;
import dev.maas.operator.revision.History;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.revision.RuntimeTemplate;
import dev.maas.operator.testing.TestModelDeployments;
import dev.maas.operator.testing.TestOperatorConfigs;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An hf:// source naming a branch is pinned to its commit, so the revision records it. */
class HubPinsTest {
  private static final String COMMIT = "3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a";

  private static ModelDeployment md(String uri) {
    ModelSpec digits = TestModelDeployments.digitsModel();
    return TestModelDeployments.modelDeployment(
        "digits",
        ModelDeploymentSpec.builder(new ModelSpec(uri, digits.sha256(), null, digits.inputs()))
            .replicas(1)
            .build());
  }

  private static RuntimeTemplate.Source source(String uri, HubPins pins) {
    return ResolvedModelDeployment.resolve(md(uri), TestOperatorConfigs.withPools(), pins)
        .resolved()
        .orElseThrow()
        .template()
        .source();
  }

  @Test
  void aBranchIsPinnedToTheCommitItNamesAndTheRequestKept() {
    RuntimeTemplate.Source pinned =
        source(
            "hf://maas/digits/torchscript/digits_mlp.pt",
            (endpoint, repo, revision) -> {
              assertThat(endpoint).isEqualTo("https://huggingface.co");
              assertThat(repo).isEqualTo("maas/digits");
              assertThat(revision).isEqualTo("main");
              return Optional.of(COMMIT);
            });
    assertThat(pinned.uri()).isEqualTo("hf://maas/digits/torchscript/digits_mlp.pt@" + COMMIT);
    assertThat(pinned.requestedUri()).isEqualTo("hf://maas/digits/torchscript/digits_mlp.pt");
  }

  @Test
  void aCommitIsNotLookedUpAndAnUnknownBranchStaysAsWritten() {
    String pinned = "hf://maas/digits/digits_mlp.pt@" + COMMIT;
    assertThat(
            source(
                    pinned,
                    (e, r, v) -> {
                      throw new AssertionError("a commit needs no lookup");
                    })
                .uri())
        .isEqualTo(pinned);
    RuntimeTemplate.Source unknown = source("hf://maas/private/m.pt@main", HubPins.NONE);
    assertThat(unknown.uri()).isEqualTo("hf://maas/private/m.pt@main");
    assertThat(unknown.requestedUri()).isNull();
  }

  @Test
  void whenTheHubCannotBeAskedARecordedPinIsKeptSoNoUnpinnedRevisionRollsOut() {
    String requested = "hf://maas/digits/digits_mlp.pt@main";
    RuntimeTemplate.Source recorded = source(requested, (e, r, v) -> Optional.of(COMMIT));
    RuntimeTemplate template =
        ResolvedModelDeployment.resolve(
                md(requested), TestOperatorConfigs.withPools(), (e, r, v) -> Optional.of(COMMIT))
            .resolved()
            .orElseThrow()
            .template();
    assertThat(template.source()).isEqualTo(recorded);
    History history = new History(List.of(Revision.first(3, "abc", template, null)));
    assertThat(source(requested, HubPins.NONE.orRecorded(history)).uri())
        .isEqualTo("hf://maas/digits/digits_mlp.pt@" + COMMIT);
    assertThat(source("hf://maas/digits/digits_mlp.pt@dev", HubPins.NONE.orRecorded(history)).uri())
        .as("another branch has no recorded pin")
        .isEqualTo("hf://maas/digits/digits_mlp.pt@dev");
  }
}
