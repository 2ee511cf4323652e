package dev.maas.runtime.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.runtime.model.ArtifactException;
import dev.maas.runtime.model.ArtifactUnavailableException;
import dev.maas.runtime.model.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumableDownloadTest {
  private static final RetryPolicy QUICK =
      new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5));

  @TempDir Path dir;
  private final byte[] content = randomBytes(300_000);

  private ResumableDownload.Result download(FlakyObject object) {
    return new ResumableDownload(object, "s3://m/a.pt", QUICK, Duration.ofHours(1), l -> {})
        .into(dir.resolve("a.partial"));
  }

  @Test
  void aBrokenConnectionResumesWhereItStoppedAndTheDigestIsOfTheWhole() throws Exception {
    var object =
        new FlakyObject(
            content, new FlakyObject.BreaksAfter(100_000), new FlakyObject.BreaksAfter(70_000));
    ResumableDownload.Result result = download(object);
    assertThat(object.offsetsAsked).containsExactly(0L, 100_000L, 170_000L);
    assertThat(result.resumes()).isEqualTo(2);
    assertThat(result.sha256()).isEqualTo(Sha256.of(content));
    assertThat(Files.readAllBytes(dir.resolve("a.partial"))).isEqualTo(content);
  }

  @Test
  void aServerThatIgnoresTheRangeIsReadAgainFromTheStart() throws Exception {
    var object =
        new FlakyObject(
            content, new FlakyObject.BreaksAfter(100_000), new FlakyObject.IgnoresRange());
    ResumableDownload.Result result = download(object);
    assertThat(object.offsetsAsked).containsExactly(0L, 100_000L);
    assertThat(result.sha256()).isEqualTo(Sha256.of(content));
    assertThat(Files.readAllBytes(dir.resolve("a.partial"))).isEqualTo(content);
  }

  @Test
  void retryableFailuresAreRetriedAndProgressClearsTheCount() {
    var busy = FetchFailure.retryable("s3://m/a.pt: HTTP 503", null);
    var object =
        new FlakyObject(
            content,
            new FlakyObject.Fails(busy),
            new FlakyObject.Fails(busy),
            new FlakyObject.BreaksAfter(1000),
            new FlakyObject.Fails(busy),
            new FlakyObject.Fails(busy));
    assertThat(download(object).sha256()).isEqualTo(Sha256.of(content));
  }

  @Test
  void failuresInARowWithoutProgressGiveUpWithTheLastCause() {
    var busy = FetchFailure.retryable("s3://m/a.pt: HTTP 503", null);
    var object =
        new FlakyObject(
            content,
            new FlakyObject.Fails(busy),
            new FlakyObject.Fails(busy),
            new FlakyObject.Fails(busy));
    assertThatThrownBy(() -> download(object))
        .as("a retry later may succeed: compress exits 1 for it, not 2")
        .isInstanceOf(ArtifactUnavailableException.class)
        .hasMessage("s3://m/a.pt: HTTP 503 (gave up after 3 tries without progress)");
  }

  @Test
  void aRefusalIsNotRetried() {
    var object =
        new FlakyObject(
            content,
            new FlakyObject.Fails(FetchFailure.fatal("s3://m/a.pt: HTTP 403, access denied")));
    assertThatThrownBy(() -> download(object))
        .isExactlyInstanceOf(ArtifactException.class)
        .hasMessage("s3://m/a.pt: HTTP 403, access denied");
    assertThat(object.offsetsAsked).hasSize(1);
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(7).nextBytes(bytes);
    return bytes;
  }
}
