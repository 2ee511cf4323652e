package dev.maas.contract;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Whom a serving pod mirrors a sample of its answered requests to, and how many: the file behind
 * {@link ServeFlags#SHADOW_CONFIG}. The operator writes it into a ConfigMap as the candidate's
 * ready pods come and go; the runtime reads it whenever it changes. Java properties, so a person
 * can read and write it too:
 *
 * <pre>
 * candidate=4
 * samplePercent=20
 * targets=http://10.250.0.7:8080,http://10.250.0.8:8080
 * </pre>
 *
 * @param candidate the candidate revision, a label on the comparison's metrics so that numbers of
 *     one candidate are never counted for the next
 * @param samplePercent share of answered requests mirrored, 1..100
 * @param targets base URLs of the candidate's pods (addresses, not a Service name: it works where
 *     there is no cluster DNS or ClusterIP routing, and spreads the mirror over every pod)
 */
public record ShadowSettings(String candidate, int samplePercent, List<String> targets) {
  public static final String CANDIDATE = "candidate";
  public static final String SAMPLE_PERCENT = "samplePercent";
  public static final String TARGETS = "targets";

  public ShadowSettings {
    targets = List.copyOf(targets);
  }

  /** The file's text; keys in a fixed order, so equal settings are equal bytes (no rewrite). */
  public String render() {
    return CANDIDATE
        + "="
        + candidate
        + "\n"
        + SAMPLE_PERCENT
        + "="
        + samplePercent
        + "\n"
        + TARGETS
        + "="
        + String.join(",", targets)
        + "\n";
  }

  /**
   * The settings a file holds: empty for an empty file (mirroring off).
   *
   * @throws IllegalArgumentException naming the key that is wrong
   */
  public static Optional<ShadowSettings> parse(String text) {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("unreadable shadow settings: " + e.getMessage());
    }
    if (properties.isEmpty()) {
      return Optional.empty();
    }
    String candidate = properties.getProperty(CANDIDATE, "").strip();
    if (candidate.isEmpty()) {
      throw new IllegalArgumentException("shadow settings: " + CANDIDATE + " is missing");
    }
    String percent = properties.getProperty(SAMPLE_PERCENT, "").strip();
    int samplePercent;
    try {
      samplePercent = Integer.parseInt(percent);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "shadow settings: " + SAMPLE_PERCENT + " must be a whole number, not '" + percent + "'");
    }
    if (samplePercent < 1 || samplePercent > 100) {
      throw new IllegalArgumentException(
          "shadow settings: " + SAMPLE_PERCENT + " must be 1..100, not " + samplePercent);
    }
    List<String> targets = new ArrayList<>();
    for (String target : properties.getProperty(TARGETS, "").split(",")) {
      String t = target.strip();
      if (t.isEmpty()) {
        continue;
      }
      if (!t.startsWith("http://") && !t.startsWith("https://")) {
        throw new IllegalArgumentException(
            "shadow settings: " + TARGETS + " must be http(s) URLs, not '" + t + "'");
      }
      targets.add(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
    }
    return Optional.of(new ShadowSettings(candidate, samplePercent, targets));
  }
}
