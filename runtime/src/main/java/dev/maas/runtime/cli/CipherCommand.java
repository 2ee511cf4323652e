package dev.maas.runtime.cli;

import dev.maas.contract.ExitCodes;
import dev.maas.runtime.crypto.ModelKey;
import dev.maas.runtime.crypto.ModelKeyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** What encrypt and decrypt share: a key, an input, an output written whole or not at all. */
abstract class CipherCommand implements Callable<Integer> {
  @Option(names = "--key", required = true, paramLabel = "FILE", description = "The key (keygen).")
  Path key;

  @Option(names = "--in", required = true, paramLabel = "FILE", description = "What to read.")
  Path in;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "What to write (never over an existing file).")
  Path out;

  abstract String name();

  abstract void transform(ModelKey modelKey, InputStream input, java.io.OutputStream output)
      throws IOException;

  @Override
  public Integer call() {
    try {
      ModelKey modelKey = ModelKey.read(key, "--key");
      try (InputStream input = Files.newInputStream(in)) {
        KeyFiles.writeNew(out, output -> transform(modelKey, input, output));
      }
      return ExitCodes.OK;
    } catch (ModelKeyException e) {
      System.err.println(name() + ": " + e.getMessage());
      return ExitCodes.Keys.BAD_INPUT;
    } catch (FileAlreadyExistsException e) {
      System.err.println(name() + ": --out " + out + " exists; nothing is overwritten");
      return ExitCodes.Keys.OUTPUT_EXISTS;
    } catch (NoSuchFileException e) {
      System.err.println(name() + ": --in " + in + " does not exist");
      return ExitCodes.Keys.BAD_INPUT;
    } catch (IOException e) {
      System.err.println(name() + ": " + e.getMessage());
      return ExitCodes.Keys.BAD_INPUT;
    }
  }
}
