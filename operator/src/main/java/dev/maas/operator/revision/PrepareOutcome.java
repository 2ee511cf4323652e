package dev.maas.operator.revision;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.maas.contract.PodLayout;
import dev.maas.contract.PrepareReport;
import dev.maas.contract.PrepareStatus;
import java.util.Optional;

/**
 * What the prepare Job reported (its termination message), kept with the revision as soon as the
 * Job ends, so nothing depends on the Job or its pod still existing. Its JSON is part of every
 * stored ControllerRevision, so its field names stay as they are.
 *
 * @param status how the prepare ended; {@link PrepareStatus#FAILED} when the Job failed without a
 *     report (deadline, crashes)
 * @param packagePath the package, relative to the storage claim's root
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PrepareOutcome(
    PrepareStatus status,
    String job,
    Integer exitCode,
    String key,
    String packagePath,
    String packageSha256,
    Boolean cached,
    Long originalBytes,
    Long packageBytes,
    Double ratio,
    Double maxOutputError,
    Double meanOutputError,
    Double top1Agreement,
    Double accuracyBefore,
    Double accuracyAfter,
    String message) {

  /** What compress reported, as the Job {@code job} ended with {@code exitCode}. */
  public static PrepareOutcome reported(PrepareReport report, String job, Integer exitCode) {
    Optional<PrepareReport.Acceptance> acceptance = Optional.ofNullable(report.acceptance());
    return new PrepareOutcome(
        report.status(),
        job,
        exitCode,
        report.key(),
        relativeToClaim(report.packagePath()),
        report.packageSha256(),
        report.cached(),
        report.originalBytes(),
        report.packageBytes(),
        report.ratio(),
        acceptance.map(PrepareReport.Acceptance::maxOutputError).orElse(null),
        acceptance.map(PrepareReport.Acceptance::meanOutputError).orElse(null),
        acceptance.map(PrepareReport.Acceptance::top1Agreement).orElse(null),
        acceptance.map(PrepareReport.Acceptance::accuracyBefore).orElse(null),
        acceptance.map(PrepareReport.Acceptance::accuracyAfter).orElse(null),
        report.message());
  }

  /** The Job failed and left no report of its own. */
  public static PrepareOutcome failed(String job, Integer exitCode, String message) {
    return new PrepareOutcome(
        PrepareStatus.FAILED,
        job,
        exitCode,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        message);
  }

  /**
   * A package compress wrote at {@code packagePath} (relative to the claim) with this digest: what
   * a successful report says, for callers that know no more of it.
   */
  public static PrepareOutcome packaged(String job, String packagePath, String packageSha256) {
    return new PrepareOutcome(
        PrepareStatus.OK,
        job,
        0,
        null,
        packagePath,
        packageSha256,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** The package relative to the storage claim, whatever path compress saw it at. */
  static String relativeToClaim(String absolute) {
    if (absolute == null) {
      return null;
    }
    String prefix = PodLayout.MODELS_DIR + "/";
    return absolute.startsWith(prefix) ? absolute.substring(prefix.length()) : null;
  }

  @JsonIgnore
  public boolean succeeded() {
    return status == PrepareStatus.OK && packagePath != null;
  }

  /** One line for conditions and events: what failed and by how much. */
  @JsonIgnore
  public String describe() {
    StringBuilder text = new StringBuilder("compression ").append(status);
    if (exitCode != null) {
      text.append(" (exit ").append(exitCode).append(')');
    }
    if (message != null) {
      text.append(": ").append(message);
    }
    if (maxOutputError != null && top1Agreement != null) {
      text.append(
          String.format(
              " [max output error %.4f, top-1 agreement %.4f]", maxOutputError, top1Agreement));
    }
    return text.toString();
  }
}
