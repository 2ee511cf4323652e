package dev.maas.operator.cli;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.status.RolloutStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code kubectl maas status NAME}: the canary as it stands (or the last one): step, weight asked
 * and measured, the shadow comparison, every recent check with its value, limit and verdict.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show a ModelDeployment's canary: step, weight, shadow comparison, checks.")
public final class StatusCommand implements Callable<Integer> {
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
      Optional<RolloutStatus> rollout =
          Optional.ofNullable(md.get().getStatus()).map(s -> s.rollout());
      if (rollout.isEmpty()) {
        Long current = md.get().getStatus() == null ? null : md.get().getStatus().currentRevision();
        System.out.println(
            name
                + ": no canary has run"
                + (current == null ? "" : "; revision " + current + " serves"));
        return 0;
      }
      CanaryCommands.print(md.get(), rollout.get(), System.out);
      return 0;
    }
  }
}
