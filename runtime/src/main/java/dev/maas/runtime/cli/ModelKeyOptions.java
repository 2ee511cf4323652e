package dev.maas.runtime.cli;

import dev.maas.contract.ServeFlags;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The key of an encrypted artifact and the memory-backed directory its plaintext lives in: the same
 * two flags for {@code serve} and {@code compress}, which the runtime pods and the prepare Job both
 * get from the same mounted Secret.
 */
final class ModelKeyOptions {
  @Option(
      names = ServeFlags.MODEL_KEY,
      defaultValue = "${env:" + ServeFlags.ENV_MODEL_KEY + ":-}",
      description =
          "The key (keygen) of an encrypted artifact: it is decrypted into --decrypted-dir and the"
              + " plaintext deleted when done (compress writes the package encrypted with the same"
              + " key); --sha256 is of the file as stored (env MAAS_MODEL_KEY).")
  String modelKey;

  @Option(
      names = ServeFlags.DECRYPTED_DIR,
      defaultValue = "${env:" + ServeFlags.ENV_DECRYPTED_DIR + ":-/dev/shm}",
      description =
          "A memory-backed directory (tmpfs) for the plaintext of an encrypted artifact"
              + " (env MAAS_DECRYPTED_DIR).")
  Path decryptedDir;

  Optional<Path> keyFile() {
    return modelKey == null || modelKey.isBlank()
        ? Optional.empty()
        : Optional.of(Path.of(modelKey));
  }
}
