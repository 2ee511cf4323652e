package dev.maas.operator.render;

import dev.maas.contract.PodLayout;
import dev.maas.contract.SourceFlags;
import dev.maas.operator.revision.RuntimeTemplate;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;

/**
 * What a pod that fetches a remote source needs (a runtime pod serving the source itself, or a
 * prepare Job): the credentials Secret as owner-only files, never env, so that no other process,
 * `kubectl describe` or a log sees a key; the S3 store's CA bundle likewise; and the store's
 * settings, which are not secrets, as the standard variables the AWS SDK and the Hub's client read.
 */
final class SourceAccessMounts {
  static final String CREDENTIALS_VOLUME = "source-credentials";
  static final String CA_VOLUME = "source-ca";

  private SourceAccessMounts() {}

  static List<Volume> volumes(RuntimeTemplate.Source source) {
    List<Volume> volumes = new ArrayList<>();
    if (source.credentialsSecret() != null) {
      volumes.add(
          new VolumeBuilder()
              .withName(CREDENTIALS_VOLUME)
              .withNewSecret()
              .withSecretName(source.credentialsSecret())
              .withDefaultMode(AccessMounts.SECRET_MODE)
              .endSecret()
              .build());
    }
    if (caBundleSecret(source) != null) {
      volumes.add(
          new VolumeBuilder()
              .withName(CA_VOLUME)
              .withNewSecret()
              .withSecretName(caBundleSecret(source))
              .withDefaultMode(AccessMounts.SECRET_MODE)
              .addNewItem()
              .withKey(PodLayout.CA_BUNDLE_FILE)
              .withPath(PodLayout.CA_BUNDLE_FILE)
              .endItem()
              .endSecret()
              .build());
    }
    return volumes;
  }

  static List<VolumeMount> mounts(RuntimeTemplate.Source source) {
    List<VolumeMount> mounts = new ArrayList<>();
    if (source.credentialsSecret() != null) {
      mounts.add(AccessMounts.mount(CREDENTIALS_VOLUME, PodLayout.SOURCE_CREDENTIALS_DIR));
    }
    if (caBundleSecret(source) != null) {
      mounts.add(AccessMounts.mount(CA_VOLUME, PodLayout.SOURCE_CA_DIR));
    }
    return mounts;
  }

  static List<EnvVar> env(RuntimeTemplate.Source source) {
    List<EnvVar> env = new ArrayList<>();
    if (source.credentialsSecret() != null) {
      add(env, SourceFlags.ENV_SOURCE_CREDENTIALS, PodLayout.SOURCE_CREDENTIALS_DIR);
    }
    RuntimeTemplate.S3Store s3 = source.s3();
    if (s3 != null) {
      add(env, SourceFlags.ENV_AWS_ENDPOINT_URL_S3, s3.endpoint());
      add(env, SourceFlags.ENV_AWS_REGION, s3.region());
      if (Boolean.TRUE.equals(s3.pathStyle())) {
        add(env, SourceFlags.ENV_S3_PATH_STYLE, "true");
      }
      if (s3.caBundleSecret() != null) {
        add(
            env,
            SourceFlags.ENV_AWS_CA_BUNDLE,
            PodLayout.SOURCE_CA_DIR + "/" + PodLayout.CA_BUNDLE_FILE);
      }
    }
    add(env, SourceFlags.ENV_HF_ENDPOINT, source.hubEndpoint());
    return env;
  }

  private static String caBundleSecret(RuntimeTemplate.Source source) {
    return source.s3() == null ? null : source.s3().caBundleSecret();
  }

  private static void add(List<EnvVar> env, String name, String value) {
    if (value != null) {
      env.add(new EnvVar(name, value, null));
    }
  }
}
