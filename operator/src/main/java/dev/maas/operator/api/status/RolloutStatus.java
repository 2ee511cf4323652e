package dev.maas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * A canary as it stands, or as it ended: enough to resume it after an operator restart (the step,
 * when it began, the checks failed so far, the shadow counts) and to tell a person why it went the
 * way it did.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutStatus(
    @JsonPropertyDescription("Shadow, Step, Promoting, Promoted or Aborted.") CanaryPhase phase,
    @JsonPropertyDescription("The revision being judged.") Long candidateRevision,
    @JsonPropertyDescription("The revision that serves meanwhile.") Long stableRevision,
    @JsonPropertyDescription("0 is the shadow step; 1..steps the live ones.") Integer step,
    @JsonPropertyDescription("Live steps in all.") Integer steps,
    @JsonPropertyDescription("The step's weight: the candidate's intended share of traffic, %.")
        Integer weight,
    @JsonPropertyDescription(
            "The candidate's share of the ready pods behind the Service now, %: what it really"
                + " takes.")
        Integer liveWeight,
    @JsonPropertyDescription("When the canary began.") String startedAt,
    @JsonPropertyDescription("When the current step began.") String stepStartedAt,
    @JsonPropertyDescription("When the last live check was made.") String lastCheckAt,
    @JsonPropertyDescription("Failed checks so far.") Integer failedChecks,
    @JsonPropertyDescription("A check passed at the current step (the step may end).")
        Boolean stepPassed,
    @JsonPropertyDescription("The shadow comparison.") ShadowStatus shadow,
    @JsonPropertyDescription("The last checks, oldest first.") List<CanaryCheck> checks,
    @JsonPropertyDescription("What is happening, or why it ended.") String message,
    @JsonPropertyDescription("The last manual command acted on (kubectl maas promote|abort).")
        String handledCommand) {
  /** Checks kept in status and in the revision's record. */
  public static final int CHECKS_KEPT = 12;
}
