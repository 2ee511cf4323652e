package dev.maas.operator.cli;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.status.CanaryCheck;
import dev.maas.operator.api.status.CanaryPhase;
import dev.maas.operator.api.status.RolloutStatus;
import dev.maas.operator.api.status.ShadowStatus;
import dev.maas.operator.canary.RolloutCommand;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** What status, promote and abort share: finding the ModelDeployment and its canary. */
final class CanaryCommands {
  static final int EXIT_NOT_FOUND = 1;
  static final int EXIT_NO_CANARY = 2;

  /** The field manager the plugin writes its one annotation with. */
  static final String FIELD_MANAGER = "kubectl-maas";

  private CanaryCommands() {}

  static Optional<ModelDeployment> find(KubernetesClient client, String namespace, String name) {
    ModelDeployment md =
        client.resources(ModelDeployment.class).inNamespace(namespace).withName(name).get();
    if (md == null) {
      System.err.println(
          "kubectl-maas: ModelDeployment " + name + " not found in namespace " + namespace);
    }
    return Optional.ofNullable(md);
  }

  static Optional<RolloutStatus> inProgress(ModelDeployment md) {
    return Optional.ofNullable(md.getStatus())
        .map(s -> s.rollout())
        .filter(
            r ->
                r.phase() == CanaryPhase.Shadow
                    || r.phase() == CanaryPhase.Step
                    || r.phase() == CanaryPhase.Promoting);
  }

  /**
   * Asks the operator to act: the annotation carries the verb and a unique id, so the same verb
   * given twice is acted on twice. Metadata, never the spec.
   */
  static void send(KubernetesClient client, ModelDeployment md, RolloutCommand.Verb verb) {
    String value = RolloutCommand.value(verb, Instant.now().toString());
    String patch =
        "{\"metadata\":{\"annotations\":{\""
            + RolloutCommand.ANNOTATION
            + "\":\""
            + value
            + "\"}}}";
    client
        .resources(ModelDeployment.class)
        .inNamespace(md.getMetadata().getNamespace())
        .withName(md.getMetadata().getName())
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE)
                .withFieldManager(FIELD_MANAGER)
                .build(),
            patch);
  }

  /** The rollout as status tells it, for a person. */
  static void print(ModelDeployment md, RolloutStatus r, PrintStream out) {
    out.printf(
        "%s: canary of revision %d (revision %d serves)%n",
        md.getMetadata().getName(), r.candidateRevision(), r.stableRevision());
    String where =
        r.phase() == CanaryPhase.Shadow
            ? "shadow (step 0 of " + r.steps() + ")"
            : r.phase() == CanaryPhase.Step
                ? "step " + r.step() + " of " + r.steps()
                : r.phase().name();
    out.printf("  phase:     %s%n", where);
    if (r.phase() == CanaryPhase.Step || r.phase() == CanaryPhase.Promoting) {
      out.printf("  weight:    %d%% asked, %d%% of ready pods now%n", r.weight(), r.liveWeight());
    }
    out.printf("  since:     %s (step began %s)%n", r.startedAt(), r.stepStartedAt());
    out.printf("  failed:    %d check(s)%n", r.failedChecks() == null ? 0 : r.failedChecks());
    ShadowStatus s = r.shadow();
    if (s != null && s.samples() != null) {
      out.printf(
          "  shadow:    %d samples, top-1 agreement %s, max error %s, mean error %s,"
              + " candidate errors %d, lost %d%n",
          s.samples(),
          s.top1Agreement() == null ? "-" : String.format(Locale.ROOT, "%.4f", s.top1Agreement()),
          s.maxOutputError() == null ? "-" : String.format(Locale.ROOT, "%.4g", s.maxOutputError()),
          s.meanOutputError() == null
              ? "-"
              : String.format(Locale.ROOT, "%.4g", s.meanOutputError()),
          s.candidateErrors() == null ? 0 : s.candidateErrors(),
          s.lost() == null ? 0 : s.lost());
    }
    if (r.checks() != null && !r.checks().isEmpty()) {
      out.println("  checks:");
      out.printf(
          "    %-5s %-17s %-12s %-10s %-13s %s%n",
          "STEP", "CHECK", "VALUE", "LIMIT", "VERDICT", "ON");
      for (CanaryCheck c : r.checks()) {
        out.printf(
            "    %-5s %-17s %-12s %-10s %-13s %s%n",
            c.step() == null ? "-" : c.step().toString(),
            c.name(),
            c.value() == null ? "-" : String.format(Locale.ROOT, "%.4g", c.value()),
            c.threshold() == null ? "-" : String.format(Locale.ROOT, "%.4g", c.threshold()),
            c.verdict(),
            c.detail() == null ? "" : c.detail());
      }
    }
    out.printf("  message:   %s%n", r.message());
  }
}
