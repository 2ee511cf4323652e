package dev.maas.operator.testing;

import dev.maas.contract.PrepareStatus;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.status.RevisionPhase;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import dev.maas.operator.revision.PrepareOutcome;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.revision.RuntimeTemplate;
import dev.maas.operator.revision.TemplateHasher;
import java.time.Instant;

/** Revision records for tests. */
public final class TestRevisions {
  private TestRevisions() {}

  /** The resolved digits ModelDeployment (one CPU replica), against the test pools. */
  public static ResolvedModelDeployment digits() {
    return resolve(TestModelDeployments.digits());
  }

  public static ResolvedModelDeployment resolve(ModelDeployment md) {
    return ResolvedModelDeployment.resolve(md, TestOperatorConfigs.withPools())
        .resolved()
        .orElseThrow();
  }

  /** The digits template with another image: a different revision. */
  public static RuntimeTemplate withImage(RuntimeTemplate t, String image) {
    return new RuntimeTemplate(
        image,
        t.servedName(),
        t.source(),
        t.inputs(),
        t.compression(),
        t.storageClaim(),
        t.batching(),
        t.resources(),
        t.placement(),
        t.env(),
        t.lifecycle());
  }

  /** A revision of the digits template with the given image, number and phase. */
  public static Revision revision(long number, String image, RevisionPhase phase) {
    RuntimeTemplate template = withImage(digits().template(), image);
    Revision r =
        Revision.first(
                number, TemplateHasher.SHA256.hash(template, 0), template, digits().revisionSpec())
            .withPhase(phase, null);
    return phase == RevisionPhase.Serving || phase == RevisionPhase.Superseded
        ? new Revision(
            r.number(),
            r.hash(),
            r.template(),
            r.spec(),
            phase,
            null,
            null,
            Instant.parse("2026-11-23T10:00:00Z").plusSeconds(number),
            Instant.parse("2026-11-23T10:00:30Z").plusSeconds(number))
        : r;
  }

  /** What a prepare Job that succeeded reports. */
  public static PrepareOutcome preparedPackage(String packagePath, String sha256) {
    return PrepareOutcome.builder(PrepareStatus.OK, "digits-prepare-0123456789")
        .exitCode(0)
        .key("k")
        .packagePath(packagePath)
        .packageSha256(sha256)
        .cached(false)
        .originalBytes(678697L)
        .packageBytes(170179L)
        .ratio(3.988)
        .maxOutputError(0.072)
        .meanOutputError(0.02)
        .top1Agreement(0.996)
        .accuracyBefore(0.978)
        .accuracyAfter(0.978)
        .build();
  }

  /** What a prepare Job whose result missed the thresholds reports (exit 3). */
  public static PrepareOutcome rejected() {
    return PrepareOutcome.builder(PrepareStatus.REJECTED, "digits-prepare-0123456789")
        .exitCode(3)
        .key("k")
        .cached(false)
        .originalBytes(678697L)
        .maxOutputError(0.31)
        .meanOutputError(0.08)
        .top1Agreement(0.91)
        .message("max output error 0.31 is above the threshold 0.05")
        .build();
  }
}
