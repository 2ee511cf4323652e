package dev.maas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The shadow comparison so far, over every serving pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShadowStatus(
    @JsonPropertyDescription("Mirrored requests whose answers were compared.") Long samples,
    @JsonPropertyDescription("Share of compared rows where the top-1 class agreed.")
        Double top1Agreement,
    @JsonPropertyDescription("Largest absolute difference of any output element.")
        Double maxOutputError,
    @JsonPropertyDescription("Mean absolute difference over compared output elements.")
        Double meanOutputError,
    @JsonPropertyDescription("Mirrored requests the candidate failed.") Long candidateErrors,
    @JsonPropertyDescription("Mirrored requests that reached no candidate pod, or were dropped.")
        Long lost,
    @JsonPropertyDescription("Per serving pod, as last read (so a restart loses nothing counted).")
        List<ShadowPodCounts> pods) {

  public static ShadowStatus of(List<ShadowPodCounts> pods) {
    ShadowPodCounts total = ShadowPodCounts.zero("total");
    for (ShadowPodCounts p : pods) {
      total = total.plus(p);
    }
    return new ShadowStatus(
        total.compared(),
        total.top1Rows() == 0 ? null : (double) total.top1Agreements() / total.top1Rows(),
        total.elements() == 0 ? null : total.errorMax(),
        total.elements() == 0 ? null : total.errorSum() / total.elements(),
        total.candidateErrors(),
        total.unreachable() + total.dropped(),
        List.copyOf(pods));
  }
}
