package dev.maas.e2e.kubelet;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events kubelet records about a pod (core/v1, source {@code kubelet} and the node), for what
 * kubelet says only in events: a volume that cannot be mounted ({@code FailedMount}) leaves the
 * pod's status at ContainerCreating without a message.
 */
final class KubeletEvents {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletEvents.class);

  private final KubernetesClient client;

  KubeletEvents(KubernetesClient client) {
    this.client = client;
  }

  void warning(Pod pod, String reason, String message) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String node = pod.getSpec().getNodeName();
    try {
      client
          .v1()
          .events()
          .inNamespace(pod.getMetadata().getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(pod.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
                  .withNamespace(pod.getMetadata().getNamespace())
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion("v1")
                  .withKind("Pod")
                  .withNamespace(pod.getMetadata().getNamespace())
                  .withName(pod.getMetadata().getName())
                  .withUid(pod.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType("Warning")
                  .withReason(reason)
                  .withMessage(message)
                  .withNewSource()
                  .withComponent("kubelet")
                  .withHost(node)
                  .endSource()
                  .withReportingComponent("kubelet")
                  .withReportingInstance(node)
                  .withFirstTimestamp(now.toString())
                  .withLastTimestamp(now.toString())
                  .withCount(1)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "cannot record event {} for pod {}: {}",
          reason,
          pod.getMetadata().getName(),
          e.getMessage());
    }
  }
}
