package dev.maas.e2e.kubelet;

import java.util.List;
import java.util.Optional;

/**
 * The images this machine can "pull": any tag of the runtime image runs the runtime jar the way the
 * image's entrypoint would; the tag {@code missing}, and any other image, cannot be pulled.
 */
final class Images {
  static final String RUNTIME_REPOSITORY = "registry.example.com/maas/runtime";

  private Images() {}

  static Optional<List<String>> entrypoint(String image) {
    int colon = image.lastIndexOf(':');
    String repository = colon < 0 ? image : image.substring(0, colon);
    String tag = colon < 0 ? "latest" : image.substring(colon + 1);
    if (!repository.equals(RUNTIME_REPOSITORY) || tag.equals("missing")) {
      return Optional.empty();
    }
    // The runtime image's entrypoint. The heap is bounded here because this machine does not
    // enforce memory limits.
    return Optional.of(
        List.of("java", "-Xmx768m", "-XX:+UseSerialGC", "-jar", Sandbox.RUNTIME_JAR));
  }
}
