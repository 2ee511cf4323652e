package dev.maas.runtime.metrics;

import dev.maas.contract.RuntimeMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics. {@code maas_inflight_requests} is the one the operator's HPA
 * scales on (through a Prometheus adapter), so its name is part of the contract.
 */
public final class ServerMetrics {
  private static final double[] LATENCY_BUCKETS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };
  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final AtomicInteger inflight = new AtomicInteger();
  private final Counter requests;
  private final Counter callerRequests;
  private final Counter deniedRequests;
  private final Histogram requestDuration;
  private final Histogram queueWait;
  private final Histogram batchSize;
  private final Gauge modelLoadSeconds;
  private final Counter shadowRequests;
  private final Counter shadowTop1Rows;
  private final Counter shadowTop1Agreements;
  private final Counter shadowElements;
  private final Counter shadowAbsErrorSum;
  private final Gauge shadowAbsErrorMax;

  public ServerMetrics(IntSupplier queueDepth) {
    requests =
        Counter.builder()
            .name(RuntimeMetrics.REQUESTS)
            .help("Inference requests by model and outcome (ok, bad_request, not_found, ...)")
            .labelNames("model", "outcome")
            .register(registry);
    callerRequests =
        Counter.builder()
            .name(RuntimeMetrics.CALLER_REQUESTS)
            .help("Inference requests of authenticated callers, by caller name and outcome")
            .labelNames("model", "caller", "outcome")
            .register(registry);
    deniedRequests =
        Counter.builder()
            .name(RuntimeMetrics.DENIED_REQUESTS)
            .help("Requests to model endpoints refused by access control (401, 403)")
            .labelNames("model", "reason")
            .register(registry);
    requestDuration =
        Histogram.builder()
            .name(RuntimeMetrics.REQUEST_DURATION)
            .help("Time from a request's arrival to its response being written")
            .labelNames("model")
            .classicOnly()
            .classicUpperBounds(LATENCY_BUCKETS)
            .register(registry);
    queueWait =
        Histogram.builder()
            .name("maas_queue_wait_seconds")
            .help("Time a request waited in the queue before its batch started")
            .classicOnly()
            .classicUpperBounds(LATENCY_BUCKETS)
            .register(registry);
    batchSize =
        Histogram.builder()
            .name("maas_batch_size")
            .help("Rows per forward pass")
            .classicOnly()
            .classicUpperBounds(BATCH_BUCKETS)
            .register(registry);
    modelLoadSeconds =
        Gauge.builder()
            .name("maas_model_load_seconds")
            .help("Time to fetch, load and warm up the model")
            .register(registry);
    shadowRequests =
        Counter.builder()
            .name(RuntimeMetrics.SHADOW_REQUESTS)
            .help("Requests mirrored to a candidate, by what became of them")
            .labelNames("candidate", "result")
            .register(registry);
    shadowTop1Rows =
        Counter.builder()
            .name(RuntimeMetrics.SHADOW_TOP1_ROWS)
            .help("Rows of mirrored requests compared by the top-1 class of the first output")
            .labelNames("candidate")
            .register(registry);
    shadowTop1Agreements =
        Counter.builder()
            .name(RuntimeMetrics.SHADOW_TOP1_AGREEMENTS)
            .help("Compared rows where the candidate chose the same class as this model")
            .labelNames("candidate")
            .register(registry);
    shadowElements =
        Counter.builder()
            .name(RuntimeMetrics.SHADOW_ELEMENTS)
            .help("Output elements of mirrored requests compared")
            .labelNames("candidate")
            .register(registry);
    shadowAbsErrorSum =
        Counter.builder()
            .name(RuntimeMetrics.SHADOW_ABS_ERROR_SUM)
            .help("Sum of absolute differences between the candidate's outputs and this model's")
            .labelNames("candidate")
            .register(registry);
    shadowAbsErrorMax =
        Gauge.builder()
            .name(RuntimeMetrics.SHADOW_ABS_ERROR_MAX)
            .help("Largest absolute difference between the candidate's outputs and this model's")
            .labelNames("candidate")
            .register(registry);
    GaugeWithCallback.builder()
        .name("maas_queue_depth")
        .help("Requests waiting for a batch")
        .callback(callback -> callback.call(queueDepth.getAsInt()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("maas_inflight_requests")
        .help("Inference requests accepted and not yet answered (the autoscaling metric)")
        .callback(callback -> callback.call(inflight.get()))
        .register(registry);
  }

  public void requestStarted() {
    inflight.incrementAndGet();
  }

  /** {@code caller}: who made it, when authentication is on; else null. */
  public void requestFinished(String model, String outcome, long startNanos, String caller) {
    inflight.decrementAndGet();
    requests.labelValues(model, outcome).inc();
    requestDuration.labelValues(model).observe((System.nanoTime() - startNanos) / 1e9);
    if (caller != null) {
      callerRequests.labelValues(model, caller, outcome).inc();
    }
  }

  /** A request to a model endpoint refused by access control, before any model work. */
  public void requestDenied(String model, String reason) {
    deniedRequests.labelValues(model, reason).inc();
  }

  /** A request that was refused before it was accepted (not counted as in flight). */
  public void requestRefused(String model, String outcome) {
    requests.labelValues(model, outcome).inc();
  }

  public int inflight() {
    return inflight.get();
  }

  public void queueWaited(long nanos) {
    queueWait.observe(nanos / 1e9);
  }

  public void batchRan(long rows) {
    batchSize.observe(rows);
  }

  public void modelLoaded(double seconds) {
    modelLoadSeconds.set(seconds);
  }

  /** What became of one mirrored request: one of RuntimeMetrics' SHADOW_ results. */
  public void shadowResult(String candidate, String result) {
    shadowRequests.labelValues(candidate, result).inc();
  }

  /** One mirrored request whose answers were compared. */
  public synchronized void shadowCompared(
      String candidate,
      long top1Rows,
      long top1Agreements,
      long elements,
      double absErrorSum,
      double absErrorMax) {
    shadowRequests.labelValues(candidate, RuntimeMetrics.SHADOW_COMPARED).inc();
    shadowTop1Rows.labelValues(candidate).inc(top1Rows);
    shadowTop1Agreements.labelValues(candidate).inc(top1Agreements);
    shadowElements.labelValues(candidate).inc(elements);
    shadowAbsErrorSum.labelValues(candidate).inc(absErrorSum);
    var max = shadowAbsErrorMax.labelValues(candidate);
    if (absErrorMax > max.get()) {
      max.set(absErrorMax);
    }
  }

  /**
   * The candidate's series exist from the start, at zero, so that a scrape tells "mirroring,
   * nothing compared yet" from "not mirroring".
   */
  public synchronized void shadowStarted(String candidate) {
    shadowTop1Rows.labelValues(candidate);
    shadowTop1Agreements.labelValues(candidate);
    shadowElements.labelValues(candidate);
    shadowAbsErrorSum.labelValues(candidate);
    shadowAbsErrorMax.labelValues(candidate);
    shadowRequests.labelValues(candidate, RuntimeMetrics.SHADOW_COMPARED);
  }

  /** The candidate is no longer mirrored to: its series go. */
  public synchronized void shadowEnded(String candidate) {
    shadowTop1Rows.remove(candidate);
    shadowTop1Agreements.remove(candidate);
    shadowElements.remove(candidate);
    shadowAbsErrorSum.remove(candidate);
    shadowAbsErrorMax.remove(candidate);
    for (String result :
        java.util.List.of(
            RuntimeMetrics.SHADOW_COMPARED,
            RuntimeMetrics.SHADOW_CANDIDATE_ERROR,
            RuntimeMetrics.SHADOW_UNREACHABLE,
            RuntimeMetrics.SHADOW_DROPPED)) {
      shadowRequests.remove(candidate, result);
    }
  }

  public String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  public void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }
}
