package dev.maas.operator.render;

import dev.maas.contract.PodLayout;
import dev.maas.contract.ServeFlags;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;

/**
 * Where the JVM, DJL and the runtime write in a pod whose root filesystem is read-only: emptyDirs
 * for the cache (downloaded artifacts, libtorch unpacked at first start) and /tmp, and the
 * environment that points them there. Runtime pods and prepare Jobs alike.
 */
final class ScratchSpace {
  private static final String CACHE = "cache";
  private static final String TMP = "tmp";

  private ScratchSpace() {}

  static List<Volume> volumes() {
    return List.of(
        new VolumeBuilder().withName(CACHE).withNewEmptyDir().endEmptyDir().build(),
        new VolumeBuilder().withName(TMP).withNewEmptyDir().endEmptyDir().build());
  }

  static List<VolumeMount> mounts() {
    return List.of(
        new VolumeMountBuilder().withName(CACHE).withMountPath(PodLayout.CACHE_DIR).build(),
        new VolumeMountBuilder().withName(TMP).withMountPath("/tmp").build());
  }

  static List<EnvVar> env() {
    return List.of(
        new EnvVar(ServeFlags.ENV_CACHE_DIR, PodLayout.CACHE_DIR, null),
        // libtorch is unpacked here at first start.
        new EnvVar("DJL_CACHE_DIR", PodLayout.CACHE_DIR + "/djl", null),
        new EnvVar("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=/tmp", null));
  }
}
