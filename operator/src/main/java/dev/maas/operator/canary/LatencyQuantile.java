package dev.maas.operator.canary;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * A quantile from a cumulative histogram, as Prometheus's {@code histogram_quantile} computes it:
 * the bucket where the rank falls, interpolated linearly inside it; in the +Inf bucket, the largest
 * finite bound.
 */
public final class LatencyQuantile {
  private LatencyQuantile() {}

  public static OptionalDouble of(double q, TreeMap<Double, Double> cumulative) {
    return locate(q, cumulative)
        .map(
            at -> {
              if (at.upper() == Double.POSITIVE_INFINITY) {
                return at.lower();
              }
              double inBucket = at.count() - at.countBelow();
              double share = inBucket <= 0 ? 1 : (at.rank() - at.countBelow()) / inBucket;
              return at.lower() + (at.upper() - at.lower()) * share;
            })
        .map(OptionalDouble::of)
        .orElse(OptionalDouble.empty());
  }

  /**
   * The bucket the quantile falls in: all a classic histogram knows of it. An interpolated quantile
   * inside a wide bucket with few requests in it can be anywhere between its bounds (a p99 over 300
   * requests is decided by 3 of them).
   *
   * @return {@code [lower, upper]}; upper is infinite in the +Inf bucket
   */
  public static java.util.Optional<double[]> bucket(double q, TreeMap<Double, Double> cumulative) {
    return locate(q, cumulative).map(at -> new double[] {at.lower(), at.upper()});
  }

  /** Where a rank falls: its bucket's bounds, and the counts up to them. */
  private record Located(
      double rank, double lower, double countBelow, double upper, double count) {}

  private static java.util.Optional<Located> locate(double q, TreeMap<Double, Double> cumulative) {
    Double total = cumulative.get(Double.POSITIVE_INFINITY);
    if (total == null || total <= 0) {
      return java.util.Optional.empty();
    }
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
      if (bucket.getKey() == Double.POSITIVE_INFINITY || bucket.getValue() >= rank) {
        return java.util.Optional.of(
            new Located(rank, lowerBound, lowerCount, bucket.getKey(), bucket.getValue()));
      }
      lowerBound = bucket.getKey();
      lowerCount = bucket.getValue();
    }
    return java.util.Optional.of(
        new Located(rank, lowerBound, lowerCount, Double.POSITIVE_INFINITY, total));
  }

  /** {@code now - before}, bucket by bucket; a pod that restarted counts from zero. */
  public static TreeMap<Double, Double> delta(
      TreeMap<Double, Double> before, TreeMap<Double, Double> now) {
    boolean reset =
        now.entrySet().stream().anyMatch(e -> e.getValue() < before.getOrDefault(e.getKey(), 0.0));
    TreeMap<Double, Double> delta = new TreeMap<>();
    now.forEach((k, v) -> delta.put(k, reset ? v : v - before.getOrDefault(k, 0.0)));
    return delta;
  }

  /** Adds {@code b} into {@code a}, bucket by bucket. */
  public static void add(TreeMap<Double, Double> a, TreeMap<Double, Double> b) {
    b.forEach((k, v) -> a.merge(k, v, Double::sum));
  }
}
