package dev.maas.runtime.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * An object that can be read from any byte offset: what lets a broken download continue where it
 * stopped instead of starting again.
 */
public interface RemoteObject extends AutoCloseable {
  /**
   * Opens the object's bytes from {@code offset}, but only if it is still the version {@code
   * version} names (an ETag); a server that does not honour the range, or an object that changed,
   * answers from 0, which {@link Body#start()} tells.
   *
   * @throws FetchFailure when the server refuses or fails; {@link FetchFailure#retryable()} says
   *     whether another attempt may succeed
   */
  Body open(long offset, Optional<String> version) throws FetchFailure;

  /** Releases what reading needed (an S3 client's connections). */
  @Override
  default void close() {}

  /**
   * The bytes from {@code start}.
   *
   * @param totalBytes the object's size, or -1 when the server does not say
   * @param version what identifies this version of the object (an ETag), to resume only the same
   * @param resolvedRevision for the Hub, the commit a branch or tag resolved to
   */
  record Body(
      InputStream stream,
      long start,
      long totalBytes,
      Optional<String> version,
      Optional<String> resolvedRevision)
      implements Closeable {
    @Override
    public void close() throws IOException {
      stream.close();
    }
  }
}
