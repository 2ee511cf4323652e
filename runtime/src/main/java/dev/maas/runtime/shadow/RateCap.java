package dev.maas.runtime.shadow;

import java.util.concurrent.atomic.AtomicLong;

/**
 * At most {@code perSecond} permits a second, with a burst of one second's worth; lock-free, so the
 * event loops that ask never wait on each other. Caps what mirroring may cost a busy pod: a canary
 * needs hundreds of compared samples, not a share of every request of a pod serving thousands a
 * second.
 */
final class RateCap {
  private final long intervalNanos;
  private final long burstNanos;
  private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);

  RateCap(int perSecond) {
    this.intervalNanos = 1_000_000_000L / perSecond;
    this.burstNanos = 1_000_000_000L - intervalNanos;
  }

  boolean tryAcquire(long nowNanos) {
    while (true) {
      long current = next.get();
      long start =
          current == Long.MIN_VALUE
              ? nowNanos - burstNanos
              : Math.max(current, nowNanos - burstNanos);
      if (start > nowNanos) {
        return false;
      }
      if (next.compareAndSet(current, start + intervalNanos)) {
        return true;
      }
    }
  }
}
