package dev.maas.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code compress} reports, on stdout and in the termination message the operator reads from
 * the prepare Job's pod. Kubernetes keeps at most {@link #MAX_BYTES} of a termination message, so
 * {@link #toJson} shortens the message when it has to; the other fields always fit.
 *
 * @param settings the method with its settings, as the package key was derived from them
 * @param packagePath where compress wrote the package, as compress saw the path
 * @param packageSha256 the package's digest, which the operator hands to serve to verify it
 * @param cached the package was already there under its key: nothing was compressed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PrepareReport(
    PrepareStatus status,
    String method,
    String settings,
    String key,
    String packagePath,
    String packageSha256,
    Boolean cached,
    Long originalBytes,
    Long packageBytes,
    Double ratio,
    Acceptance acceptance,
    Training training,
    Map<String, Long> durationsMillis,
    String message) {

  public static final int MAX_BYTES = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How the compressed model compared with the original on the samples (and on labelled data, when
   * given). Top-1 agreement is null for outputs that are not class scores.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Acceptance(
      int samples,
      double maxOutputError,
      double meanOutputError,
      Double top1Agreement,
      Double accuracyBefore,
      Double accuracyAfter) {}

  /**
   * What Distill's training did and what it bought: the split, the last epoch's loss, the student's
   * top-1 agreement with the teacher on the held-out rows, both networks' parameters, and their
   * forward times on this machine (median of repeated passes) at batch 1 and at the training batch.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Training(
      int epochs,
      int trainRows,
      int heldOutRows,
      double finalLoss,
      double heldOutAgreement,
      long teacherParameters,
      long studentParameters,
      Map<String, Double> teacherMillis,
      Map<String, Double> studentMillis,
      Map<String, Double> speedup) {}

  public static Builder builder(PrepareStatus status) {
    return new Builder(status);
  }

  public static PrepareReport error(String message) {
    return builder(PrepareStatus.ERROR).message(message).build();
  }

  public Builder toBuilder() {
    return new Builder(status)
        .method(method)
        .settings(settings)
        .key(key)
        .packagePath(packagePath)
        .packageSha256(packageSha256)
        .cached(cached)
        .originalBytes(originalBytes)
        .packageBytes(packageBytes)
        .ratio(ratio)
        .acceptance(acceptance)
        .training(training)
        .durationsMillis(durationsMillis)
        .message(message);
  }

  /** The report as one JSON line of at most {@link #MAX_BYTES} bytes. */
  public String toJson() {
    String json = write(this);
    int over = json.getBytes(StandardCharsets.UTF_8).length - MAX_BYTES;
    if (over <= 0 || message == null) {
      return json;
    }
    String shorter =
        message.substring(0, Math.max(0, message.length() - over - 16)) + " [truncated]";
    return toBuilder().message(shorter).build().toJson();
  }

  /** The report a text holds; empty when it is not one (not JSON, no status this version knows). */
  public static Optional<PrepareReport> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.isObject() || !node.hasNonNull("status")) {
        return Optional.empty();
      }
      return Optional.of(JSON.treeToValue(node, PrepareReport.class))
          .filter(r -> r.status() != null);
    } catch (IOException notAReport) {
      return Optional.empty();
    }
  }

  private static String write(PrepareReport report) {
    try {
      return JSON.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The report's fields by name, since most are absent for most outcomes. */
  public static final class Builder {
    private final PrepareStatus status;
    private String method;
    private String settings;
    private String key;
    private String packagePath;
    private String packageSha256;
    private Boolean cached;
    private Long originalBytes;
    private Long packageBytes;
    private Double ratio;
    private Acceptance acceptance;
    private Training training;
    private Map<String, Long> durationsMillis;
    private String message;

    private Builder(PrepareStatus status) {
      this.status = status;
    }

    public Builder method(String method) {
      this.method = method;
      return this;
    }

    public Builder settings(String settings) {
      this.settings = settings;
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

    public Builder acceptance(Acceptance acceptance) {
      this.acceptance = acceptance;
      return this;
    }

    public Builder training(Training training) {
      this.training = training;
      return this;
    }

    public Builder durationsMillis(Map<String, Long> durationsMillis) {
      this.durationsMillis = durationsMillis;
      return this;
    }

    public Builder message(String message) {
      this.message = message;
      return this;
    }

    public PrepareReport build() {
      return new PrepareReport(
          status,
          method,
          settings,
          key,
          packagePath,
          packageSha256,
          cached,
          originalBytes,
          packageBytes,
          ratio,
          acceptance,
          training,
          durationsMillis,
          message);
    }
  }
}
