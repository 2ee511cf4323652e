package dev.maas.operator.cli;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.revision.RevisionSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubectl maas rollback NAME [--to-revision N]}: writes an earlier revision's spec back
 * (model, compression, storage, runtime, gpu; replicas, autoscaling and rollout settings stay as
 * they are). The user asked for that write: it is the one place a spec is written for them. The
 * operator then finds the revision in its history and reuses its prepared artifact, so no
 * compression Job runs again. Without {@code --to-revision}, the last revision that served.
 */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = "Put an earlier revision's spec back on a ModelDeployment.")
public final class RollbackCommand implements Callable<Integer> {
  static final int EXIT_NOT_FOUND = 1;
  static final int EXIT_NO_TARGET = 2;

  @Parameters(index = "0", paramLabel = "NAME", description = "The ModelDeployment.")
  String name;

  @Option(
      names = "--to-revision",
      paramLabel = "N",
      description = "The revision to go back to (default: the last one that served).")
  Long toRevision;

  @Option(names = "--dry-run", description = "Print what would change; write nothing.")
  boolean dryRun;

  @Mixin ClusterOptions cluster;

  @Override
  public Integer call() {
    try (KubernetesClient client = cluster.client()) {
      Optional<RevisionHistory> found = cluster.history(client, name);
      if (found.isEmpty()) {
        return EXIT_NOT_FOUND;
      }
      Optional<Revision> target = target(found.get());
      if (target.isEmpty()) {
        System.err.println(
            "kubectl-maas: "
                + (toRevision != null
                    ? "revision " + toRevision + " is not in the history of " + name
                    : name + " has no earlier revision that served")
                + "; see kubectl maas history "
                + name);
        return EXIT_NO_TARGET;
      }
      return rollBack(client, found.get().modelDeployment(), target.get());
    }
  }

  /** --to-revision, or the last revision before the desired one that served. */
  private Optional<Revision> target(RevisionHistory current) {
    if (toRevision != null) {
      return current.history().byNumber(toRevision);
    }
    String desiredHash =
        current.desiredNumber().flatMap(current.history()::byNumber).map(Revision::hash).orElse("");
    return current.history().lastGood(desiredHash);
  }

  /** Writes the revision's spec over the user's: nothing else changes the spec, ever. */
  private int rollBack(KubernetesClient client, ModelDeployment md, Revision to) {
    ModelDeploymentSpec before = md.getSpec();
    if (RevisionSpec.of(before).equals(to.spec())) {
      System.out.println(name + ": already at revision " + to.number());
      return 0;
    }
    if (dryRun) {
      System.out.println(
          name
              + ": would set the spec to revision "
              + to.number()
              + " (dry run; nothing written):");
      System.out.print(new KubernetesSerialization().asYaml(to.spec()));
      return 0;
    }
    md.setSpec(to.spec().applyTo(before));
    // An update with the resourceVersion read above: a spec someone changed meanwhile is not
    // overwritten (409), the user runs the command again.
    client.resource(md).update();
    System.out.println(
        name
            + ": spec set to revision "
            + to.number()
            + (to.isPrepared() && to.template().needsPreparation()
                ? "; its prepared package is reused, no compression Job runs"
                : ""));
    System.out.println(
        "If Argo CD, Flux or another GitOps tool manages this ModelDeployment, change its source"
            + " too, or it will put the previous spec back.");
    return 0;
  }
}
