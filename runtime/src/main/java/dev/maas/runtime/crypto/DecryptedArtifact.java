package dev.maas.runtime.crypto;

import dev.maas.contract.ServeFlags;
import dev.maas.runtime.model.ArtifactException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An encrypted artifact, decrypted for as long as it takes to load: into a directory of its own,
 * owner-only, under a memory-backed directory (tmpfs: {@code /dev/shm}, or the memory emptyDir the
 * operator mounts), never onto a persistent volume; deleted, with whatever a package extracted
 * beside it, as soon as the model is loaded (libtorch holds it in memory from then on). A file that
 * does not decrypt whole (a wrong key, a flipped bit, a cut-off download) is never loaded.
 */
public final class DecryptedArtifact implements AutoCloseable {
  private final Path dir;
  private final Path file;

  private DecryptedArtifact(Path dir, Path file) {
    this.dir = dir;
    this.file = file;
  }

  /**
   * @throws ArtifactException naming the key, the file or the directory: a wrong key, a corrupt or
   *     truncated file, no memory directory
   */
  public static DecryptedArtifact decrypt(Path keyFile, Path ciphertext, Path memoryDir) {
    return decrypt(readKey(keyFile), ciphertext, memoryDir);
  }

  /** The key of {@link ServeFlags#MODEL_KEY}, or an {@link ArtifactException} naming it. */
  public static ModelKey readKey(Path keyFile) {
    try {
      return ModelKey.read(keyFile, ServeFlags.MODEL_KEY);
    } catch (ModelKeyException e) {
      throw new ArtifactException(e.getMessage(), e);
    }
  }

  public static DecryptedArtifact decrypt(ModelKey key, Path ciphertext, Path memoryDir) {
    Path dir = privateDir(memoryDir);
    Path file = dir.resolve(ciphertext.getFileName().toString());
    DecryptedArtifact decrypted = new DecryptedArtifact(dir, file);
    try (InputStream in = Files.newInputStream(ciphertext);
        OutputStream out = Files.newOutputStream(file)) {
      key.decrypt(in, out, ciphertext.toString());
    } catch (ModelKeyException e) {
      decrypted.close();
      throw new ArtifactException(e.getMessage(), e);
    } catch (IOException e) {
      decrypted.close();
      throw new ArtifactException("cannot decrypt " + ciphertext + ": " + e, e);
    }
    return decrypted;
  }

  /**
   * No artifact yet, only its owner-only directory under {@code memoryDir}, deleted on close: where
   * plaintext is made that is to be encrypted (a package, before it goes to a volume).
   */
  public static DecryptedArtifact empty(Path memoryDir) {
    Path dir = privateDir(memoryDir);
    return new DecryptedArtifact(dir, dir);
  }

  private static Path privateDir(Path memoryDir) {
    if (!Files.isDirectory(memoryDir)) {
      throw new ArtifactException(
          ServeFlags.DECRYPTED_DIR
              + " "
              + memoryDir
              + " is not a directory: give a memory-backed one (tmpfs) to decrypt the model into",
          null);
    }
    try {
      return Files.createTempDirectory(
          memoryDir,
          "maas-model-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new ArtifactException(
          "cannot decrypt into " + ServeFlags.DECRYPTED_DIR + " " + memoryDir + ": " + e, e);
    }
  }

  /** The plaintext artifact. */
  public Path file() {
    return file;
  }

  /** Where a package's module is extracted: beside the plaintext, and gone with it. */
  public Path workDir() {
    return dir.resolve("work");
  }

  /** A file beside the plaintext, gone with it. */
  public Path beside(String name) {
    return dir.resolve(name);
  }

  @Override
  public void close() {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // Best effort: the directory is in memory and goes with the pod.
    }
  }
}
