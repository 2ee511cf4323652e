package dev.maas.operator.revision;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the prepare Job reported (its termination message), kept with the revision as soon as the
 * Job ends, so nothing depends on the Job or its pod still existing.
 *
 * @param status ok, rejected (acceptance thresholds not met), error (bad input), or failed (the Job
 *     failed without a report: deadline, crashes)
 * @param packagePath the package, relative to the storage claim's root
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PrepareOutcome(
    String status,
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
  public static final String OK = "ok";

  @JsonIgnore
  public boolean succeeded() {
    return OK.equals(status) && packagePath != null;
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
