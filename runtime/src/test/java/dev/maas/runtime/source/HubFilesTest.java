package dev.maas.runtime.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Hub's documented download URL, {@code https://huggingface.co/{repo_id}/resolve/{revision}/
 * {filename}} (huggingface_hub's {@code hf_hub_url}): the revision quoted whole, so a pull
 * request's {@code refs/pr/1} stays one segment; the file's path keeps its slashes.
 */
class HubFilesTest {
  private static final URI HUB = URI.create("https://huggingface.co/");

  @Test
  void aPinnedFileResolvesUnderItsRevision() {
    var file = (SourceUri.Hub) SourceUri.parse("hf://org/digits/onnx/model v2.pt@3f2a1b");
    assertThat(HubFiles.resolveUrl(HUB, file))
        .isEqualTo(
            URI.create("https://huggingface.co/org/digits/resolve/3f2a1b/onnx/model%20v2.pt"));
  }

  @Test
  void aBranchWithSlashesIsOneSegmentAndNoRevisionMeansMain() {
    var pr = (SourceUri.Hub) SourceUri.parse("hf://org/digits/model.pt@refs/pr/1");
    assertThat(HubFiles.resolveUrl(HUB, pr).toString())
        .isEqualTo("https://huggingface.co/org/digits/resolve/refs%2Fpr%2F1/model.pt");
    var unpinned = (SourceUri.Hub) SourceUri.parse("hf://org/digits/model.pt");
    assertThat(HubFiles.resolveUrl(HUB, unpinned).toString())
        .isEqualTo("https://huggingface.co/org/digits/resolve/main/model.pt");
  }

  @Test
  void aMirrorUnderAPathKeepsItsPath() {
    var file = (SourceUri.Hub) SourceUri.parse("hf://org/digits/model.pt@v1");
    assertThat(HubFiles.resolveUrl(URI.create("https://mirror.corp/hf/"), file).toString())
        .isEqualTo("https://mirror.corp/hf/org/digits/resolve/v1/model.pt");
  }

  @Test
  void aTokenIsABearerCredentialAndNoTokenSendsNothing() {
    assertThat(HubFiles.headers(Optional.of("hf_abc")))
        .isEqualTo(Map.of("Authorization", "Bearer hf_abc"));
    assertThat(HubFiles.headers(Optional.empty())).isEmpty();
  }
}
