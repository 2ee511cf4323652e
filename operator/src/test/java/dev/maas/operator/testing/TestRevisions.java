package dev.maas.operator.testing;

import dev.maas.operator.revision.PrepareOutcome;

/** Revision records for tests. */
public final class TestRevisions {
  private TestRevisions() {}

  /** What a prepare Job that succeeded reports. */
  public static PrepareOutcome preparedPackage(String packagePath, String sha256) {
    return new PrepareOutcome(
        PrepareOutcome.OK,
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
        "rejected",
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
