package dev.maas.operator.canary;

import dev.maas.contract.RuntimeMetrics;
import dev.maas.operator.api.status.CanaryCheck;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checks of one analysis interval at a live step, from two readings of the pods' metrics: the
 * candidate's server-error rate, its p99 latency against the stable pods' over the same interval,
 * and its p99 against an absolute bound when one is set. A check without enough requests to judge
 * is Inconclusive, never a pass: a step only ends after a check passed. A pure function.
 */
public final class IntervalAnalysis {
  /** Fewer answered requests than this in an interval cannot judge an error rate. */
  static final int MIN_REQUESTS_FOR_ERRORS = 10;

  /** Fewer than this cannot give a p99 worth comparing. */
  static final int MIN_REQUESTS_FOR_LATENCY = 30;

  /**
   * A candidate's p99 above the ratio fails only when it is also this much slower: a p99 over a few
   * hundred requests moves by more than this with a JIT still warming or a busy neighbour (a good
   * candidate measured 19 ms against 9 ms in one interval on a 2-core machine), which a ratio of
   * small numbers turns into a failure; a model that is really slower is slower by more.
   */
  static final double LATENCY_NOISE_MILLIS = 10;

  private IntervalAnalysis() {}

  public static List<CanaryCheck> checks(
      CanarySettings settings,
      Map<String, PodMetrics> before,
      Map<String, PodMetrics> now,
      Set<String> candidatePods,
      Set<String> stablePods,
      Instant at) {
    double requests = 0;
    double errors = 0;
    TreeMap<Double, Double> candidateLatency = new TreeMap<>();
    TreeMap<Double, Double> stableLatency = new TreeMap<>();
    for (Map.Entry<String, PodMetrics> pod : now.entrySet()) {
      PodMetrics previous = before.get(pod.getKey());
      PodMetrics current = pod.getValue();
      TreeMap<Double, Double> latency =
          LatencyQuantile.delta(
              previous == null ? new TreeMap<>() : previous.latencyBuckets(),
              current.latencyBuckets());
      if (candidatePods.contains(pod.getKey())) {
        Map<String, Double> was = previous == null ? Map.of() : previous.requests();
        boolean reset =
            current.requests().entrySet().stream()
                .anyMatch(e -> e.getValue() < was.getOrDefault(e.getKey(), 0.0));
        for (Map.Entry<String, Double> outcome : current.requests().entrySet()) {
          double delta =
              reset
                  ? outcome.getValue()
                  : outcome.getValue() - was.getOrDefault(outcome.getKey(), 0.0);
          requests += delta;
          if (RuntimeMetrics.SERVER_ERROR_OUTCOMES.contains(outcome.getKey())) {
            errors += delta;
          }
        }
        LatencyQuantile.add(candidateLatency, latency);
      } else if (stablePods.contains(pod.getKey())) {
        LatencyQuantile.add(stableLatency, latency);
      }
    }
    String when = at.toString();
    List<CanaryCheck> checks = new ArrayList<>();
    if (requests < MIN_REQUESTS_FOR_ERRORS) {
      checks.add(inconclusive("errorRate", settings.maxErrorRate(), requests, when));
    } else {
      double rate = errors / requests;
      checks.add(
          new CanaryCheck(
              null,
              "errorRate",
              rate,
              settings.maxErrorRate(),
              rate <= settings.maxErrorRate() ? CanaryCheck.PASS : CanaryCheck.FAIL,
              (long) errors + " of " + (long) requests + " requests",
              when));
    }
    double candidateCount = candidateLatency.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    double stableCount = stableLatency.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    OptionalDouble candidateP99 = LatencyQuantile.of(0.99, candidateLatency);
    OptionalDouble stableP99 = LatencyQuantile.of(0.99, stableLatency);
    if (candidateCount < MIN_REQUESTS_FOR_LATENCY
        || stableCount < MIN_REQUESTS_FOR_LATENCY
        || candidateP99.isEmpty()
        || stableP99.isEmpty()) {
      checks.add(
          inconclusive(
              "latencyP99Ratio",
              settings.maxLatencyP99Ratio(),
              Math.min(candidateCount, stableCount),
              when));
    } else {
      double ratio = candidateP99.getAsDouble() / Math.max(stableP99.getAsDouble(), 1e-6);
      double slowerMillis = (candidateP99.getAsDouble() - stableP99.getAsDouble()) * 1000;
      double[] candidateBucket = LatencyQuantile.bucket(0.99, candidateLatency).orElseThrow();
      double[] stableBucket = LatencyQuantile.bucket(0.99, stableLatency).orElseThrow();
      boolean resolved = candidateBucket[0] > settings.maxLatencyP99Ratio() * stableBucket[1];
      boolean beyondNoise = slowerMillis > LATENCY_NOISE_MILLIS;
      boolean failed = ratio > settings.maxLatencyP99Ratio() && beyondNoise && resolved;
      checks.add(
          new CanaryCheck(
              null,
              "latencyP99Ratio",
              ratio,
              settings.maxLatencyP99Ratio(),
              failed ? CanaryCheck.FAIL : CanaryCheck.PASS,
              String.format(
                      java.util.Locale.ROOT,
                      "p99 %.1f ms vs %.1f ms",
                      candidateP99.getAsDouble() * 1000,
                      stableP99.getAsDouble() * 1000)
                  + (failed || ratio <= settings.maxLatencyP99Ratio()
                      ? ""
                      : !beyondNoise
                          ? ", within the " + (int) LATENCY_NOISE_MILLIS + " ms noise floor"
                          : String.format(
                              java.util.Locale.ROOT,
                              ", not resolved by the histogram (p99 in (%s, %s] vs (%s, %s] ms)",
                              millis(candidateBucket[0]),
                              millis(candidateBucket[1]),
                              millis(stableBucket[0]),
                              millis(stableBucket[1]))),
              when));
    }
    if (settings.maxLatencyP99Millis().isPresent()) {
      int limit = settings.maxLatencyP99Millis().get();
      if (candidateCount < MIN_REQUESTS_FOR_LATENCY || candidateP99.isEmpty()) {
        checks.add(inconclusive("latencyP99Millis", limit, candidateCount, when));
      } else {
        double millis = candidateP99.getAsDouble() * 1000;
        checks.add(
            new CanaryCheck(
                null,
                "latencyP99Millis",
                millis,
                (double) limit,
                millis <= limit ? CanaryCheck.PASS : CanaryCheck.FAIL,
                (long) candidateCount + " requests",
                when));
      }
    }
    return checks;
  }

  private static String millis(double seconds) {
    if (Double.isInfinite(seconds)) {
      return "+Inf";
    }
    double ms = seconds * 1000;
    return ms == Math.rint(ms) ? Long.toString((long) ms) : Double.toString(ms);
  }

  private static CanaryCheck inconclusive(
      String name, double threshold, double requests, String at) {
    return new CanaryCheck(
        null,
        name,
        null,
        threshold,
        CanaryCheck.INCONCLUSIVE,
        "too little traffic to judge (" + (long) requests + " requests)",
        at);
  }
}
