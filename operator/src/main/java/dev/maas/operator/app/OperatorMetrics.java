package dev.maas.operator.app;

import dev.maas.operator.metrics.RolloutMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.event.Event;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The operator's own metrics, in the Prometheus text format on {@code /metrics}: reconciliations
 * (and how many failed or were retries), events received, and the time reconciles take. Fed by
 * java-operator-sdk's metrics hooks.
 */
public final class OperatorMetrics implements Metrics {
  private final LongAdder events = new LongAdder();
  private final LongAdder reconciliations = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder executions = new LongAdder();
  private final LongAdder executionNanos = new LongAdder();
  private final RolloutMetrics rollouts = new RolloutMetrics();

  /** The per-ModelDeployment rollout metrics the reconciler feeds. */
  public RolloutMetrics rollouts() {
    return rollouts;
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    events.increment();
  }

  @Override
  public void reconcileCustomResource(
      HasMetadata resource, RetryInfo retry, Map<String, Object> metadata) {
    reconciliations.increment();
    if (retry != null && retry.getAttemptCount() > 0) {
      retries.increment();
    }
  }

  @Override
  public void failedReconciliation(
      HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    failures.increment();
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    long start = System.nanoTime();
    try {
      return execution.execute();
    } finally {
      executions.increment();
      executionNanos.add(System.nanoTime() - start);
    }
  }

  /** The Prometheus text exposition of these counters. */
  public String scrape() {
    StringBuilder out = new StringBuilder();
    counter(out, "maas_operator_events_total", "Events received from the informers.", events);
    counter(
        out, "maas_operator_reconciliations_total", "Reconciliations started.", reconciliations);
    counter(
        out,
        "maas_operator_reconciliation_retries_total",
        "Reconciliations that were retries.",
        retries);
    counter(
        out,
        "maas_operator_reconciliation_failures_total",
        "Reconciliations that failed.",
        failures);
    out.append("# HELP maas_operator_reconcile_seconds Time spent in reconciles.\n")
        .append("# TYPE maas_operator_reconcile_seconds summary\n")
        .append("maas_operator_reconcile_seconds_count ")
        .append(executions.sum())
        .append('\n')
        .append("maas_operator_reconcile_seconds_sum ")
        .append(executionNanos.sum() / 1e9)
        .append('\n');
    out.append(rollouts.scrape());
    return out.toString();
  }

  private static void counter(StringBuilder out, String name, String help, LongAdder value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    out.append(name).append(' ').append(value.sum()).append('\n');
  }
}
