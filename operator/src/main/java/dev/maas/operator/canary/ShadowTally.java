package dev.maas.operator.canary;

import dev.maas.operator.api.status.ShadowPodCounts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adds the serving pods' latest shadow counters to what status already holds, so that nothing
 * counted is lost: a pod's counters only grow while it lives, so a smaller reading means it
 * restarted (what it had counted before moves to the {@link ShadowPodCounts#GONE} entry), a pod
 * that no longer exists moves there whole, and a pod that could not be read this time keeps its
 * last reading. A pure function.
 */
public final class ShadowTally {
  private ShadowTally() {}

  /**
   * @param recorded the per-pod counts status holds
   * @param read this time's readings, by pod name
   * @param living the serving pods that exist now
   */
  public static List<ShadowPodCounts> update(
      List<ShadowPodCounts> recorded, Map<String, ShadowPodCounts> read, Set<String> living) {
    ShadowPodCounts gone = ShadowPodCounts.zero(ShadowPodCounts.GONE);
    Map<String, ShadowPodCounts> pods = new LinkedHashMap<>();
    for (ShadowPodCounts p : recorded) {
      if (p.pod().equals(ShadowPodCounts.GONE)) {
        gone = gone.plus(p);
      } else if (!living.contains(p.pod())) {
        gone = gone.plus(p);
      } else {
        pods.put(p.pod(), p);
      }
    }
    for (Map.Entry<String, ShadowPodCounts> r : read.entrySet()) {
      ShadowPodCounts before = pods.get(r.getKey());
      ShadowPodCounts now = r.getValue().named(r.getKey());
      if (before != null && restarted(before, now)) {
        gone = gone.plus(before);
      }
      pods.put(r.getKey(), now);
    }
    List<ShadowPodCounts> result = new ArrayList<>();
    if (gone.compared() + gone.candidateErrors() + gone.unreachable() + gone.dropped() > 0) {
      result.add(gone);
    }
    pods.keySet().stream().sorted().forEach(name -> result.add(pods.get(name)));
    return result;
  }

  private static boolean restarted(ShadowPodCounts before, ShadowPodCounts now) {
    return now.compared() < before.compared()
        || now.candidateErrors() < before.candidateErrors()
        || now.unreachable() < before.unreachable()
        || now.dropped() < before.dropped();
  }
}
