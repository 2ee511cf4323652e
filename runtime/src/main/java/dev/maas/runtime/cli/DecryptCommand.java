package dev.maas.runtime.cli;

import dev.maas.contract.Commands;
import dev.maas.contract.ExitCodes;
import dev.maas.runtime.crypto.ModelKey;
import java.io.InputStream;
import java.io.OutputStream;
import picocli.CommandLine.Command;

/** {@code decrypt --key FILE --in ENCRYPTED --out PLAIN}: the output appears only when whole. */
@Command(
    name = Commands.DECRYPT,
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    description = "Decrypt a model artifact encrypted with a key made by keygen.")
public final class DecryptCommand extends CipherCommand {
  @Override
  String name() {
    return Commands.DECRYPT;
  }

  @Override
  void transform(ModelKey modelKey, InputStream input, OutputStream output) {
    modelKey.decrypt(input, output, "--in " + in);
  }
}
