package dev.maas.operator;

import dev.maas.operator.cli.AbortCommand;
import dev.maas.operator.cli.HistoryCommand;
import dev.maas.operator.cli.PromoteCommand;
import dev.maas.operator.cli.RenderCommand;
import dev.maas.operator.cli.RollbackCommand;
import dev.maas.operator.cli.RunCommand;
import dev.maas.operator.cli.StatusCommand;
import dev.maas.operator.cli.TokenCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code maas-operator.jar [run] | render | history | rollback | status | promote | abort}: without
 * a command, the operator runs. All but run and render are also the kubectl plugin ({@code kubectl
 * maas ...}).
 */
@Command(
    name = "maas-operator",
    mixinStandardHelpOptions = true,
    version = "maas-operator 0.1.0",
    description = "Kubernetes operator for ModelDeployment resources.",
    subcommands = {
      RunCommand.class,
      RenderCommand.class,
      HistoryCommand.class,
      RollbackCommand.class,
      StatusCommand.class,
      PromoteCommand.class,
      AbortCommand.class,
      TokenCommand.class
    })
public final class MaasOperator implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    String[] command = args.length == 0 ? new String[] {"run"} : args;
    System.exit(new CommandLine(new MaasOperator()).execute(command));
  }
}
