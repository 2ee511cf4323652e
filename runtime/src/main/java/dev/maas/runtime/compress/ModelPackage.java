package dev.maas.runtime.compress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The package: a zip of {@code manifest.json}, {@code model.pt} (the TorchScript module with the
 * compressed weights zeroed, which deflate to almost nothing) and {@code weights.safetensors}.
 */
public final class ModelPackage {
  static final String MANIFEST = "manifest.json";
  static final String MODULE = "model.pt";
  static final String WEIGHTS = "weights.safetensors";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelPackage() {}

  /** A package read back: its manifest, the extracted module and the stored weights. */
  public record Opened(PackageManifest manifest, Path module, Map<String, StoredTensor> weights) {}

  /**
   * Writes the package to a temporary name beside {@code target} and renames it into place only
   * once it is complete, so that a crash never leaves a half package under the real name.
   */
  public static void write(Path target, PackageManifest manifest, Path module, byte[] weights)
      throws IOException {
    Path partial = Files.createTempFile(target.getParent(), ".package-", ".partial");
    try {
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(partial))) {
        zip.setLevel(Deflater.BEST_COMPRESSION);
        zip.putNextEntry(entry(MANIFEST));
        zip.write(JSON.writeValueAsBytes(manifest));
        zip.closeEntry();
        zip.putNextEntry(entry(MODULE));
        Files.copy(module, zip);
        zip.closeEntry();
        zip.putNextEntry(entry(WEIGHTS));
        zip.write(weights);
        zip.closeEntry();
      }
      Files.move(
          partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** Fixed timestamps: the same key always yields the same bytes. */
  private static ZipEntry entry(String name) {
    ZipEntry entry = new ZipEntry(name);
    entry.setTime(315532800000L); // 1980-01-01, the earliest time a zip can hold
    return entry;
  }

  /** A TorchScript file is a zip too; a package is told apart by its top-level manifest. */
  public static boolean isPackage(Path file) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      return zip.getEntry(MANIFEST) != null && zip.getEntry(MODULE) != null;
    } catch (IOException notAZip) {
      return false;
    }
  }

  public static PackageManifest readManifest(Path file) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile());
        InputStream in = zip.getInputStream(zip.getEntry(MANIFEST))) {
      return JSON.readValue(in, PackageManifest.class);
    }
  }

  /** Reads the manifest and weights and extracts the module into {@code workDir}. */
  public static Opened open(Path file, Path workDir) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      PackageManifest manifest;
      try (InputStream in = zip.getInputStream(zip.getEntry(MANIFEST))) {
        manifest = JSON.readValue(in, PackageManifest.class);
      }
      if (manifest.formatVersion() != PackageManifest.FORMAT_VERSION) {
        throw new IOException(
            "package format "
                + manifest.formatVersion()
                + " is not supported (this runtime reads "
                + PackageManifest.FORMAT_VERSION
                + ")");
      }
      Files.createDirectories(workDir);
      Path module = workDir.resolve(manifest.key() + ".pt");
      try (InputStream in = zip.getInputStream(zip.getEntry(MODULE));
          OutputStream out = Files.newOutputStream(module)) {
        in.transferTo(out);
      }
      byte[] weights;
      try (InputStream in = zip.getInputStream(zip.getEntry(WEIGHTS))) {
        weights = in.readAllBytes();
      }
      return new Opened(manifest, module, Safetensors.read(weights));
    }
  }
}
