package dev.maas.operator.revision;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.maas.operator.api.status.CanaryCheck;
import dev.maas.operator.api.status.RolloutStatus;
import dev.maas.operator.api.status.ShadowStatus;
import java.util.List;

/**
 * How a revision's canary ended, kept with the revision (a ControllerRevision annotation) so that
 * {@code kubectl maas history} shows why it was promoted or aborted long after status moved on.
 *
 * @param outcome Promoted or Aborted
 * @param step the step it reached (0: shadow)
 * @param shadow the shadow comparison's totals (without the per-pod counts)
 * @param checks the last checks made
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanaryReport(
    String outcome, int step, ShadowStatus shadow, List<CanaryCheck> checks, String message) {

  public static CanaryReport of(RolloutStatus rollout) {
    ShadowStatus s = rollout.shadow();
    return new CanaryReport(
        rollout.phase().name(),
        rollout.step() == null ? 0 : rollout.step(),
        s == null
            ? null
            : new ShadowStatus(
                s.samples(),
                s.top1Agreement(),
                s.maxOutputError(),
                s.meanOutputError(),
                s.candidateErrors(),
                s.lost(),
                null),
        rollout.checks() == null ? List.of() : rollout.checks(),
        rollout.message());
  }
}
