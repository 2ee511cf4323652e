package dev.maas.operator.testing;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Plays a storage provisioner for one namespace: for every pending claim it creates a volume bound
 * to that claim, and the real PersistentVolume controller completes the binding, so the scheduler
 * places pods that use it. No data is stored anywhere: nothing runs in these pods.
 */
public final class FakeVolumeProvisioner implements AutoCloseable {
  private final KubernetesClient client;
  private final SharedIndexInformer<PersistentVolumeClaim> informer;

  public FakeVolumeProvisioner(KubernetesClient client, String namespace) {
    this.client = client;
    this.informer =
        client
            .persistentVolumeClaims()
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(PersistentVolumeClaim claim) {
                    provision(claim);
                  }

                  @Override
                  public void onUpdate(PersistentVolumeClaim before, PersistentVolumeClaim claim) {
                    provision(claim);
                  }

                  @Override
                  public void onDelete(PersistentVolumeClaim claim, boolean unknown) {}
                });
  }

  private void provision(PersistentVolumeClaim claim) {
    if (claim.getSpec().getVolumeName() != null
        || claim.getStatus() == null
        || !"Pending".equals(claim.getStatus().getPhase())) {
      return;
    }
    String name = "pv-" + claim.getMetadata().getUid();
    PersistentVolume volume =
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withCapacity(claim.getSpec().getResources().getRequests())
            .withAccessModes(claim.getSpec().getAccessModes())
            .withStorageClassName(claim.getSpec().getStorageClassName())
            .withPersistentVolumeReclaimPolicy("Delete")
            .withNewHostPath()
            .withPath("/tmp/" + name)
            .endHostPath()
            .withNewClaimRef()
            .withNamespace(claim.getMetadata().getNamespace())
            .withName(claim.getMetadata().getName())
            .withUid(claim.getMetadata().getUid())
            .endClaimRef()
            .endSpec()
            .build();
    if (client.persistentVolumes().withName(name).get() == null) {
      client.persistentVolumes().resource(volume).create();
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
