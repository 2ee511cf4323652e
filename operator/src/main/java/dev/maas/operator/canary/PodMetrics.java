package dev.maas.operator.canary;

import dev.maas.contract.RuntimeMetrics;
import dev.maas.operator.api.status.ShadowPodCounts;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One runtime pod's {@code /metrics}, read for what a canary judges: the shadow comparison's
 * counters for one candidate, answered requests by outcome, and the latency histogram. Parses the
 * Prometheus text format as the runtime writes it (one sample per line, {@code name{labels}
 * value}); anything else on a line is ignored.
 *
 * @param requests answered requests by outcome, summed over models
 * @param latencyBuckets cumulative request counts by upper bound in seconds (+Inf included)
 */
public record PodMetrics(
    Map<String, Double> requests,
    TreeMap<Double, Double> latencyBuckets,
    Map<String, Map<String, Double>> shadowByCandidate) {

  public static PodMetrics parse(String text) {
    Map<String, Double> requests = new HashMap<>();
    TreeMap<Double, Double> buckets = new TreeMap<>();
    Map<String, Map<String, Double>> shadow = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      String name =
          brace < 0 || brace > space ? line.substring(0, space) : line.substring(0, brace);
      double value;
      try {
        value = Double.parseDouble(line.substring(space + 1).trim());
      } catch (NumberFormatException e) {
        continue;
      }
      Map<String, String> labels =
          brace < 0 || brace > space
              ? Map.of()
              : labels(line.substring(brace + 1, line.lastIndexOf('}', space)));
      if (name.equals(RuntimeMetrics.REQUESTS)) {
        requests.merge(labels.getOrDefault("outcome", ""), value, Double::sum);
      } else if (name.equals(RuntimeMetrics.REQUEST_DURATION + "_bucket")) {
        String le = labels.get("le");
        if (le != null) {
          double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
          buckets.merge(bound, value, Double::sum);
        }
      } else if (name.startsWith("maas_shadow_") && labels.containsKey("candidate")) {
        String key =
            name.equals(RuntimeMetrics.SHADOW_REQUESTS)
                ? name + "/" + labels.getOrDefault("result", "")
                : name;
        shadow
            .computeIfAbsent(labels.get("candidate"), c -> new HashMap<>())
            .merge(key, value, Double::sum);
      }
    }
    return new PodMetrics(requests, buckets, shadow);
  }

  /** Is this pod mirroring to the candidate (its series exist, zero or not)? */
  public boolean mirrors(String candidate) {
    return shadowByCandidate.containsKey(candidate);
  }

  /** What this pod counted of its comparison with the candidate. */
  public ShadowPodCounts shadow(String pod, String candidate) {
    Map<String, Double> m = shadowByCandidate.getOrDefault(candidate, Map.of());
    return new ShadowPodCounts(
        pod,
        count(m, RuntimeMetrics.SHADOW_REQUESTS + "/" + RuntimeMetrics.SHADOW_COMPARED),
        count(m, RuntimeMetrics.SHADOW_REQUESTS + "/" + RuntimeMetrics.SHADOW_CANDIDATE_ERROR),
        count(m, RuntimeMetrics.SHADOW_REQUESTS + "/" + RuntimeMetrics.SHADOW_UNREACHABLE),
        count(m, RuntimeMetrics.SHADOW_REQUESTS + "/" + RuntimeMetrics.SHADOW_DROPPED),
        count(m, RuntimeMetrics.SHADOW_TOP1_ROWS),
        count(m, RuntimeMetrics.SHADOW_TOP1_AGREEMENTS),
        count(m, RuntimeMetrics.SHADOW_ELEMENTS),
        m.getOrDefault(RuntimeMetrics.SHADOW_ABS_ERROR_SUM, 0.0),
        m.getOrDefault(RuntimeMetrics.SHADOW_ABS_ERROR_MAX, 0.0));
  }

  private static long count(Map<String, Double> m, String key) {
    return Math.round(m.getOrDefault(key, 0.0));
  }

  /** {@code a="x",b="y"}; values as the text format escapes them. */
  static Map<String, String> labels(String text) {
    Map<String, String> labels = new HashMap<>();
    int i = 0;
    while (i < text.length()) {
      int eq = text.indexOf('=', i);
      if (eq < 0 || eq + 1 >= text.length() || text.charAt(eq + 1) != '"') {
        break;
      }
      String key = text.substring(i, eq).trim();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      while (j < text.length() && text.charAt(j) != '"') {
        char c = text.charAt(j);
        if (c == '\\' && j + 1 < text.length()) {
          char n = text.charAt(++j);
          value.append(n == 'n' ? '\n' : n);
        } else {
          value.append(c);
        }
        j++;
      }
      labels.put(key, value.toString());
      i = j + 1;
      if (i < text.length() && text.charAt(i) == ',') {
        i++;
      }
    }
    return labels;
  }
}
