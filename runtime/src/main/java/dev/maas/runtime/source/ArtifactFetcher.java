package dev.maas.runtime.source;

import dev.maas.runtime.model.ArtifactException;
import dev.maas.runtime.model.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a model location (a path, {@code file:}, http(s)://, s3:// or hf://) to a verified local
 * file. Remote artifacts are streamed to a temporary file while being hashed, resumed and retried
 * as {@link ResumableDownload} does, and renamed into the cache under their digest only when it
 * matches, so a failed or tampered download never looks like a cached artifact, and a container
 * that restarts with its cache volume finds the artifact without downloading it again.
 */
public final class ArtifactFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(ArtifactFetcher.class);

  /**
   * How downloads behave beyond the sources' settings.
   *
   * @param progressLog where progress lines go (the log, unless a test listens)
   */
  public record Tuning(RetryPolicy retry, Duration progressInterval, Consumer<String> progressLog) {
    public static final Tuning DEFAULT =
        new Tuning(RetryPolicy.DEFAULT, Duration.ofSeconds(5), LOG::info);
  }

  private final Path cacheDir;
  private final Sources sources;
  private final Tuning tuning;

  public ArtifactFetcher(Path cacheDir) {
    this(cacheDir, SourceSettings.none(), Tuning.DEFAULT);
  }

  public ArtifactFetcher(Path cacheDir, SourceSettings settings, Tuning tuning) {
    this.cacheDir = cacheDir;
    this.sources = new Sources(settings);
    this.tuning = tuning;
  }

  /**
   * A fetched artifact and the digest it was verified against (or computed, when none given).
   *
   * @param resolvedRevision for an hf:// location, the commit its revision resolved to
   */
  public record Artifact(Path path, String sha256, long bytes, Optional<String> resolvedRevision) {
    public Artifact(Path path, String sha256, long bytes) {
      this(path, sha256, bytes, Optional.empty());
    }
  }

  /**
   * @throws ArtifactException in one line naming the location and the cause: not found, access
   *     denied (naming the credentials), a digest mismatch (naming both digests), or a failure that
   *     outlasted the retries
   */
  public Artifact fetch(String location, Optional<String> expectedSha256) {
    Optional<String> expected = expectedSha256.map(s -> s.toLowerCase(Locale.ROOT));
    expected.ifPresent(ArtifactFetcher::checkDigestFormat);
    SourceUri source;
    try {
      source = SourceUri.parse(location);
    } catch (InvalidSourceException e) {
      throw new ArtifactException(e.getMessage());
    }
    try {
      if (source instanceof SourceUri.Local local) {
        return local(local, expected);
      }
      return download(source, expected);
    } catch (IOException e) {
      throw new ArtifactException(
          "cannot read model artifact " + location + ": " + IoErrors.describe(e), e);
    } catch (InvalidSourceException e) {
      throw new ArtifactException(e.getMessage());
    }
  }

  private static Artifact local(SourceUri.Local local, Optional<String> expected)
      throws IOException {
    Path path = Files.isDirectory(local.path()) ? ModelInDirectory.find(local) : local.path();
    if (!Files.isRegularFile(path)) {
      throw new ArtifactException(
          "model artifact " + local.written() + " does not exist or is not a file");
    }
    String actual = Sha256.of(path);
    verify(local.written(), expected, actual);
    return new Artifact(path, actual, Files.size(path));
  }

  private Artifact download(SourceUri source, Optional<String> expected) throws IOException {
    Files.createDirectories(cacheDir);
    if (expected.isPresent()) {
      Path cached = cacheDir.resolve(expected.get() + source.suffix());
      if (Files.isRegularFile(cached) && Sha256.of(cached).equals(expected.get())) {
        LOG.info("{}: using the cached copy {} (sha256 verified)", source.written(), cached);
        return new Artifact(cached, expected.get(), Files.size(cached));
      }
    }
    Path partial = Files.createTempFile(cacheDir, "download-", ".partial");
    try (RemoteObject object = sources.open(source)) {
      ResumableDownload.Result result =
          new ResumableDownload(
                  object,
                  source.written(),
                  tuning.retry(),
                  tuning.progressInterval(),
                  tuning.progressLog())
              .into(partial);
      verify(source.written(), expected, result.sha256());
      if (source instanceof SourceUri.Hub hub && result.resolvedRevision().isPresent()) {
        String commit = result.resolvedRevision().get();
        if (hub.revision().map(r -> !r.equals(commit)).orElse(true)) {
          LOG.info(
              "{}: revision {} is commit {}; name the commit to make this reproducible",
              hub.written(),
              hub.revisionOrMain(),
              commit);
        }
      }
      Path target = cacheDir.resolve(result.sha256() + source.suffix());
      Files.move(
          partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Artifact(target, result.sha256(), result.bytes(), result.resolvedRevision());
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private static void verify(String location, Optional<String> expected, String actual) {
    if (expected.isPresent() && !expected.get().equals(actual)) {
      throw new ArtifactException(
          "sha256 mismatch for "
              + location
              + ": expected "
              + expected.get()
              + " but the artifact has "
              + actual
              + "; refusing to use it");
    }
  }

  private static void checkDigestFormat(String sha256) {
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new ArtifactException(
          "--sha256 must be 64 hexadecimal characters, got '" + sha256 + "'");
    }
  }
}
