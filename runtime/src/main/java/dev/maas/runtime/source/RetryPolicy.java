package dev.maas.runtime.source;

import dev.maas.contract.SourceFlags;
import java.time.Duration;

/**
 * How often a download is tried again after a failure a retry can fix, and how long it waits:
 * exponential backoff from {@code initialBackoff}, capped at {@code maxBackoff}, with up to half of
 * each wait added at random so that many pods do not retry in step. The count is of failures in a
 * row without a byte of progress: a large artifact over a flaky link keeps resuming as long as each
 * attempt gets further.
 */
public record RetryPolicy(int maxFailuresInARow, Duration initialBackoff, Duration maxBackoff) {
  /** Seven tries over about a minute: outlasts a restarting server or a load balancer's hiccup. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(
          SourceFlags.DEFAULT_FETCH_RETRIES, Duration.ofMillis(500), Duration.ofSeconds(16));

  public RetryPolicy {
    if (maxFailuresInARow < 1) {
      throw new IllegalArgumentException("maxFailuresInARow must be at least 1");
    }
  }

  /** The wait before the next try, after {@code failures} failures in a row (1, 2, ...). */
  Duration backoff(int failures, double random) {
    long base = initialBackoff.toMillis() << Math.min(failures - 1, 20);
    long capped = Math.min(base, maxBackoff.toMillis());
    return Duration.ofMillis(capped + (long) (capped * 0.5 * random));
  }
}
