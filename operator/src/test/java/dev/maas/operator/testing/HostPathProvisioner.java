package dev.maas.operator.testing;

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
import java.util.function.Predicate;

/**
 * Plays a storage provisioner: every pending claim it is given gets a hostPath volume bound to it,
 * and the real PersistentVolume controller completes the binding, so the scheduler places pods that
 * use it. {@link #forNamespace} only binds (nothing runs in kwok's pods, so nothing is stored);
 * {@link #withDirectories} also makes the directory, which the process kubelet mounts into pods, so
 * what a prepare Job writes to a claim is what the runtime pods read from it.
 */
public final class HostPathProvisioner implements AutoCloseable {
  /** The local cluster's default storage class. */
  public static final String STANDARD = "standard";

  private final KubernetesClient client;
  private final Predicate<String> storageClasses;
  private final Optional<Path> root;
  private final SharedIndexInformer<PersistentVolumeClaim> informer;

  private HostPathProvisioner(
      KubernetesClient client,
      Optional<String> namespace,
      Predicate<String> storageClasses,
      Optional<Path> root) {
    this.client = client;
    this.storageClasses = storageClasses;
    this.root = root;
    ResourceEventHandler<PersistentVolumeClaim> handler =
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
        };
    this.informer =
        namespace.isPresent()
            ? client.persistentVolumeClaims().inNamespace(namespace.get()).inform(handler)
            : client.persistentVolumeClaims().inAnyNamespace().inform(handler);
  }

  /** Binds every claim of one namespace, of any class; makes no directory. */
  public static HostPathProvisioner forNamespace(KubernetesClient client, String namespace) {
    return new HostPathProvisioner(client, Optional.of(namespace), c -> true, Optional.empty());
  }

  /** Binds claims of class {@link #STANDARD} in every namespace to directories under root. */
  public static HostPathProvisioner withDirectories(KubernetesClient client, Path root) {
    return new HostPathProvisioner(client, Optional.empty(), STANDARD::equals, Optional.of(root));
  }

  /** The directory behind a bound claim. */
  public Optional<Path> directory(String namespace, String claimName) {
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
        Optional.ofNullable(claim.getSpec().getStorageClassName()).orElse(STANDARD);
    if (!storageClasses.test(storageClass)
        || claim.getSpec().getVolumeName() != null
        || claim.getStatus() == null
        || !"Pending".equals(claim.getStatus().getPhase())) {
      return;
    }
    String name = "pv-" + claim.getMetadata().getUid();
    Path dir = root.map(r -> r.resolve(name)).orElse(Path.of("/tmp", name));
    root.ifPresent(r -> makeWritable(dir));
    if (client.persistentVolumes().withName(name).get() != null) {
      return;
    }
    client.persistentVolumes().resource(volume(claim, name, storageClass, dir)).create();
  }

  private static PersistentVolume volume(
      PersistentVolumeClaim claim, String name, String storageClass, Path dir) {
    return new PersistentVolumeBuilder()
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
        .build();
  }

  /** Any pod's user may write: fsGroup ownership is not emulated for claims. */
  private static void makeWritable(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
