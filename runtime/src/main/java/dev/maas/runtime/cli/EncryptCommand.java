package dev.maas.runtime.cli;

import dev.maas.contract.Commands;
import dev.maas.contract.ExitCodes;
import dev.maas.runtime.crypto.ModelKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import picocli.CommandLine.Command;

/**
 * {@code encrypt --key FILE --in PLAIN --out ENCRYPTED}: how a user prepares an encrypted artifact;
 * its sha256 (of the file as stored) is what the spec names.
 */
@Command(
    name = Commands.ENCRYPT,
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    description = "Encrypt a model artifact with a key made by keygen.")
public final class EncryptCommand extends CipherCommand {
  @Override
  String name() {
    return Commands.ENCRYPT;
  }

  @Override
  void transform(ModelKey modelKey, InputStream input, OutputStream output) throws IOException {
    modelKey.encrypt(input, output);
  }
}
