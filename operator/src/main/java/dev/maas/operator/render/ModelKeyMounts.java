package dev.maas.operator.render;

import dev.maas.contract.PodLayout;
import dev.maas.contract.ServeFlags;
import dev.maas.operator.api.spec.EncryptionSpec;
import dev.maas.operator.revision.RuntimeTemplate;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;

/**
 * An encrypted artifact's key in a runtime pod or a prepare Job's: the Secret's key file, read-only
 * and owner-only, and a memory-backed emptyDir the runtime decrypts into while the model loads
 * (tmpfs: the plaintext never touches a disk, and it counts against the pod's memory only until it
 * is loaded and deleted).
 */
final class ModelKeyMounts {
  static final String KEY_VOLUME = "model-key";
  static final String DECRYPTED_VOLUME = "decrypted";

  private ModelKeyMounts() {}

  static List<Volume> volumes(RuntimeTemplate.Source source) {
    if (!source.encrypted()) {
      return List.of();
    }
    return List.of(
        new VolumeBuilder()
            .withName(KEY_VOLUME)
            .withNewSecret()
            .withSecretName(source.keySecret())
            .withDefaultMode(AccessMounts.SECRET_MODE)
            .addNewItem()
            .withKey(EncryptionSpec.SECRET_KEY)
            .withPath(PodLayout.MODEL_KEY_FILE)
            .endItem()
            .endSecret()
            .build(),
        new VolumeBuilder()
            .withName(DECRYPTED_VOLUME)
            .withNewEmptyDir()
            .withMedium("Memory")
            .endEmptyDir()
            .build());
  }

  static List<VolumeMount> mounts(RuntimeTemplate.Source source) {
    if (!source.encrypted()) {
      return List.of();
    }
    return List.of(
        AccessMounts.mount(KEY_VOLUME, PodLayout.MODEL_KEY_DIR),
        new VolumeMountBuilder()
            .withName(DECRYPTED_VOLUME)
            .withMountPath(PodLayout.DECRYPTED_DIR)
            .build());
  }

  static List<EnvVar> env(RuntimeTemplate.Source source) {
    if (!source.encrypted()) {
      return List.of();
    }
    return List.of(
        new EnvVar(
            ServeFlags.ENV_MODEL_KEY,
            PodLayout.MODEL_KEY_DIR + "/" + PodLayout.MODEL_KEY_FILE,
            null),
        new EnvVar(ServeFlags.ENV_DECRYPTED_DIR, PodLayout.DECRYPTED_DIR, null));
  }
}
