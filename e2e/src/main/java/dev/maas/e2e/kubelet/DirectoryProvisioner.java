package dev.maas.e2e.kubelet;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The storage provisioner of the local cluster's default class: every pending claim of class {@code
 * standard} gets a directory on this machine and a hostPath volume bound to it, which the real
 * PersistentVolume controller binds. The process kubelet mounts that directory into pods, so what a
 * prepare Job writes to a claim is what the runtime pods read from it.
 */
final class DirectoryProvisioner implements AutoCloseable {
  static final String STORAGE_CLASS = "standard";

  private final KubernetesClient client;
  private final Path root;
  private final SharedIndexInformer<PersistentVolumeClaim> informer;

  DirectoryProvisioner(KubernetesClient client, Path root) {
    this.client = client;
    this.root = root;
    this.informer =
        client
            .persistentVolumeClaims()
            .inAnyNamespace()
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

  /** The directory behind a bound claim. */
  Optional<Path> directory(String namespace, String claimName) {
    PersistentVolumeClaim claim =
        client.persistentVolumeClaims().inNamespace(namespace).withName(claimName).get();
    if (claim == null || claim.getSpec().getVolumeName() == null) {
      return Optional.empty();
    }
    PersistentVolume volume =
        client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
    return volume == null || volume.getSpec().getHostPath() == null
        ? Optional.empty()
        : Optional.of(Path.of(volume.getSpec().getHostPath().getPath()));
  }

  private void provision(PersistentVolumeClaim claim) {
    String storageClass =
        Optional.ofNullable(claim.getSpec().getStorageClassName()).orElse(STORAGE_CLASS);
    if (!STORAGE_CLASS.equals(storageClass)
        || claim.getSpec().getVolumeName() != null
        || claim.getStatus() == null
        || !"Pending".equals(claim.getStatus().getPhase())) {
      return;
    }
    String name = "pv-" + claim.getMetadata().getUid();
    Path dir = root.resolve(name);
    try {
      Files.createDirectories(dir);
      // Any pod's user may write: fsGroup ownership is not emulated for claims.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (client.persistentVolumes().withName(name).get() != null) {
      return;
    }
    client
        .persistentVolumes()
        .resource(
            new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withCapacity(claim.getSpec().getResources().getRequests())
                .withAccessModes(claim.getSpec().getAccessModes())
                .withStorageClassName(storageClass)
                .withPersistentVolumeReclaimPolicy("Delete")
                .withNewHostPath()
                .withPath(dir.toString())
                .endHostPath()
                .withNewClaimRef()
                .withNamespace(claim.getMetadata().getNamespace())
                .withName(claim.getMetadata().getName())
                .withUid(claim.getMetadata().getUid())
                .endClaimRef()
                .endSpec()
                .build())
        .create();
  }

  @Override
  public void close() {
    informer.close();
  }
}
