package dev.maas.operator.revision;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Which revisions go when there are more than revisionHistoryLimit: the oldest, never the one
 * serving or the one the spec asks for (which may be rolling out).
 */
public final class Pruning {
  private Pruning() {}

  public static List<Revision> toPrune(History history, int limit, Set<String> keepHashes) {
    List<Revision> newestFirst =
        history.revisions().stream()
            .sorted(Comparator.comparingLong(Revision::number).reversed())
            .toList();
    long kept = newestFirst.stream().filter(r -> keepHashes.contains(r.hash())).count();
    int room = (int) Math.max(0, limit - kept);
    List<Revision> others =
        newestFirst.stream().filter(r -> !keepHashes.contains(r.hash())).toList();
    return others.subList(Math.min(room, others.size()), others.size());
  }
}
