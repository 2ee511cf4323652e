package dev.maas.operator.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas.operator.model.RuntimeContract;
import dev.maas.operator.revision.PrepareOutcome;
import java.util.Optional;

/** Reads compress's JSON report, as the prepare Job's pod left it in its termination message. */
public final class PrepareReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PrepareReport() {}

  /** The outcome the report describes; empty when the text is not a report. */
  public static Optional<PrepareOutcome> parse(String text, String job, Integer exitCode) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    JsonNode report;
    try {
      report = JSON.readTree(text);
    } catch (java.io.IOException notJson) {
      return Optional.empty();
    }
    if (!report.isObject() || !report.hasNonNull("status")) {
      return Optional.empty();
    }
    JsonNode acceptance = report.path("acceptance");
    return Optional.of(
        new PrepareOutcome(
            report.path("status").asText(),
            job,
            exitCode,
            text(report, "key"),
            relativePackagePath(text(report, "packagePath")),
            text(report, "packageSha256"),
            report.hasNonNull("cached") ? report.get("cached").asBoolean() : null,
            number(report, "originalBytes") == null ? null : report.get("originalBytes").asLong(),
            number(report, "packageBytes") == null ? null : report.get("packageBytes").asLong(),
            number(report, "ratio"),
            number(acceptance, "maxOutputError"),
            number(acceptance, "meanOutputError"),
            number(acceptance, "top1Agreement"),
            number(acceptance, "accuracyBefore"),
            number(acceptance, "accuracyAfter"),
            text(report, "message")));
  }

  /** The package relative to the storage claim, whatever path compress saw it at. */
  static String relativePackagePath(String absolute) {
    if (absolute == null) {
      return null;
    }
    String prefix = RuntimeContract.MODELS_DIR + "/";
    return absolute.startsWith(prefix) ? absolute.substring(prefix.length()) : null;
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : null;
  }

  private static Double number(JsonNode node, String field) {
    return node.hasNonNull(field) && node.get(field).isNumber() ? node.get(field).asDouble() : null;
  }
}
