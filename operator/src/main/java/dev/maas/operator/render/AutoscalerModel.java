package dev.maas.operator.render;

import dev.maas.operator.api.spec.AutoscalingSpec;
import dev.maas.operator.api.spec.MetricSpec;
import dev.maas.operator.api.spec.MetricType;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import java.util.List;
import java.util.Optional;

/**
 * The autoscaling/v2 HPA, only while spec.autoscaling is set. In-flight requests reach it as a Pods
 * metric, {@code maas_inflight_requests}, served by a Prometheus adapter.
 */
public final class AutoscalerModel {
  public static final String INFLIGHT_METRIC = "maas_inflight_requests";
  static final int DEFAULT_CPU_UTILIZATION = 80;

  private AutoscalerModel() {}

  public static Optional<HorizontalPodAutoscaler> build(ResolvedModelDeployment md) {
    if (md.scale().autoscaling().isEmpty()) {
      return Optional.empty();
    }
    AutoscalingSpec autoscaling = md.scale().autoscaling().get();
    List<MetricSpec> metrics =
        autoscaling.metrics() == null || autoscaling.metrics().isEmpty()
            ? List.of(new MetricSpec(MetricType.CPU, DEFAULT_CPU_UTILIZATION, null))
            : autoscaling.metrics();
    return Optional.of(
        new HorizontalPodAutoscalerBuilder()
            .withMetadata(Owners.metadata(md.owner(), md.name(), Labels.common(md.name())))
            .withNewSpec()
            .withNewScaleTargetRef()
            .withApiVersion("apps/v1")
            .withKind("Deployment")
            .withName(md.name())
            .endScaleTargetRef()
            .withMinReplicas(Optional.ofNullable(autoscaling.minReplicas()).orElse(1))
            .withMaxReplicas(autoscaling.maxReplicas())
            .withMetrics(metrics.stream().map(AutoscalerModel::metric).toList())
            .endSpec()
            .build());
  }

  private static io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec metric(
      MetricSpec metric) {
    return switch (metric.type()) {
      case CPU ->
          new MetricSpecBuilder()
              .withType("Resource")
              .withNewResource()
              .withName("cpu")
              .withNewTarget()
              .withType("Utilization")
              .withAverageUtilization(metric.targetAverageUtilization())
              .endTarget()
              .endResource()
              .build();
      case InflightRequests ->
          new MetricSpecBuilder()
              .withType("Pods")
              .withNewPods()
              .withNewMetric()
              .withName(INFLIGHT_METRIC)
              .endMetric()
              .withNewTarget()
              .withType("AverageValue")
              .withAverageValue(new Quantity(Integer.toString(metric.targetAverageValue())))
              .endTarget()
              .endPods()
              .build();
    };
  }
}
