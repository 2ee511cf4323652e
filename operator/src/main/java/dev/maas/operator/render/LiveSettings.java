package dev.maas.operator.render;

import dev.maas.contract.PodLayout;
import dev.maas.contract.ShadowSettings;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.Map;
import java.util.Optional;

/**
 * The ConfigMap that carries what serving pods must learn while they run (whom to mirror a sample
 * of requests to), mounted as a directory (never with subPath, which kubelet does not update), so
 * that starting and ending a shadow step changes a file in place and restarts no pod. Present for
 * ModelDeployments whose strategy is Canary; the volume is optional, so a pod starts before it
 * exists.
 */
public final class LiveSettings {
  static final String VOLUME = "live-settings";

  /** The shadow settings file as the runtime sees it. */
  public static final String SHADOW_FILE =
      PodLayout.LIVE_SETTINGS_DIR + "/" + PodLayout.SHADOW_SETTINGS_FILE;

  private LiveSettings() {}

  public static String of(String modelDeployment) {
    return modelDeployment + "-live";
  }

  /** Mirroring as {@code shadow} says; empty: the file is empty, and nothing is mirrored. */
  public static ConfigMap build(ResolvedModelDeployment md, Optional<ShadowSettings> shadow) {
    return new ConfigMapBuilder()
        .withMetadata(Owners.metadata(md.owner(), of(md.name()), Labels.common(md.name())))
        .withData(
            Map.of(PodLayout.SHADOW_SETTINGS_FILE, shadow.map(ShadowSettings::render).orElse("")))
        .build();
  }

  static Volume volume(String configMap) {
    return new VolumeBuilder()
        .withName(VOLUME)
        .withNewConfigMap()
        .withName(configMap)
        .withOptional(true)
        .withDefaultMode(0444)
        .endConfigMap()
        .build();
  }

  static VolumeMount mount() {
    return new VolumeMountBuilder()
        .withName(VOLUME)
        .withMountPath(PodLayout.LIVE_SETTINGS_DIR)
        .withReadOnly(true)
        .build();
  }
}
