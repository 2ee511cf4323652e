package dev.maas.runtime.metrics;

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
  private final Histogram requestDuration;
  private final Histogram queueWait;
  private final Histogram batchSize;
  private final Gauge modelLoadSeconds;

  public ServerMetrics(IntSupplier queueDepth) {
    requests =
        Counter.builder()
            .name("maas_requests_total")
            .help("Inference requests by model and outcome (ok, bad_request, not_found, ...)")
            .labelNames("model", "outcome")
            .register(registry);
    requestDuration =
        Histogram.builder()
            .name("maas_request_duration_seconds")
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

  public void requestFinished(String model, String outcome, long startNanos) {
    inflight.decrementAndGet();
    requests.labelValues(model, outcome).inc();
    requestDuration.labelValues(model).observe((System.nanoTime() - startNanos) / 1e9);
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

  public String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  public void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }
}
