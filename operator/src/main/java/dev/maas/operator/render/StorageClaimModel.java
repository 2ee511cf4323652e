package dev.maas.operator.render;

import dev.maas.operator.resolve.ResolvedModelDeployment;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import java.util.Optional;

/**
 * The PVC that holds prepared packages, when the spec asks for compression and names no claim of
 * its own. Prepare Jobs write to it; runtime pods mount it read-only.
 */
public final class StorageClaimModel {
  private StorageClaimModel() {}

  public static Optional<PersistentVolumeClaim> build(ResolvedModelDeployment md) {
    return md.storageClaim()
        .map(
            claim ->
                new PersistentVolumeClaimBuilder()
                    .withMetadata(
                        Owners.metadata(md.owner(), claim.name(), Labels.common(md.name())))
                    .withNewSpec()
                    .withAccessModes(claim.accessMode())
                    .withStorageClassName(claim.storageClassName())
                    .withNewResources()
                    .addToRequests("storage", claim.size())
                    .endResources()
                    .endSpec()
                    .build());
  }
}
