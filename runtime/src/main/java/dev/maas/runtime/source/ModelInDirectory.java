package dev.maas.runtime.source;

import dev.maas.runtime.model.ArtifactException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The model file in a directory: how an oci:// artifact arrives, as an image volume holding one
 * file (at its root, as {@code oras push} lays out an artifact, or under {@code models/}, as
 * KServe's modelcars do). More than one candidate is an error rather than a guess.
 */
final class ModelInDirectory {
  private ModelInDirectory() {}

  static Path find(SourceUri.Local dir) throws IOException {
    List<Path> candidates;
    try (Stream<Path> root = list(dir.path());
        Stream<Path> models = list(dir.path().resolve("models"))) {
      candidates = Stream.concat(root, models).filter(ModelInDirectory::isModelFile).toList();
    }
    if (candidates.size() != 1) {
      throw new ArtifactException(
          dir.written()
              + " is a directory with "
              + (candidates.isEmpty() ? "no model file" : candidates.size() + " model files")
              + " at its root or under models/; it must hold exactly one (.pt or a package)");
    }
    return candidates.get(0);
  }

  private static Stream<Path> list(Path dir) throws IOException {
    return Files.isDirectory(dir) ? Files.list(dir) : Stream.empty();
  }

  private static boolean isModelFile(Path path) {
    String name = path.getFileName().toString();
    return Files.isRegularFile(path) && !name.startsWith(".");
  }
}
