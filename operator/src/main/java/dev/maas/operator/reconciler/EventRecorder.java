package dev.maas.operator.reconciler;

import dev.maas.operator.api.ModelDeployment;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on the ModelDeployment, for `kubectl describe md`. Best effort: never fails a
 * reconcile.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(ModelDeployment md, String reason, String message) {
    record(md, "Normal", reason, message);
  }

  public void warning(ModelDeployment md, String reason, String message) {
    record(md, "Warning", reason, message);
  }

  private void record(ModelDeployment md, String type, String reason, String message) {
    String now = Instant.now(clock).toString();
    try {
      client
          .v1()
          .events()
          .inNamespace(md.getMetadata().getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(
                      md.getMetadata().getName()
                          + "."
                          + UUID.randomUUID().toString().substring(0, 13))
                  .withNamespace(md.getMetadata().getNamespace())
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(md.getApiVersion())
                  .withKind(md.getKind())
                  .withName(md.getMetadata().getName())
                  .withNamespace(md.getMetadata().getNamespace())
                  .withUid(md.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("maas-operator")
                  .endSource()
                  .build())
          .create();
    } catch (RuntimeException e) {
      LOG.warn(
          "could not record event {} on {}: {}",
          reason,
          md.getMetadata().getName(),
          e.getMessage());
    }
  }
}
