package dev.maas.runtime.source;

import dev.maas.runtime.model.ArtifactException;
import dev.maas.runtime.model.ArtifactUnavailableException;
import dev.maas.runtime.model.Sha256;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a remote object to a file, hashing it on the way, so that no artifact ever sits in
 * memory. A connection that breaks mid-body is resumed from the last byte written (the digest
 * carries on from there); a server that cannot resume sends the object again from its start and the
 * file and the digest start over. Failures a retry can fix are retried with backoff, as many times
 * in a row as the {@link RetryPolicy} allows; any other ends the download with its one-line
 * message.
 */
final class ResumableDownload {
  private static final Logger LOG = LoggerFactory.getLogger(ResumableDownload.class);

  /**
   * @param resumes how often the download continued after a broken connection
   * @param resolvedRevision for the Hub, the commit the revision resolved to
   */
  record Result(String sha256, long bytes, int resumes, Optional<String> resolvedRevision) {}

  private final RemoteObject object;
  private final String what;
  private final RetryPolicy retry;
  private final Duration progressInterval;
  private final Consumer<String> progressLog;

  ResumableDownload(
      RemoteObject object,
      String what,
      RetryPolicy retry,
      Duration progressInterval,
      Consumer<String> progressLog) {
    this.object = object;
    this.what = what;
    this.retry = retry;
    this.progressInterval = progressInterval;
    this.progressLog = progressLog;
  }

  /**
   * @throws ArtifactException with the failure's message when it cannot be retried
   * @throws ArtifactUnavailableException when it failed {@link RetryPolicy#maxFailuresInARow()}
   *     times in a row without progress
   */
  Result into(Path file) {
    MessageDigest digest = Sha256.newDigest();
    DownloadProgress progress =
        new DownloadProgress(what, progressInterval, System::nanoTime, progressLog);
    long started = System.nanoTime();
    long written = 0;
    int failuresInARow = 0;
    int resumes = 0;
    Optional<String> version = Optional.empty();
    Optional<String> revision = Optional.empty();
    byte[] buffer = new byte[1 << 16];
    try (FileChannel out =
        FileChannel.open(
            file,
            StandardOpenOption.WRITE,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      while (true) {
        long before = written;
        String failure;
        Exception cause;
        try (RemoteObject.Body body = object.open(written, version)) {
          if (body.start() != written) {
            LOG.info("{}: the server sent the object from its start; reading it again", what);
            out.truncate(0);
            out.position(0);
            digest.reset();
            written = 0;
            before = 0;
          } else if (written > 0) {
            resumes++;
            LOG.info("{}: resuming at byte {}", what, written);
          }
          if (written == 0) {
            LOG.info(
                "fetching {}{}",
                what,
                body.totalBytes() >= 0
                    ? " (" + DownloadProgress.size(body.totalBytes()) + ")"
                    : "");
          }
          version = body.version();
          revision = body.resolvedRevision();
          long total = body.totalBytes();
          InputStream in = body.stream();
          int n;
          while ((n = in.read(buffer)) > 0) {
            digest.update(buffer, 0, n);
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
            while (chunk.hasRemaining()) {
              out.write(chunk);
            }
            written += n;
            progress.advanced(written, total);
          }
          if (total >= 0 && written < total) {
            throw new EOFException(
                "the connection closed early, at byte " + written + " of " + total);
          }
          double seconds = (System.nanoTime() - started) / 1e9;
          LOG.info(
              "fetched {}: {} in {} s{}",
              what,
              DownloadProgress.size(written),
              String.format(Locale.ROOT, "%.1f", seconds),
              resumes == 0 ? "" : ", resumed " + resumes + " time" + (resumes == 1 ? "" : "s"));
          return new Result(Sha256.hex(digest.digest()), written, resumes, revision);
        } catch (FetchFailure f) {
          if (!f.retryable()) {
            throw new ArtifactException(f.getMessage());
          }
          failure = f.getMessage();
          cause = f;
        } catch (EOFException e) {
          failure = what + ": " + e.getMessage();
          cause = e;
        } catch (IOException e) {
          failure = what + ": " + IoErrors.describe(e) + " after " + written + " bytes";
          cause = e;
        }
        if (written > before) {
          // It got further: resume at once; only failures that make no progress count.
          failuresInARow = 0;
          LOG.warn("{}; resuming", failure);
          continue;
        }
        failuresInARow++;
        if (failuresInARow >= retry.maxFailuresInARow()) {
          throw new ArtifactUnavailableException(
              failure
                  + " (gave up after "
                  + failuresInARow
                  + (failuresInARow == 1 ? " try" : " tries")
                  + " without progress)",
              cause);
        }
        Duration wait = retry.backoff(failuresInARow, ThreadLocalRandom.current().nextDouble());
        LOG.warn("{}; trying again in {} ms", failure, wait.toMillis());
        Thread.sleep(wait.toMillis());
      }
    } catch (IOException e) {
      throw new ArtifactException(
          "cannot write " + file + " while fetching " + what + ": " + IoErrors.describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ArtifactException("interrupted while fetching " + what, e);
    }
  }
}
