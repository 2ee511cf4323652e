package dev.maas.runtime.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.contract.SourceFlags;
import dev.maas.runtime.TestModels;
import dev.maas.runtime.model.ArtifactException;
import dev.maas.runtime.model.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hf:// through the Hub's resolve API (a double of it, {@link HubDouble}). */
class HubSourceTest {
  private static final String TOKEN = "hf_testtoken";

  @TempDir Path dir;
  private HubDouble hub;
  private byte[] model;

  @BeforeEach
  void startTheHub() throws Exception {
    model = Files.readAllBytes(TestModels.digitsMlp());
    hub = new HubDouble("maas/digits", TOKEN, Map.of("torchscript/digits_mlp.pt", model));
  }

  @AfterEach
  void stopTheHub() {
    hub.close();
  }

  private ArtifactFetcher fetcher(Optional<String> tokenInSecret, Map<String, String> env)
      throws Exception {
    Optional<Path> secret = Optional.empty();
    if (tokenInSecret.isPresent()) {
      Path credentials = Files.createDirectories(dir.resolve("credentials"));
      Files.writeString(credentials.resolve(SourceFlags.HF_TOKEN), tokenInSecret.get() + "\n");
      secret = Optional.of(credentials);
    }
    var all = new java.util.HashMap<>(env);
    all.put(SourceFlags.ENV_HF_ENDPOINT, hub.endpoint());
    return new ArtifactFetcher(
        dir.resolve("cache"),
        new SourceSettings(secret, false, all),
        new ArtifactFetcher.Tuning(
            new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1)),
            Duration.ofSeconds(5),
            l -> {}));
  }

  @Test
  void aPinnedFileIsFetchedWithTheTokenSentToTheHubOnlyAndItsCommitReported() throws Exception {
    var artifact =
        fetcher(Optional.of(TOKEN), Map.of())
            .fetch("hf://maas/digits/torchscript/digits_mlp.pt@v1", Optional.of(Sha256.of(model)));
    assertThat(Files.readAllBytes(artifact.path())).isEqualTo(model);
    assertThat(artifact.resolvedRevision()).contains(HubDouble.COMMIT);
    assertThat(hub.hubAuthorizations).containsExactly("Bearer " + TOKEN);
    assertThat(hub.cdnAuthorizations).as("the CDN never sees the token").containsExactly("null");
  }

  @Test
  void hfTokenFromTheEnvironmentWorksWhenNoSecretIsNamed() throws Exception {
    var artifact =
        fetcher(Optional.empty(), Map.of(SourceFlags.HF_TOKEN, TOKEN))
            .fetch("hf://maas/digits/torchscript/digits_mlp.pt", Optional.empty());
    assertThat(artifact.sha256()).isEqualTo(Sha256.of(model));
    assertThat(artifact.resolvedRevision()).contains(HubDouble.COMMIT);
  }

  @Test
  void aGatedRepositoryWithoutATokenAndAMissingFileSayWhatToDo() throws Exception {
    assertThatThrownBy(
            () ->
                fetcher(Optional.empty(), Map.of())
                    .fetch("hf://maas/digits/torchscript/digits_mlp.pt@v1", Optional.empty()))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("HTTP 401, access denied")
        .hasMessageContaining("maas/digits is gated or private: set HF_TOKEN");
    assertThatThrownBy(
            () ->
                fetcher(Optional.of("hf_wrong"), Map.of())
                    .fetch("hf://maas/digits/torchscript/digits_mlp.pt@v1", Optional.empty()))
        .hasMessageContaining("check " + dir.resolve("credentials").resolve("HF_TOKEN"));
    assertThatThrownBy(
            () ->
                fetcher(Optional.of(TOKEN), Map.of())
                    .fetch("hf://maas/digits/torchscript/other.pt@v1", Optional.empty()))
        .hasMessageContaining(
            "HTTP 404, not found; no torchscript/other.pt at revision v1 of" + " maas/digits");
  }
}
