package dev.maas.operator.canary;

import dev.maas.operator.api.spec.CanaryAnalysisSpec;
import dev.maas.operator.api.spec.CanaryShadowSpec;
import dev.maas.operator.api.spec.CanarySpec;
import dev.maas.operator.api.spec.CanaryStepSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A canary's settings with every default filled in: what the decision reads, never the raw spec.
 *
 * @param maxOutputError empty: not checked
 * @param maxLatencyP99Millis empty: not checked
 */
public record CanarySettings(
    int samplePercent,
    int minSamples,
    double minTop1Agreement,
    Optional<Double> maxOutputError,
    List<Step> steps,
    Duration interval,
    int failureLimit,
    double maxErrorRate,
    double maxLatencyP99Ratio,
    Optional<Integer> maxLatencyP99Millis) {

  public static final int DEFAULT_SAMPLE_PERCENT = 10;
  public static final int DEFAULT_MIN_SAMPLES = 200;
  public static final double DEFAULT_MIN_TOP1_AGREEMENT = 0.95;
  public static final List<Step> DEFAULT_STEPS =
      List.of(new Step(10, Duration.ofSeconds(60)), new Step(50, Duration.ofSeconds(60)));
  public static final int DEFAULT_PAUSE_SECONDS = 60;
  public static final int DEFAULT_INTERVAL_SECONDS = 15;
  public static final int DEFAULT_FAILURE_LIMIT = 2;
  public static final double DEFAULT_MAX_ERROR_RATE = 0.01;
  public static final double DEFAULT_MAX_LATENCY_P99_RATIO = 1.5;

  /** One live step: the candidate's share of traffic in percent, and how long it is held. */
  public record Step(int weight, Duration pause) {}

  public CanarySettings {
    steps = List.copyOf(steps);
  }

  /** The live steps' pauses together: the part of a canary that is waiting by design. */
  public Duration pauses() {
    return steps.stream().map(Step::pause).reduce(Duration.ZERO, Duration::plus);
  }

  public static CanarySettings of(CanarySpec spec) {
    CanarySpec canary = Optional.ofNullable(spec).orElse(new CanarySpec(null, null, null));
    CanaryShadowSpec shadow =
        Optional.ofNullable(canary.shadow()).orElse(new CanaryShadowSpec(null, null, null, null));
    CanaryAnalysisSpec analysis =
        Optional.ofNullable(canary.analysis())
            .orElse(new CanaryAnalysisSpec(null, null, null, null, null));
    List<Step> steps =
        canary.steps() == null || canary.steps().isEmpty()
            ? DEFAULT_STEPS
            : canary.steps().stream().map(CanarySettings::step).toList();
    return new CanarySettings(
        Optional.ofNullable(shadow.samplePercent()).orElse(DEFAULT_SAMPLE_PERCENT),
        Optional.ofNullable(shadow.minSamples()).orElse(DEFAULT_MIN_SAMPLES),
        Optional.ofNullable(shadow.minTop1Agreement()).orElse(DEFAULT_MIN_TOP1_AGREEMENT),
        Optional.ofNullable(shadow.maxOutputError()),
        steps,
        Duration.ofSeconds(
            Optional.ofNullable(analysis.intervalSeconds()).orElse(DEFAULT_INTERVAL_SECONDS)),
        Optional.ofNullable(analysis.failureLimit()).orElse(DEFAULT_FAILURE_LIMIT),
        Optional.ofNullable(analysis.maxErrorRate()).orElse(DEFAULT_MAX_ERROR_RATE),
        Optional.ofNullable(analysis.maxLatencyP99Ratio()).orElse(DEFAULT_MAX_LATENCY_P99_RATIO),
        Optional.ofNullable(analysis.maxLatencyP99Millis()));
  }

  private static Step step(CanaryStepSpec spec) {
    return new Step(
        spec.weight(),
        Duration.ofSeconds(Optional.ofNullable(spec.pauseSeconds()).orElse(DEFAULT_PAUSE_SECONDS)));
  }
}
