package dev.maas.runtime;

import dev.maas.runtime.cli.CompressCommand;
import dev.maas.runtime.cli.DecryptCommand;
import dev.maas.runtime.cli.EncryptCommand;
import dev.maas.runtime.cli.KeygenCommand;
import dev.maas.runtime.cli.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code maas-runtime.jar serve | compress}. */
@Command(
    name = "maas-runtime",
    mixinStandardHelpOptions = true,
    version = "maas-runtime 0.1.0",
    description = "Model server and compressor for maas-operator.",
    subcommands = {
      ServeCommand.class,
      CompressCommand.class,
      KeygenCommand.class,
      EncryptCommand.class,
      DecryptCommand.class
    })
public final class RuntimeMain implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new RuntimeMain()).execute(args));
  }
}
