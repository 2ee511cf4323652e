package dev.maas.operator.observe;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The operator's storage claim as it is now. Its UID tells whether it is the claim the packages
 * were written to: one deleted by hand and created again by the operator is empty, whatever its
 * name.
 *
 * @param lost the claim's volume is gone (phase Lost): its packages are too
 */
public record StorageClaimState(String name, String uid, Instant createdAt, boolean lost) {

  public static StorageClaimState of(PersistentVolumeClaim claim) {
    String created = claim.getMetadata().getCreationTimestamp();
    return new StorageClaimState(
        claim.getMetadata().getName(),
        claim.getMetadata().getUid(),
        created == null ? Instant.EPOCH : OffsetDateTime.parse(created).toInstant(),
        Optional.ofNullable(claim.getStatus()).map(s -> "Lost".equals(s.getPhase())).orElse(false));
  }

  /** Does this claim hold what was written to the claim with {@code uid}? */
  public boolean holdsWritesTo(String uid) {
    return !lost && this.uid != null && this.uid.equals(uid);
  }
}
