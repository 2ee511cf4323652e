package dev.maas.operator.reconciler;

import dev.maas.operator.api.status.CanaryPhase;
import dev.maas.operator.api.status.RolloutStatus;
import dev.maas.operator.api.status.ShadowPodCounts;
import dev.maas.operator.canary.CanaryEvidence;
import dev.maas.operator.canary.CanarySettings;
import dev.maas.operator.canary.IntervalAnalysis;
import dev.maas.operator.canary.PodMetrics;
import dev.maas.operator.canary.PodScraper;
import dev.maas.operator.canary.ShadowTally;
import dev.maas.operator.observe.CanaryView;
import dev.maas.operator.observe.RuntimePod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Reads the pods' metrics for a canary in progress and turns them into evidence: in the shadow
 * step, the serving pods' comparison counters added to what status holds; at a live step, the
 * checks of an analysis interval once one has passed since the last reading. The last reading of
 * each canary is kept here, in memory: after an operator restart the first interval starts anew
 * (the step, its failed checks and the shadow counts are in status, so nothing else is lost).
 */
final class CanaryMetrics {
  private record Baseline(long candidate, int step, Instant at, Map<String, PodMetrics> pods) {}

  private final PodScraper scraper;
  private final Map<ResourceID, Baseline> baselines = new ConcurrentHashMap<>();

  CanaryMetrics(PodScraper scraper) {
    this.scraper = scraper;
  }

  /**
   * @param rollout status.rollout as last written
   * @param candidate the desired revision, which a canary would judge
   */
  CanaryEvidence gather(
      ResourceID id,
      CanarySettings settings,
      Optional<RolloutStatus> rollout,
      long candidate,
      CanaryView view,
      Instant now) {
    Optional<RolloutStatus> current =
        rollout.filter(r -> r.candidateRevision() != null && r.candidateRevision() == candidate);
    CanaryPhase phase = current.map(RolloutStatus::phase).orElse(CanaryPhase.Shadow);
    if (phase == CanaryPhase.Shadow) {
      baselines.remove(id);
      if (view.candidatePods().isEmpty()) {
        return CanaryEvidence.NONE;
      }
      Map<String, PodMetrics> read = scraper.scrape(addresses(view, view.stablePods()));
      String label = Long.toString(candidate);
      Map<String, ShadowPodCounts> counts = new HashMap<>();
      read.forEach((pod, metrics) -> counts.put(pod, metrics.shadow(pod, label)));
      List<ShadowPodCounts> recorded =
          current
              .map(
                  r ->
                      r.shadow() == null || r.shadow().pods() == null
                          ? List.<ShadowPodCounts>of()
                          : r.shadow().pods())
              .orElse(List.of());
      Set<String> living =
          view.stablePods().stream().map(RuntimePod::name).collect(Collectors.toSet());
      return new CanaryEvidence(
          Optional.of(ShadowTally.update(recorded, counts, living)), List.of());
    }
    if (phase != CanaryPhase.Step) {
      baselines.remove(id);
      return CanaryEvidence.NONE;
    }
    int step = current.get().step();
    Map<String, String> pods = new HashMap<>(addresses(view, view.stablePods()));
    pods.putAll(addresses(view, view.candidatePods()));
    Baseline before = baselines.get(id);
    if (before != null
        && before.candidate() == candidate
        && before.step() == step
        && Duration.between(before.at(), now).compareTo(settings.interval()) < 0) {
      return CanaryEvidence.NONE;
    }
    Map<String, PodMetrics> read = scraper.scrape(pods);
    baselines.put(id, new Baseline(candidate, step, now, read));
    if (before == null || before.candidate() != candidate || before.step() != step) {
      return CanaryEvidence.NONE;
    }
    Set<String> candidates =
        view.candidatePods().stream().map(RuntimePod::name).collect(Collectors.toSet());
    Set<String> stable =
        view.stablePods().stream().map(RuntimePod::name).collect(Collectors.toSet());
    return new CanaryEvidence(
        Optional.empty(),
        IntervalAnalysis.checks(settings, before.pods(), read, candidates, stable, now));
  }

  /** The canary is over, or the ModelDeployment gone. */
  void forget(ResourceID id) {
    baselines.remove(id);
  }

  private static Map<String, String> addresses(CanaryView view, List<RuntimePod> pods) {
    Map<String, String> addresses = new HashMap<>();
    for (RuntimePod pod : pods) {
      if (pod.reachable()) {
        addresses.put(pod.name(), view.baseUrl(pod));
      }
    }
    return addresses;
  }
}
