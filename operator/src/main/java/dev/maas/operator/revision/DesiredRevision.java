package dev.maas.operator.revision;

import java.time.Instant;
import java.util.Optional;

/**
 * The revision the spec asks for: the existing one with the same template, or a new one with the
 * next number. A name already taken by a different template is a hash collision: the collision
 * count goes up until the name is free or holds this template. The search starts from zero every
 * time, so nothing but the history itself needs to be remembered.
 *
 * @param isNew no ControllerRevision holds this template yet
 */
public record DesiredRevision(Revision revision, boolean isNew, int collisionCount) {
  /** More collisions than this in one history means the hash function is broken. */
  static final int MAX_COLLISIONS = 100;

  public static DesiredRevision resolve(
      RuntimeTemplate template, RevisionSpec spec, History history, TemplateHasher hasher) {
    return resolve(template, spec, history, hasher, Optional.empty(), Instant.EPOCH);
  }

  /**
   * As above; when no record holds the template but the Deployment runs it, the record was lost and
   * is rebuilt from the Deployment with the number it had (unless another record took it), so the
   * Deployment and its pods stay exactly as they are.
   */
  public static DesiredRevision resolve(
      RuntimeTemplate template,
      RevisionSpec spec,
      History history,
      TemplateHasher hasher,
      Optional<RunningRevision> running,
      Instant now) {
    for (int collisionCount = 0; collisionCount < MAX_COLLISIONS; collisionCount++) {
      String hash = hasher.hash(template, collisionCount);
      Optional<Revision> existing = history.byHash(hash);
      if (existing.isEmpty()) {
        Optional<Revision> rebuilt =
            running
                .filter(r -> r.hash().equals(hash) && history.byNumber(r.number()).isEmpty())
                .flatMap(r -> r.rebuild(template, spec, now));
        if (rebuilt.isPresent()) {
          return new DesiredRevision(rebuilt.get(), true, collisionCount);
        }
        return new DesiredRevision(
            Revision.first(history.nextNumber(), hash, template, spec), true, collisionCount);
      }
      if (CanonicalJson.tree(existing.get().template()).equals(CanonicalJson.tree(template))) {
        return new DesiredRevision(existing.get(), false, collisionCount);
      }
    }
    throw new IllegalStateException(MAX_COLLISIONS + " hash collisions in a row");
  }
}
