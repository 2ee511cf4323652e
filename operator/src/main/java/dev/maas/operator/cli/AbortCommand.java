package dev.maas.operator.cli;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.canary.RolloutCommand;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code kubectl maas abort NAME}: end a canary now; the candidate's pods go, the serving revision
 * (which never stopped) serves alone, and the candidate is Failed until the spec asks for another.
 */
@Command(
    name = "abort",
    mixinStandardHelpOptions = true,
    description = "Abort a canary: the serving revision keeps all traffic.")
public final class AbortCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "The ModelDeployment.")
  String name;

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
      CanaryCommands.send(client, md.get(), RolloutCommand.Verb.abort);
      System.out.println(name + ": abort asked for; see kubectl maas status " + name);
      return 0;
    }
  }
}
