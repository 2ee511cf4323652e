package dev.maas.operator.cli;

import dev.maas.operator.revision.Artifact;
import dev.maas.operator.revision.CanaryReport;
import dev.maas.operator.revision.Revision;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code kubectl maas history NAME}: every revision a ModelDeployment has kept, oldest first, with
 * its artifact, phase, the compression outcome and the failure reason, and which one serves.
 */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "Show the revisions of a ModelDeployment.")
public final class HistoryCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "The ModelDeployment.")
  String name;

  @Mixin ClusterOptions cluster;

  @Override
  public Integer call() {
    try (KubernetesClient client = cluster.client()) {
      Optional<RevisionHistory> found = cluster.history(client, name);
      if (found.isEmpty()) {
        return 1;
      }
      print(found.get(), System.out);
      return 0;
    }
  }

  static void print(RevisionHistory found, PrintStream out) {
    Optional<Long> desired = found.desiredNumber();
    Optional<Long> serving = found.history().serving().map(Revision::number);
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"REVISION", "HASH", "PHASE", "", "ARTIFACT", "COMPRESSION", "REASON"});
    for (Revision r : found.history().revisions()) {
      List<String> marks = new ArrayList<>();
      if (serving.isPresent() && serving.get() == r.number()) {
        marks.add("serving");
      }
      if (desired.isPresent() && desired.get() == r.number()) {
        marks.add("spec");
      }
      rows.add(
          new String[] {
            Long.toString(r.number()),
            r.hash(),
            r.phase().name(),
            String.join(",", marks),
            r.isPrepared()
                ? Artifact.of(r.template(), r.prepare()).uri()
                : r.template().source().uri(),
            compression(r),
            reason(r)
          });
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length - 1; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(
            i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /**
   * Why it is where it is: a failure's reason (an aborted canary's names the check), or, for a
   * revision promoted by a canary, what it was judged on.
   */
  private static String reason(Revision r) {
    if (r.reason() != null) {
      return r.reason();
    }
    CanaryReport canary = r.canary();
    if (canary == null || !"Promoted".equals(canary.outcome())) {
      return "";
    }
    long passed = canary.checks().stream().filter(c -> c.passed()).count();
    String shadow =
        canary.shadow() == null || canary.shadow().samples() == null
            ? ""
            : "; shadow: "
                + canary.shadow().samples()
                + " samples"
                + (canary.shadow().top1Agreement() == null
                    ? ""
                    : String.format(
                        java.util.Locale.ROOT,
                        ", top-1 agreement %.4f",
                        canary.shadow().top1Agreement()));
    return "canary promoted after step "
        + canary.step()
        + " ("
        + passed
        + " checks passed"
        + shadow
        + ")";
  }

  private static String compression(Revision r) {
    if (r.template().compression() == null) {
      return "-";
    }
    String method = r.template().compression().method().name();
    if (r.prepare() == null) {
      return method;
    }
    if (r.prepare().succeeded() && r.prepare().ratio() != null) {
      return method
          + " "
          + r.prepare().ratio()
          + "x"
          + (r.prepare().maxOutputError() == null
              ? ""
              : String.format(" err %.3f", r.prepare().maxOutputError()));
    }
    return method + " " + r.prepare().status();
  }
}
