package dev.maas.e2e.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.Optional;

/**
 * The probes of one run of a container, as a kubelet schedules them: the startup probe until it
 * succeeds (too many failures restart the container), then readiness (flapping is smoothed by its
 * threshold) and liveness (too many failures restart the container).
 */
final class ProbeLoop {
  private final Container container;
  private final String podIp;
  private final ProbeSchedule startup;
  private final ProbeSchedule readiness;
  private final ProbeSchedule liveness;
  private boolean started;
  private boolean ready;

  ProbeLoop(Container container, String podIp, long now) {
    this.container = container;
    this.podIp = podIp;
    Probe startupProbe = container.getStartupProbe();
    this.startup = startupProbe == null ? null : new ProbeSchedule(startupProbe, now, false);
    this.readiness = schedule(container.getReadinessProbe(), now);
    this.liveness = schedule(container.getLivenessProbe(), now);
    this.started = startup == null;
    this.ready = readiness == null;
  }

  boolean started() {
    return started;
  }

  boolean ready() {
    return ready;
  }

  /** Runs the probes that are due; the reason to restart the container, when there is one. */
  Optional<String> tick(long now) {
    if (!started && startup.due(now)) {
      if (Probes.succeeds(startup.probe(), podIp, container)) {
        started = true;
      } else if (startup.record(false, now)) {
        return Optional.of("startup probe failed " + startup.failures() + " times");
      }
    }
    if (started && readiness != null && readiness.due(now)) {
      boolean ok = Probes.succeeds(readiness.probe(), podIp, container);
      boolean reached = readiness.record(ok, now);
      ready = ok || (ready && !reached);
    }
    if (started && liveness != null && liveness.due(now)) {
      if (liveness.record(Probes.succeeds(liveness.probe(), podIp, container), now)) {
        return Optional.of("liveness probe failed " + liveness.failures() + " times");
      }
    }
    return Optional.empty();
  }

  private static ProbeSchedule schedule(Probe probe, long now) {
    return probe == null ? null : new ProbeSchedule(probe, now, true);
  }
}
