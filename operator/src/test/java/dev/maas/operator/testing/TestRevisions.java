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
    return new PrepareOutcome(
        PrepareStatus.OK,
        "digits-prepare-0123456789",
        0,
        "k",
        packagePath,
        sha256,
        false,
        678697L,
        170179L,
        3.988,
        0.072,
        0.02,
        0.996,
        0.978,
        0.978,
        null);
  }

  /** What a prepare Job whose result missed the thresholds reports (exit 3). */
  public static PrepareOutcome rejected() {
    return new PrepareOutcome(
        PrepareStatus.REJECTED,
        "digits-prepare-0123456789",
        3,
        "k",
        null,
        null,
        false,
        678697L,
        null,
        null,
        0.31,
        0.08,
        0.91,
        null,
        null,
        "max output error 0.31 is above the threshold 0.05");
  }
}
