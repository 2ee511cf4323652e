package dev.maas.operator.render;

import dev.maas.contract.PodLayout;
import dev.maas.contract.ServeFlags;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The access Secrets in a runtime pod: mounted read-only with mode 0400 (the pod's fsGroup makes
 * them readable to the runtime's group and no one else), and the runtime told where they are by
 * path. A Secret's content never goes into the pod spec or an environment variable; kubelet updates
 * the files in place when the Secret changes, and the runtime reads them again, so rotating a key
 * or renewing a certificate restarts no pod.
 */
final class AccessMounts {
  static final String API_KEYS_VOLUME = "api-keys";
  static final String TLS_VOLUME = "tls";

  /** Owner-only: the pod's fsGroup makes a Secret's files readable to the runtime's group. */
  static final int SECRET_MODE = 0400;

  private AccessMounts() {}

  static List<Volume> volumes(ResolvedModelDeployment.Access access) {
    List<Volume> volumes = new ArrayList<>();
    access
        .apiKeysSecret()
        .ifPresent(
            secret ->
                volumes.add(
                    new VolumeBuilder()
                        .withName(API_KEYS_VOLUME)
                        .withNewSecret()
                        .withSecretName(secret)
                        .withDefaultMode(SECRET_MODE)
                        .endSecret()
                        .build()));
    access
        .tlsSecret()
        .ifPresent(
            secret ->
                volumes.add(
                    new VolumeBuilder()
                        .withName(TLS_VOLUME)
                        .withNewSecret()
                        .withSecretName(secret)
                        .withDefaultMode(SECRET_MODE)
                        // Only the certificate and its key: a Secret cert-manager writes also
                        // holds ca.crt, which the server has no use for.
                        .addNewItem()
                        .withKey(PodLayout.TLS_CERT)
                        .withPath(PodLayout.TLS_CERT)
                        .endItem()
                        .addNewItem()
                        .withKey(PodLayout.TLS_KEY)
                        .withPath(PodLayout.TLS_KEY)
                        .endItem()
                        .endSecret()
                        .build()));
    return volumes;
  }

  static List<VolumeMount> mounts(ResolvedModelDeployment.Access access) {
    List<VolumeMount> mounts = new ArrayList<>();
    if (access.apiKeysSecret().isPresent()) {
      mounts.add(mount(API_KEYS_VOLUME, PodLayout.API_KEYS_DIR));
    }
    if (access.tlsSecret().isPresent()) {
      mounts.add(mount(TLS_VOLUME, PodLayout.TLS_DIR));
    }
    return mounts;
  }

  /** Paths, not secrets. */
  static List<EnvVar> env(ResolvedModelDeployment.Access access) {
    List<EnvVar> env = new ArrayList<>();
    access
        .reviewsFor()
        .ifPresent(target -> env.add(new EnvVar(ServeFlags.ENV_KUBERNETES_AUTH, target, null)));
    if (access.apiKeysSecret().isPresent()) {
      env.add(new EnvVar(ServeFlags.ENV_API_KEYS, PodLayout.API_KEYS_DIR, null));
    }
    if (access.tlsSecret().isPresent()) {
      env.add(
          new EnvVar(ServeFlags.ENV_TLS_CERT, PodLayout.TLS_DIR + "/" + PodLayout.TLS_CERT, null));
      env.add(
          new EnvVar(ServeFlags.ENV_TLS_KEY, PodLayout.TLS_DIR + "/" + PodLayout.TLS_KEY, null));
    }
    return env;
  }

  /** A Secret volume, read-only where it is mounted. */
  static VolumeMount mount(String volume, String path) {
    return new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(true).build();
  }
}
