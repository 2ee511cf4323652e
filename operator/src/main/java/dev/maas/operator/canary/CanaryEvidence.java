package dev.maas.operator.canary;

import dev.maas.operator.api.status.CanaryCheck;
import dev.maas.operator.api.status.ShadowPodCounts;
import java.util.List;
import java.util.Optional;

/**
 * What the pods' metrics said since the last reconcile.
 *
 * @param shadow the shadow counts per serving pod with this reading added (see {@link
 *     ShadowTally}); empty when nothing was read
 * @param checks the checks of an analysis interval that ended now; empty when none did
 */
public record CanaryEvidence(Optional<List<ShadowPodCounts>> shadow, List<CanaryCheck> checks) {
  public static final CanaryEvidence NONE = new CanaryEvidence(Optional.empty(), List.of());

  public CanaryEvidence {
    checks = List.copyOf(checks);
  }
}
