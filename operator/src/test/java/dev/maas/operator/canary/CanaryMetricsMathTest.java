package dev.maas.operator.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.maas.operator.api.status.CanaryCheck;
import dev.maas.operator.api.status.ShadowPodCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What the operator reads from pods' metrics, and the arithmetic it does on them. */
class CanaryMetricsMathTest {
  private static final CanarySettings SETTINGS =
      new CanarySettings(
          10,
          200,
          0.95,
          Optional.empty(),
          CanarySettings.DEFAULT_STEPS,
          Duration.ofSeconds(15),
          2,
          0.01,
          1.5,
          Optional.of(50));

  /** As the runtime writes it (prometheus-metrics' text format). */
  static String metrics(
      long ok, long errors, long fast, long slow, long compared, long rows, long agree) {
    return String.join(
        "\n",
        "# HELP maas_requests_total Inference requests",
        "# TYPE maas_requests_total counter",
        "maas_requests_total{model=\"digits\",outcome=\"ok\"} " + ok + ".0",
        "maas_requests_total{model=\"digits\",outcome=\"error\"} " + errors + ".0",
        "maas_requests_total{model=\"digits\",outcome=\"bad_request\"} 3.0",
        "maas_request_duration_seconds_bucket{model=\"digits\",le=\"0.005\"} " + fast + ".0",
        // The slow ones take between 25 and 50 ms.
        "maas_request_duration_seconds_bucket{model=\"digits\",le=\"0.01\"} " + fast + ".0",
        "maas_request_duration_seconds_bucket{model=\"digits\",le=\"0.025\"} " + fast + ".0",
        "maas_request_duration_seconds_bucket{model=\"digits\",le=\"0.05\"} "
            + (fast + slow)
            + ".0",
        "maas_request_duration_seconds_bucket{model=\"digits\",le=\"+Inf\"} "
            + (fast + slow)
            + ".0",
        "maas_shadow_requests_total{candidate=\"4\",result=\"compared\"} " + compared + ".0",
        "maas_shadow_requests_total{candidate=\"4\",result=\"dropped\"} 2.0",
        "maas_shadow_top1_rows_total{candidate=\"4\"} " + rows + ".0",
        "maas_shadow_top1_agreements_total{candidate=\"4\"} " + agree + ".0",
        "maas_shadow_elements_total{candidate=\"4\"} " + rows * 10 + ".0",
        "maas_shadow_abs_error_sum{candidate=\"4\"} 1.5",
        "maas_shadow_abs_error_max{candidate=\"4\"} 0.25",
        "");
  }

  @Test
  void podMetricsReadRequestsLatencyAndTheShadowComparison() {
    PodMetrics m = PodMetrics.parse(metrics(90, 10, 95, 5, 40, 80, 76));

    assertThat(m.requests()).containsEntry("ok", 90.0).containsEntry("error", 10.0);
    assertThat(m.latencyBuckets())
        .containsEntry(0.005, 95.0)
        .containsEntry(Double.POSITIVE_INFINITY, 100.0);
    assertThat(m.mirrors("4")).isTrue();
    assertThat(m.mirrors("5")).isFalse();
    ShadowPodCounts c = m.shadow("digits-a", "4");
    assertThat(c.compared()).isEqualTo(40);
    assertThat(c.dropped()).isEqualTo(2);
    assertThat(c.top1Agreements()).isEqualTo(76);
    assertThat(c.errorMax()).isEqualTo(0.25);
  }

  @Test
  void aTallyKeepsWhatPodsThatRestartedOrWentHadCounted() {
    List<ShadowPodCounts> recorded = List.of(counts("a", 50), counts("b", 30), counts("c", 20));

    List<ShadowPodCounts> after =
        ShadowTally.update(
            recorded,
            // a counted on; b restarted (its counter starts again); c is gone; d is new.
            Map.of("a", counts("a", 60), "b", counts("b", 5), "d", counts("d", 7)),
            Set.of("a", "b", "d"));

    assertThat(after)
        .extracting(ShadowPodCounts::pod, ShadowPodCounts::compared)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ShadowPodCounts.GONE, 50L),
            org.assertj.core.groups.Tuple.tuple("a", 60L),
            org.assertj.core.groups.Tuple.tuple("b", 5L),
            org.assertj.core.groups.Tuple.tuple("d", 7L));
  }

  @Test
  void aPodNotReadThisTimeKeepsItsLastReading() {
    List<ShadowPodCounts> after =
        ShadowTally.update(List.of(counts("a", 50)), Map.of(), Set.of("a"));

    assertThat(after).containsExactly(counts("a", 50));
  }

  @Test
  void theP99IsInterpolatedInItsBucketAsPrometheusDoes() {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    buckets.put(0.01, 90.0);
    buckets.put(0.1, 100.0);
    buckets.put(Double.POSITIVE_INFINITY, 100.0);

    // Rank 99 of 100 falls 9/10 of the way through the (0.01, 0.1] bucket.
    assertThat(LatencyQuantile.of(0.99, buckets).getAsDouble()).isCloseTo(0.091, within(1e-9));
    assertThat(LatencyQuantile.of(0.99, new TreeMap<>())).isEmpty();
  }

  @Test
  void anIntervalsChecksComeFromTheCountsBetweenTwoReadings() {
    Map<String, PodMetrics> before =
        Map.of(
            "cand", PodMetrics.parse(metrics(100, 0, 100, 0, 0, 0, 0)),
            "stable", PodMetrics.parse(metrics(1000, 0, 1000, 0, 0, 0, 0)));
    Map<String, PodMetrics> now =
        Map.of(
            // 80 more ok and 20 errors; 50 of its 100 new requests slow.
            "cand", PodMetrics.parse(metrics(180, 20, 150, 50, 0, 0, 0)),
            "stable", PodMetrics.parse(metrics(1300, 0, 1300, 0, 0, 0, 0)));

    List<CanaryCheck> checks =
        IntervalAnalysis.checks(
            SETTINGS, before, now, Set.of("cand"), Set.of("stable"), Instant.EPOCH);

    assertThat(checks)
        .extracting(CanaryCheck::name)
        .containsExactly("errorRate", "latencyP99Ratio", "latencyP99Millis");
    assertThat(checks.get(0).value()).isCloseTo(0.2, within(1e-9));
    assertThat(checks.get(0).verdict()).isEqualTo(CanaryCheck.FAIL);
    assertThat(checks.get(0).detail()).isEqualTo("20 of 100 requests");
    assertThat(checks.get(1).verdict()).isEqualTo(CanaryCheck.FAIL);
    assertThat(checks.get(2).value()).isCloseTo(49.5, within(1e-6));
    assertThat(checks.get(2).verdict()).isEqualTo(CanaryCheck.PASS);
  }

  /** Requests in the runtime's latency buckets (ms bounds 5, 10, 25, 50), cumulative. */
  private static PodMetrics latency(long upTo5, long upTo10, long upTo25, long upTo50) {
    long all = upTo5 + upTo10 + upTo25 + upTo50;
    return PodMetrics.parse(
        String.join(
            "\n",
            "maas_requests_total{model=\"digits\",outcome=\"ok\"} " + all + ".0",
            "maas_request_duration_seconds_bucket{model=\"digits\",le=\"0.005\"} " + upTo5 + ".0",
            "maas_request_duration_seconds_bucket{model=\"digits\",le=\"0.01\"} "
                + (upTo5 + upTo10)
                + ".0",
            "maas_request_duration_seconds_bucket{model=\"digits\",le=\"0.025\"} "
                + (upTo5 + upTo10 + upTo25)
                + ".0",
            "maas_request_duration_seconds_bucket{model=\"digits\",le=\"0.05\"} " + all + ".0",
            "maas_request_duration_seconds_bucket{model=\"digits\",le=\"+Inf\"} " + all + ".0",
            ""));
  }

  @Test
  void aP99RatioTheHistogramCannotResolveIsNotAFailure() {
    // A good candidate's 300 requests, 7 of them in (10, 25] ms: its interpolated p99 reads 18.6
    // ms against the stable pods' 8.5 ms (ratio 2.2, 10.1 ms slower), but its p99 bucket starts at
    // 10 ms, not above 1.5 x 10 ms: the histogram cannot tell them apart.
    List<CanaryCheck> close =
        IntervalAnalysis.checks(
            SETTINGS,
            Map.of("cand", latency(0, 0, 0, 0), "stable", latency(0, 0, 0, 0)),
            Map.of("cand", latency(293, 0, 7, 0), "stable", latency(580, 20, 0, 0)),
            Set.of("cand"),
            Set.of("stable"),
            Instant.EPOCH);
    CanaryCheck ratio = close.get(1);
    assertThat(ratio.value()).isGreaterThan(2.1);
    assertThat(ratio.verdict()).isEqualTo(CanaryCheck.PASS);
    assertThat(ratio.detail())
        .isEqualTo(
            "p99 18.6 ms vs 8.5 ms, not resolved by the histogram (p99 in (10, 25] vs (5, 10] ms)");

    // A candidate whose slow requests land beyond 25 ms is slower beyond doubt.
    List<CanaryCheck> slower =
        IntervalAnalysis.checks(
            SETTINGS,
            Map.of("cand", latency(0, 0, 0, 0), "stable", latency(0, 0, 0, 0)),
            Map.of("cand", latency(290, 0, 0, 10), "stable", latency(580, 20, 0, 0)),
            Set.of("cand"),
            Set.of("stable"),
            Instant.EPOCH);
    assertThat(slower.get(1).verdict()).isEqualTo(CanaryCheck.FAIL);
  }

  @Test
  void tooLittleTrafficIsInconclusiveNotAPass() {
    Map<String, PodMetrics> before =
        Map.of("cand", PodMetrics.parse(metrics(100, 0, 100, 0, 0, 0, 0)));
    Map<String, PodMetrics> now =
        Map.of("cand", PodMetrics.parse(metrics(103, 0, 103, 0, 0, 0, 0)));

    List<CanaryCheck> checks =
        IntervalAnalysis.checks(SETTINGS, before, now, Set.of("cand"), Set.of(), Instant.EPOCH);

    assertThat(checks).allMatch(c -> c.verdict().equals(CanaryCheck.INCONCLUSIVE));
  }

  @Test
  void candidatePodsForAWeightKeepEveryStablePod() {
    assertThat(CanaryWeights.candidatePods(10, 2)).isEqualTo(1);
    assertThat(CanaryWeights.candidatePods(50, 2)).isEqualTo(2);
    assertThat(CanaryWeights.candidatePods(10, 4)).isEqualTo(1);
    assertThat(CanaryWeights.candidatePods(50, 4)).isEqualTo(4);
    assertThat(CanaryWeights.candidatePods(10, 10)).isEqualTo(1);
    assertThat(CanaryWeights.candidatePods(25, 10)).isEqualTo(3);
    assertThat(CanaryWeights.share(1, 2)).isEqualTo(33);
    assertThat(CanaryWeights.share(1, 10)).isEqualTo(9);
  }

  private static ShadowPodCounts counts(String pod, long compared) {
    return new ShadowPodCounts(pod, compared, 0, 0, 0, compared, compared, 0, 0, 0);
  }
}
