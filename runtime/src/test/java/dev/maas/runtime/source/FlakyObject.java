package dev.maas.runtime.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Plays a remote object over an unreliable network: each {@link #open} follows the next step of a
 * script (fail with a status, break the connection after some bytes, ignore the range), then serves
 * normally. Records the offsets it was asked for.
 */
final class FlakyObject implements RemoteObject {
  sealed interface Step {}

  /** The server answers with a failure. */
  record Fails(FetchFailure failure) implements Step {}

  /** The body breaks after this many bytes. */
  record BreaksAfter(int bytes) implements Step {}

  /** The server sends the whole object from byte 0 whatever the range. */
  record IgnoresRange() implements Step {}

  private final byte[] content;
  private final Deque<Step> script;
  final List<Long> offsetsAsked = new ArrayList<>();

  FlakyObject(byte[] content, Step... script) {
    this.content = content;
    this.script = new ArrayDeque<>(List.of(script));
  }

  @Override
  public Body open(long offset, Optional<String> version) throws FetchFailure {
    offsetsAsked.add(offset);
    Step step = script.poll();
    if (step instanceof Fails fails) {
      throw fails.failure();
    }
    int start = step instanceof IgnoresRange ? 0 : (int) offset;
    InputStream stream = new ByteArrayInputStream(content, start, content.length - start);
    if (step instanceof BreaksAfter breaks) {
      stream = breaking(stream, breaks.bytes());
    }
    return new Body(stream, start, content.length, Optional.of("\"v1\""), Optional.empty());
  }

  private static InputStream breaking(InputStream in, int limit) {
    return new InputStream() {
      private int sent;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (sent >= limit) {
          throw new IOException("Connection reset");
        }
        int n = in.read(b, off, Math.min(len, limit - sent));
        sent += Math.max(n, 0);
        return n;
      }
    };
  }
}
