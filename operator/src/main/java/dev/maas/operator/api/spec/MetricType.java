package dev.maas.operator.api.spec;

/** Metrics the autoscaler can follow. */
public enum MetricType {
  CPU,
  InflightRequests
}
