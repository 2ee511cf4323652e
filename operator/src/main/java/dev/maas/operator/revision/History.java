package dev.maas.operator.revision;

import dev.maas.operator.api.status.RevisionPhase;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** A ModelDeployment's revisions, oldest first. */
public record History(List<Revision> revisions) {
  public History {
    revisions = revisions.stream().sorted(Comparator.comparingLong(Revision::number)).toList();
  }

  public static History empty() {
    return new History(List.of());
  }

  public Optional<Revision> byHash(String hash) {
    return revisions.stream().filter(r -> r.hash().equals(hash)).findFirst();
  }

  public Optional<Revision> byNumber(long number) {
    return revisions.stream().filter(r -> r.number() == number).findFirst();
  }

  public long nextNumber() {
    return revisions.stream().mapToLong(Revision::number).max().orElse(0) + 1;
  }

  /** The revision that most recently became fully available and is not superseded. */
  public Optional<Revision> serving() {
    return revisions.stream().filter(r -> r.phase() == RevisionPhase.Serving).findFirst();
  }

  /**
   * The revision to go back to when {@code failed} fails: the one serving, or else the one that
   * served most recently.
   */
  public Optional<Revision> lastGood(String failedHash) {
    return revisions.stream()
        .filter(r -> !r.hash().equals(failedHash) && r.servedBefore())
        .filter(r -> r.phase() != RevisionPhase.Failed)
        .max(
            Comparator.comparing((Revision r) -> r.phase() == RevisionPhase.Serving)
                .thenComparing(Revision::servedAt));
  }

  /**
   * A revision that already prepared the same artifact, its package still there: the package is
   * reused, no Job runs.
   */
  public Optional<Revision> preparedAs(String prepareKey, Predicate<PrepareOutcome> stillThere) {
    return revisions.stream()
        .filter(r -> r.prepare() != null && r.prepare().succeeded())
        .filter(r -> stillThere.test(r.prepare()))
        .filter(r -> PrepareKey.of(r.template()).equals(prepareKey))
        .findFirst();
  }

  /** This history with one revision added or replaced (by number). */
  public History with(Revision revision) {
    return new History(
        java.util.stream.Stream.concat(
                revisions.stream().filter(r -> r.number() != revision.number()),
                java.util.stream.Stream.of(revision))
            .toList());
  }
}
