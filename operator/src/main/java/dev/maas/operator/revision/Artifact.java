package dev.maas.operator.revision;

import dev.maas.contract.PodLayout;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;

/**
 * What a runtime pod loads, and the read-only volume it comes from: the prepared package on the
 * storage claim, a file on the user's claim (pvc://), or a URL the runtime downloads and checks.
 * Either way the runtime is handed a location and a digest.
 *
 * @param uri a path inside the pod, or a URL the runtime fetches (http(s)://, s3://, hf://)
 * @param sha256 the digest the runtime checks; null when none is known
 * @param volume the claim mounted read-only for it; null for a URL
 */
public record Artifact(String uri, String sha256, Volume volume, VolumeMount mount) {
  public static final String STORAGE_VOLUME = "models";
  static final String SOURCE_VOLUME = "model-source";
  static final String IMAGE_VOLUME = "model-image";

  public static Artifact of(RuntimeTemplate template, PrepareOutcome prepared) {
    if (template.needsPreparation()) {
      if (prepared == null || !prepared.succeeded()) {
        throw new IllegalArgumentException(
            "a revision with compression needs its prepared package");
      }
      return new Artifact(
          PodLayout.MODELS_DIR + "/" + prepared.packagePath(),
          prepared.packageSha256(),
          claimVolume(STORAGE_VOLUME, template.storageClaim()),
          mount(STORAGE_VOLUME, PodLayout.MODELS_DIR));
    }
    return source(template.source());
  }

  /**
   * The source as the user named it: a URL the runtime fetches, a file on a claim mounted
   * read-only, or an image mounted read-only as an image volume (the runtime finds the model file
   * in it). Image volumes need Kubernetes 1.33+ with the ImageVolume feature on, and a container
   * runtime that mounts OCI artifacts as well as images (CRI-O 1.31+, containerd 2.1+).
   */
  public static Artifact source(RuntimeTemplate.Source source) {
    if (source.inImage()) {
      return new Artifact(
          PodLayout.IMAGE_DIR,
          source.sha256(),
          new VolumeBuilder()
              .withName(IMAGE_VOLUME)
              .withNewImage()
              .withReference(source.imageReference())
              .withPullPolicy("IfNotPresent")
              .endImage()
              .build(),
          mount(IMAGE_VOLUME, PodLayout.IMAGE_DIR));
    }
    if (!source.onClaim()) {
      return new Artifact(source.uri(), source.sha256(), null, null);
    }
    String dir = PodLayout.SOURCES_DIR + "/" + source.claim();
    return new Artifact(
        dir + "/" + source.pathInClaim(),
        source.sha256(),
        claimVolume(SOURCE_VOLUME, source.claim()),
        mount(SOURCE_VOLUME, dir));
  }

  public List<Volume> volumes() {
    return volume == null ? List.of() : List.of(volume);
  }

  public List<VolumeMount> mounts() {
    return mount == null ? List.of() : List.of(mount);
  }

  private static Volume claimVolume(String name, String claim) {
    return new VolumeBuilder()
        .withName(name)
        .withNewPersistentVolumeClaim()
        .withClaimName(claim)
        .withReadOnly(true)
        .endPersistentVolumeClaim()
        .build();
  }

  private static VolumeMount mount(String name, String path) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(true).build();
  }
}
