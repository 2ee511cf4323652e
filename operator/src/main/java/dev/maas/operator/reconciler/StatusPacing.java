package dev.maas.operator.reconciler;

import dev.maas.operator.status.StatusChange;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Paces status writes that only update counts. While a Deployment's pods come up one by one, each
 * changes readyReplicas (and the messages that quote it): written as they come, a rollout of 30
 * replicas wrote 71 statuses. A counts-only change within {@code window} of the last write waits
 * for the rest of the window and is written then, with whatever else came up meanwhile; anything
 * else (a condition's status or reason, a revision) is written at once. The last counts always
 * land: the reconcile is scheduled again for the end of the window.
 */
final class StatusPacing {
  private final Clock clock;
  private final Duration window;
  private final Map<ResourceID, Instant> lastWrites = new ConcurrentHashMap<>();

  StatusPacing(Clock clock, Duration window) {
    this.clock = clock;
    this.window = window;
  }

  /** How long this change should wait; empty: write it now (or there is nothing to write). */
  Optional<Duration> holdBack(ResourceID id, StatusChange change) {
    Instant now = clock.instant();
    // Only entries inside their window matter; older ones (deleted ModelDeployments) go.
    lastWrites.values().removeIf(at -> !now.isBefore(at.plus(window)));
    Instant last = lastWrites.get(id);
    if (change != StatusChange.COUNTS_ONLY || last == null) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, last.plus(window)));
  }

  void written(ResourceID id) {
    lastWrites.put(id, clock.instant());
  }
}
