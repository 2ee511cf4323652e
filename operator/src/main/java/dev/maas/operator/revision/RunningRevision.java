package dev.maas.operator.revision;

import dev.maas.operator.api.status.RevisionPhase;
import java.time.Instant;
import java.util.Optional;

/**
 * What the runtime Deployment's pod template says of the revision it runs: its number and hash
 * labels, and the artifact its runtime is handed. Enough to rebuild a revision's record that was
 * deleted (history cleanup, a backup restored without ControllerRevisions) with its own number and
 * package, so that nothing about the pods changes and none restarts.
 *
 * @param artifactUri the model the runtime loads (a path inside the pod for a prepared package)
 * @param artifactSha256 the digest the runtime checks
 * @param rolledOut every pod of the Deployment is at this template and available
 */
public record RunningRevision(
    long number, String hash, String artifactUri, String artifactSha256, boolean rolledOut) {

  /**
   * The record as it must have been, for this template; empty when the Deployment does not show
   * enough (no prepared package where the template needs one) to run it unchanged.
   */
  public Optional<Revision> rebuild(RuntimeTemplate template, RevisionSpec spec, Instant now) {
    PrepareOutcome prepared = null;
    if (template.needsPreparation()) {
      String packagePath = PrepareOutcome.relativeToClaim(artifactUri);
      if (packagePath == null || artifactSha256 == null) {
        return Optional.empty();
      }
      prepared = PrepareOutcome.packaged(null, packagePath, artifactSha256);
    }
    Revision revision =
        new Revision(
            number, hash, template, spec, RevisionPhase.RollingOut, null, prepared, now, null);
    return Optional.of(rolledOut ? revision.serving(now) : revision);
  }
}
