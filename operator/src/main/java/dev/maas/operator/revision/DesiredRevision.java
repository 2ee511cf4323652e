package dev.maas.operator.revision;

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
    for (int collisionCount = 0; collisionCount < MAX_COLLISIONS; collisionCount++) {
      String hash = hasher.hash(template, collisionCount);
      Optional<Revision> existing = history.byHash(hash);
      if (existing.isEmpty()) {
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
