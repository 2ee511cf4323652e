package dev.maas.operator.revision;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.maas.contract.PodLayout;
import dev.maas.contract.PrepareReport;
import dev.maas.contract.PrepareStatus;

/**
 * What the prepare Job reported (its termination message), kept with the revision as soon as the
 * Job ends, so nothing depends on the Job or its pod still existing. Its JSON is part of every
 * stored ControllerRevision, so its field names stay as they are.
 *
 * @param status how the prepare ended; {@link PrepareStatus#FAILED} when the Job failed without a
 *     report (deadline, crashes)
 * @param packagePath the package, relative to the storage claim's root
 * @param claimUid the UID of the storage claim the package was written to: a claim with another UID
 *     (deleted and created again, or replaced) no longer holds it. Null in records written before
 *     it was kept, and for a claim the spec names itself.
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
    String message,
    String claimUid,
    String training) {

  /** What compress reported, as the Job {@code job} ended with {@code exitCode}. */
  public static PrepareOutcome reported(PrepareReport report, String job, Integer exitCode) {
    Builder outcome =
        builder(report.status(), job)
            .exitCode(exitCode)
            .key(report.key())
            .packagePath(relativeToClaim(report.packagePath()))
            .packageSha256(report.packageSha256())
            .cached(report.cached())
            .originalBytes(report.originalBytes())
            .packageBytes(report.packageBytes())
            .ratio(report.ratio())
            .message(report.message())
            .training(trainingLine(report.training()));
    PrepareReport.Acceptance acceptance = report.acceptance();
    if (acceptance != null) {
      outcome
          .maxOutputError(acceptance.maxOutputError())
          .meanOutputError(acceptance.meanOutputError())
          .top1Agreement(acceptance.top1Agreement())
          .accuracyBefore(acceptance.accuracyBefore())
          .accuracyAfter(acceptance.accuracyAfter());
    }
    return outcome.build();
  }

  /** Distill's training in one line, for status and kubectl; null for the other methods. */
  static String trainingLine(PrepareReport.Training t) {
    if (t == null) {
      return null;
    }
    StringBuilder line =
        new StringBuilder()
            .append(t.epochs())
            .append(" epochs on ")
            .append(t.trainRows())
            .append(" rows, judged on ")
            .append(t.heldOutRows())
            .append("; parameters ")
            .append(t.teacherParameters())
            .append(" -> ")
            .append(t.studentParameters());
    if (t.speedup() != null) {
      t.speedup()
          .forEach(
              (batch, times) ->
                  line.append("; ")
                      .append(times)
                      .append("x faster at ")
                      .append(batch.replace("batch", "batch ")));
    }
    return line.toString();
  }

  /** The Job failed and left no report of its own. */
  public static PrepareOutcome failed(String job, Integer exitCode, String message) {
    return builder(PrepareStatus.FAILED, job).exitCode(exitCode).message(message).build();
  }

  /**
   * A package compress wrote at {@code packagePath} (relative to the claim) with this digest: what
   * a successful report says, for callers that know no more of it.
   */
  public static PrepareOutcome packaged(String job, String packagePath, String packageSha256) {
    return builder(PrepareStatus.OK, job)
        .exitCode(0)
        .packagePath(packagePath)
        .packageSha256(packageSha256)
        .build();
  }

  public static Builder builder(PrepareStatus status, String job) {
    return new Builder().status(status).job(job);
  }

  /** The package relative to the storage claim, whatever path compress saw it at. */
  static String relativeToClaim(String absolute) {
    if (absolute == null) {
      return null;
    }
    String prefix = PodLayout.MODELS_DIR + "/";
    return absolute.startsWith(prefix) ? absolute.substring(prefix.length()) : null;
  }

  /** This outcome, its package written to the claim with this UID. */
  public PrepareOutcome onClaim(String uid) {
    return new PrepareOutcome(
        status,
        job,
        exitCode,
        key,
        packagePath,
        packageSha256,
        cached,
        originalBytes,
        packageBytes,
        ratio,
        maxOutputError,
        meanOutputError,
        top1Agreement,
        accuracyBefore,
        accuracyAfter,
        message,
        uid,
        training);
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

  /** The outcome's fields by name: most are absent for most outcomes. */
  public static final class Builder {
    private PrepareStatus status;
    private String job;
    private Integer exitCode;
    private String key;
    private String packagePath;
    private String packageSha256;
    private Boolean cached;
    private Long originalBytes;
    private Long packageBytes;
    private Double ratio;
    private Double maxOutputError;
    private Double meanOutputError;
    private Double top1Agreement;
    private Double accuracyBefore;
    private Double accuracyAfter;
    private String message;
    private String training;

    public Builder status(PrepareStatus status) {
      this.status = status;
      return this;
    }

    public Builder job(String job) {
      this.job = job;
      return this;
    }

    public Builder exitCode(Integer exitCode) {
      this.exitCode = exitCode;
      return this;
    }

    public Builder key(String key) {
      this.key = key;
      return this;
    }

    public Builder packagePath(String packagePath) {
      this.packagePath = packagePath;
      return this;
    }

    public Builder packageSha256(String packageSha256) {
      this.packageSha256 = packageSha256;
      return this;
    }

    public Builder cached(Boolean cached) {
      this.cached = cached;
      return this;
    }

    public Builder originalBytes(Long originalBytes) {
      this.originalBytes = originalBytes;
      return this;
    }

    public Builder packageBytes(Long packageBytes) {
      this.packageBytes = packageBytes;
      return this;
    }

    public Builder ratio(Double ratio) {
      this.ratio = ratio;
      return this;
    }

    public Builder maxOutputError(Double maxOutputError) {
      this.maxOutputError = maxOutputError;
      return this;
    }

    public Builder meanOutputError(Double meanOutputError) {
      this.meanOutputError = meanOutputError;
      return this;
    }

    public Builder top1Agreement(Double top1Agreement) {
      this.top1Agreement = top1Agreement;
      return this;
    }

    public Builder accuracyBefore(Double accuracyBefore) {
      this.accuracyBefore = accuracyBefore;
      return this;
    }

    public Builder accuracyAfter(Double accuracyAfter) {
      this.accuracyAfter = accuracyAfter;
      return this;
    }

    public Builder message(String message) {
      this.message = message;
      return this;
    }

    public Builder training(String training) {
      this.training = training;
      return this;
    }

    public PrepareOutcome build() {
      return new PrepareOutcome(
          status,
          job,
          exitCode,
          key,
          packagePath,
          packageSha256,
          cached,
          originalBytes,
          packageBytes,
          ratio,
          maxOutputError,
          meanOutputError,
          top1Agreement,
          accuracyBefore,
          accuracyAfter,
          message,
          null,
          training);
    }
  }
}
