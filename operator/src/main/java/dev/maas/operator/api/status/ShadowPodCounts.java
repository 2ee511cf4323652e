package dev.maas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * What one serving pod counted of the shadow comparison, as last read from its metrics; the entry
 * named {@link #GONE} keeps what pods that since went (or restarted) had counted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShadowPodCounts(
    @JsonPropertyDescription("The serving pod, or '(gone)'.") String pod,
    @JsonPropertyDescription("Mirrored requests whose answers were compared.") long compared,
    @JsonPropertyDescription("Mirrored requests the candidate failed (5xx, or another shape).")
        long candidateErrors,
    @JsonPropertyDescription("Mirrored requests that reached no candidate pod.") long unreachable,
    @JsonPropertyDescription("Sampled requests dropped because the mirror queue was full.")
        long dropped,
    @JsonPropertyDescription("Rows compared by top-1 class.") long top1Rows,
    @JsonPropertyDescription("Of those, rows where both chose the same class.") long top1Agreements,
    @JsonPropertyDescription("Output elements compared.") long elements,
    @JsonPropertyDescription("Sum of absolute differences over those elements.") double errorSum,
    @JsonPropertyDescription("Largest absolute difference.") double errorMax) {
  public static final String GONE = "(gone)";

  public static ShadowPodCounts zero(String pod) {
    return new ShadowPodCounts(pod, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  public ShadowPodCounts plus(ShadowPodCounts o) {
    return new ShadowPodCounts(
        pod,
        compared + o.compared,
        candidateErrors + o.candidateErrors,
        unreachable + o.unreachable,
        dropped + o.dropped,
        top1Rows + o.top1Rows,
        top1Agreements + o.top1Agreements,
        elements + o.elements,
        errorSum + o.errorSum,
        Math.max(errorMax, o.errorMax));
  }

  public ShadowPodCounts named(String name) {
    return new ShadowPodCounts(
        name,
        compared,
        candidateErrors,
        unreachable,
        dropped,
        top1Rows,
        top1Agreements,
        elements,
        errorSum,
        errorMax);
  }
}
