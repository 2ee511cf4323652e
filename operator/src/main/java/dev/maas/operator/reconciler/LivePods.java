package dev.maas.operator.reconciler;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.observe.RuntimePod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a candidate's ready pods behind the Service at a live step by setting their {@link
 * RuntimePod#LIVE_GATE} readiness gate (a condition in the pod's status, which kubelet folds into
 * Ready): the kubernetes way to hold a pod out of a Service until something outside it agrees, so
 * the shadow pod goes live without a restart. Best effort: a pod that could not be patched is tried
 * at the next reconcile.
 */
final class LivePods {
  private static final Logger LOG = LoggerFactory.getLogger(LivePods.class);

  private final KubernetesClient client;
  private final Clock clock;

  LivePods(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  void admit(ModelDeployment md, List<String> pods) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String patch =
        "{\"status\":{\"conditions\":[{\"type\":\""
            + RuntimePod.LIVE_GATE
            + "\",\"status\":\"True\",\"reason\":\"CanaryStep\",\"lastTransitionTime\":\""
            + now
            + "\"}]}}";
    for (String pod : pods) {
      try {
        client
            .pods()
            .inNamespace(md.getMetadata().getNamespace())
            .withName(pod)
            .subresource("status")
            .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
      } catch (KubernetesClientException e) {
        LOG.warn(
            "{}/{}: pod {} not put behind the Service yet: {}",
            md.getMetadata().getNamespace(),
            md.getMetadata().getName(),
            pod,
            e.getMessage());
      }
    }
  }
}
