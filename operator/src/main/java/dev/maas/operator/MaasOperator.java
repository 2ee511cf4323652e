package dev.maas.operator;

import dev.maas.operator.cli.RenderCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code maas-operator.jar <command>}. So far: {@code render}, which needs no cluster. Running the
 * reconciler against a cluster is the next step (issue 5) and is not wired here yet.
 */
@Command(
    name = "maas-operator",
    mixinStandardHelpOptions = true,
    version = "maas-operator 0.1.0",
    description = "Kubernetes operator for ModelDeployment resources.",
    subcommands = {RenderCommand.class})
public final class MaasOperator implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new MaasOperator()).execute(args));
  }
}
