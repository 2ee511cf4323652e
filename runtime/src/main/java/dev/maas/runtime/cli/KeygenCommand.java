package dev.maas.runtime.cli;

import dev.maas.contract.Commands;
import dev.maas.contract.ExitCodes;
import dev.maas.runtime.crypto.ModelKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keygen --out FILE}: a new key for encrypted model artifacts, readable by its owner only.
 */
@Command(
    name = Commands.KEYGEN,
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    description =
        "Make a key for encrypted model artifacts (a Tink streaming AEAD keyset, JSON); store it"
            + " in a Secret: kubectl create secret generic NAME --from-file=key=FILE")
public final class KeygenCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write it.")
  Path out;

  @Override
  public Integer call() {
    try {
      KeyFiles.writeNew(
          out, stream -> stream.write(ModelKey.generate().getBytes(StandardCharsets.UTF_8)));
      return ExitCodes.OK;
    } catch (FileAlreadyExistsException e) {
      System.err.println("keygen: --out " + out + " exists; a key is never overwritten");
      return ExitCodes.Keys.OUTPUT_EXISTS;
    } catch (IOException e) {
      System.err.println("keygen: cannot write --out " + out + ": " + e);
      return ExitCodes.Keys.BAD_INPUT;
    }
  }
}
