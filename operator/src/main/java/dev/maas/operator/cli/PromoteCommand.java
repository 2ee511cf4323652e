package dev.maas.operator.cli;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.canary.RolloutCommand;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubectl maas promote NAME [--full]}: end the current step (the shadow step included) now,
 * or with {@code --full} every remaining one. Tells the operator through the {@code
 * maas.dev/rollout-command} annotation; the spec is not touched.
 */
@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    description = "End a canary's current step now, or with --full promote the candidate.")
public final class PromoteCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "The ModelDeployment.")
  String name;

  @Option(names = "--full", description = "Skip every remaining step: promote now.")
  boolean full;

  @Mixin ClusterOptions cluster;

  @Override
  public Integer call() {
    try (KubernetesClient client = cluster.client()) {
      Optional<ModelDeployment> md = CanaryCommands.find(client, cluster.namespace(client), name);
      if (md.isEmpty()) {
        return CanaryCommands.EXIT_NOT_FOUND;
      }
      if (CanaryCommands.inProgress(md.get()).isEmpty()) {
        System.err.println("kubectl-maas: " + name + " has no canary in progress");
        return CanaryCommands.EXIT_NO_CANARY;
      }
      CanaryCommands.send(
          client, md.get(), full ? RolloutCommand.Verb.promoteFull : RolloutCommand.Verb.promote);
      System.out.println(
          name
              + ": "
              + (full ? "promotion" : "the end of the current step")
              + " asked for; see kubectl maas status "
              + name);
      return 0;
    }
  }
}
