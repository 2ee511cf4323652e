package dev.maas.e2e.kubelet;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes the files of a ConfigMap or Secret volume as kubelet's AtomicWriter does, so that a reader
 * sees either every old file or every new one, never a mix: the files go into a fresh hidden
 * directory ({@code ..2026_12_01_20_49_28.123456789}), a symlink {@code ..data_tmp} to it is
 * renamed over {@code ..data} (one atomic rename), and each visible name is a symlink through
 * {@code ..data} ({@code key -> ..data/key}), so it follows the swap. Programs that watch such a
 * file (the runtime's live settings) rely on exactly this layout, so it is what the process kubelet
 * must give them.
 */
final class AtomicWriter {
  static final String DATA = "..data";
  private static final String DATA_TMP = "..data_tmp";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss.");

  /** One file of the payload: its bytes and its permission bits (e.g. 0644). */
  record FileProjection(byte[] data, int mode) {
    @Override
    public boolean equals(Object o) {
      return o instanceof FileProjection other
          && mode == other.mode
          && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(data) + mode;
    }
  }

  private final Path target;
  private final Integer fsGroup;

  AtomicWriter(Path target) {
    this(target, null);
  }

  /**
   * @param fsGroup the pod's fsGroup: as kubelet's volume ownership does for these read-only
   *     volumes, the files and directories get that group and group read (files: mode | 0440,
   *     directories: setgid and group read and search), so a non-root container reads a Secret of
   *     mode 0400; null: root's files as they are
   */
  AtomicWriter(Path target, Integer fsGroup) {
    this.target = target;
    this.fsGroup = fsGroup;
  }

  /** The permission bits a file of mode {@code mode} ends up with. */
  int effectiveMode(int mode) {
    return fsGroup == null ? mode : mode | 0440;
  }

  /**
   * Makes the volume hold exactly {@code payload} (relative path to file); nothing is written when
   * it already does.
   *
   * @return whether anything changed
   */
  boolean write(Map<String, FileProjection> payload) throws IOException {
    for (String path : payload.keySet()) {
      validate(path);
    }
    Files.createDirectories(target);
    Optional<Path> old = current();
    if (old.isPresent() && holds(old.get(), payload)) {
      return false;
    }
    Path fresh = Files.createDirectory(target.resolve(stampName()));
    for (Map.Entry<String, FileProjection> file : payload.entrySet()) {
      Path path = fresh.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.write(path, file.getValue().data());
      Files.setPosixFilePermissions(path, permissions(effectiveMode(file.getValue().mode())));
      ownByGroup(path);
    }
    setPermissionsOfDirectories(fresh);
    Path tmp = target.resolve(DATA_TMP);
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, fresh.getFileName());
    Files.move(tmp, target.resolve(DATA), StandardCopyOption.ATOMIC_MOVE);
    Set<String> visible = new HashSet<>();
    for (String path : payload.keySet()) {
      visible.add(Path.of(path).getName(0).toString());
    }
    for (String name : visible) {
      Path link = target.resolve(name);
      if (!Files.isSymbolicLink(link)) {
        try {
          Files.createSymbolicLink(link, Path.of(DATA).resolve(name));
        } catch (FileAlreadyExistsException e) {
          // a link made by an earlier write: it already points through ..data
        }
      }
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.startsWith("..") && !visible.contains(name)) {
          Files.delete(entry);
        }
      }
    }
    if (old.isPresent()) {
      deleteTree(old.get());
    }
    return true;
  }

  /** The directory {@code ..data} points at, when there is one. */
  private Optional<Path> current() throws IOException {
    Path data = target.resolve(DATA);
    if (!Files.isSymbolicLink(data)) {
      return Optional.empty();
    }
    return Optional.of(target.resolve(Files.readSymbolicLink(data)));
  }

  private boolean holds(Path dir, Map<String, FileProjection> payload) throws IOException {
    Set<String> found = new HashSet<>();
    try (var files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        found.add(dir.relativize(file).toString());
      }
    }
    if (!found.equals(payload.keySet())) {
      return false;
    }
    for (Map.Entry<String, FileProjection> file : payload.entrySet()) {
      Path path = dir.resolve(file.getKey());
      if (!Arrays.equals(Files.readAllBytes(path), file.getValue().data())
          || !Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)
              .equals(permissions(effectiveMode(file.getValue().mode())))) {
        return false;
      }
    }
    return true;
  }

  /** As kubelet: relative, no {@code ..} element, and no element that starts with {@code ..}. */
  static void validate(String path) {
    if (path.isEmpty() || path.startsWith("/")) {
      throw new IllegalArgumentException("path " + path + " must be relative and not empty");
    }
    for (Path element : Path.of(path)) {
      if (element.toString().startsWith("..")) {
        throw new IllegalArgumentException("path " + path + " must not contain '..'");
      }
    }
  }

  private String stampName() {
    return ".."
        + LocalDateTime.now().format(STAMP)
        + String.format("%09d", ThreadLocalRandom.current().nextInt(1_000_000_000));
  }

  private void setPermissionsOfDirectories(Path root) throws IOException {
    try (var dirs = Files.walk(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        Files.setPosixFilePermissions(dir, permissions(0755));
        ownByGroup(dir);
      }
    }
    if (fsGroup != null) {
      ownByGroup(target);
    }
  }

  private void ownByGroup(Path path) throws IOException {
    if (fsGroup != null) {
      Files.setAttribute(path, "unix:gid", fsGroup, LinkOption.NOFOLLOW_LINKS);
    }
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
      PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(bits[i]);
      }
    }
    return set;
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
