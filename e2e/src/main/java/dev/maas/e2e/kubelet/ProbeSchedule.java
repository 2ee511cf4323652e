package dev.maas.e2e.kubelet;

import io.fabric8.kubernetes.api.model.Probe;
import java.util.concurrent.TimeUnit;

/**
 * One probe of a container: when it is next due (its initial delay, then every period) and how many
 * times in a row it failed, against its failure threshold (Kubernetes' defaults: every 10 s, 3
 * failures).
 */
final class ProbeSchedule {
  private final Probe probe;
  private long next;
  private int failures;

  ProbeSchedule(Probe probe, long now, boolean withInitialDelay) {
    this.probe = probe;
    this.next = now + (withInitialDelay ? seconds(probe.getInitialDelaySeconds()) : 0);
  }

  Probe probe() {
    return probe;
  }

  boolean due(long now) {
    return now >= next;
  }

  /** Records one result; true when the failures reached the threshold. */
  boolean record(boolean succeeded, long now) {
    next = now + seconds(probe.getPeriodSeconds() == null ? 10 : probe.getPeriodSeconds());
    failures = succeeded ? 0 : failures + 1;
    return failures >= threshold();
  }

  int failures() {
    return failures;
  }

  private int threshold() {
    return probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold();
  }

  private static long seconds(Integer value) {
    return TimeUnit.SECONDS.toNanos(value == null ? 0 : value);
  }
}
