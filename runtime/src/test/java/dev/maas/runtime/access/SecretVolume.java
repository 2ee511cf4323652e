package dev.maas.runtime.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A directory laid out as kubelet lays out a Secret volume, and updated as kubelet updates one: the
 * files live in a hidden timestamped directory, {@code ..data} links to it, each key is a link
 * through {@code ..data}, and an update writes a new hidden directory and renames a new {@code
 * ..data} link over the old one (one atomic step), then removes the old directory.
 */
public final class SecretVolume {
  private final Path dir;
  private int version;

  public SecretVolume(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** Writes the Secret's data: every key in {@code data}, and no other. */
  public SecretVolume write(Map<String, String> data) throws IOException {
    Files.createDirectories(dir);
    Path previous =
        Files.isSymbolicLink(dir.resolve("..data")) ? dir.resolve("..data").toRealPath() : null;
    Path next = dir.resolve("..2026_12_02_00_00_00." + (++version));
    Files.createDirectory(next);
    for (Map.Entry<String, String> entry : data.entrySet()) {
      Files.writeString(next.resolve(entry.getKey()), entry.getValue(), StandardCharsets.UTF_8);
    }
    Path link = dir.resolve("..data_tmp");
    Files.createSymbolicLink(link, next.getFileName());
    Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        if (!name.startsWith("..") && !data.containsKey(name)) {
          Files.delete(entry);
        }
      }
    }
    for (String key : data.keySet()) {
      Path visible = dir.resolve(key);
      if (!Files.isSymbolicLink(visible)) {
        Files.createSymbolicLink(visible, Path.of("..data", key));
      }
    }
    if (previous != null) {
      try (Stream<Path> old = Files.walk(previous)) {
        for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return this;
  }
}
