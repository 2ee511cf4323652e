package dev.maas.runtime.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * How keygen, encrypt and decrypt write: into a temporary file beside the output, owner-only (a
 * key, or a plaintext model), moved into place only when whole, and never over a file that is
 * already there.
 */
final class KeyFiles {
  interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private KeyFiles() {}

  static void writeNew(Path out, Writer writer) throws IOException {
    if (Files.exists(out)) {
      throw new FileAlreadyExistsException(out.toString());
    }
    Path dir = out.toAbsolutePath().getParent();
    Path partial =
        Files.createTempFile(
            dir,
            "." + out.getFileName() + ".",
            ".partial",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (OutputStream stream = Files.newOutputStream(partial)) {
        writer.write(stream);
      }
      Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }
}
