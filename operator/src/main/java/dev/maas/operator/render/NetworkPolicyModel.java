package dev.maas.operator.render;

import dev.maas.contract.PodLayout;
import dev.maas.operator.config.OperatorIdentity;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The NetworkPolicy of {@code spec.access.allowFrom}: ingress to the runtime pods' serving port
 * only from the peers the user named, plus the two the product needs: the operator's own pods (a
 * canary's analysis reads the pods' /metrics) and the ModelDeployment's own pods (serving pods
 * mirror a canary's shadow traffic to the candidate's). Kubelet's probes come from the node, which
 * network plugins let through. Enforced only by a network plugin that enforces policies.
 */
public final class NetworkPolicyModel {
  private NetworkPolicyModel() {}

  /** Empty when the spec names no allowFrom: no policy, as before. */
  public static Optional<NetworkPolicy> build(ResolvedModelDeployment md) {
    OperatorIdentity operator = md.access().operatorPods();
    List<NetworkPolicyPeer> allowed = md.access().allowFrom();
    if (allowed.isEmpty()) {
      return Optional.empty();
    }
    List<NetworkPolicyPeer> from = new ArrayList<>(allowed);
    from.add(
        new NetworkPolicyPeerBuilder()
            .withPodSelector(
                new LabelSelectorBuilder().withMatchLabels(Labels.selector(md.name())).build())
            .build());
    from.add(
        new NetworkPolicyPeerBuilder()
            .withNamespaceSelector(
                new LabelSelectorBuilder()
                    .withMatchLabels(Map.of("kubernetes.io/metadata.name", operator.namespace()))
                    .build())
            .withPodSelector(
                new LabelSelectorBuilder().withMatchLabels(operator.podLabels()).build())
            .build());
    return Optional.of(
        new NetworkPolicyBuilder()
            .withMetadata(Owners.metadata(md.owner(), md.name(), Labels.common(md.name())))
            .withNewSpec()
            .withNewPodSelector()
            .withMatchLabels(Labels.selector(md.name()))
            .endPodSelector()
            .withPolicyTypes("Ingress")
            .addNewIngress()
            .withFrom(from)
            .addNewPort()
            .withProtocol("TCP")
            .withPort(new IntOrString(PodLayout.HTTP_PORT))
            .endPort()
            .addNewPort()
            .withProtocol("TCP")
            .withPort(new IntOrString(PodLayout.GRPC_PORT))
            .endPort()
            .endIngress()
            .endSpec()
            .build());
  }
}
