package dev.maas.operator.render;

import dev.maas.contract.PodLayout;
import dev.maas.operator.api.CrdConstants;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The ClusterIP Services in front of the runtime pods. */
public final class ServiceModel {
  private ServiceModel() {}

  /**
   * The ModelDeployment's Service, in front of every runtime pod whatever revision it runs; while
   * an HTTPRoute weighs a canary, only in front of the serving revision's pods ({@code
   * servingOnly}), since the candidate's, ready for the route, must not take this Service's traffic
   * too.
   */
  public static Service build(ResolvedModelDeployment md, Optional<Long> servingOnly) {
    Map<String, String> selector = new LinkedHashMap<>(Labels.selector(md.name()));
    servingOnly.ifPresent(r -> selector.put(CrdConstants.LABEL_REVISION, Long.toString(r)));
    return service(md, md.name(), Labels.common(md.name()), selector);
  }

  public static Service build(ResolvedModelDeployment md) {
    return build(md, Optional.empty());
  }

  /**
   * The candidate's own Service ({@code <name>-canary}) while an HTTPRoute weighs a canary: the
   * route's second backend. Its pods enter it when the operator puts them live, as they would enter
   * the ModelDeployment's.
   */
  public static Service buildCanary(ResolvedModelDeployment md) {
    Map<String, String> selector = new LinkedHashMap<>(Labels.selector(md.name()));
    selector.put(CrdConstants.LABEL_ROLE, CrdConstants.ROLE_CANARY);
    Map<String, String> labels = new LinkedHashMap<>(Labels.common(md.name()));
    labels.put(CrdConstants.LABEL_ROLE, CrdConstants.ROLE_CANARY);
    return service(md, DeploymentModel.canaryName(md.name()), labels, selector);
  }

  private static Service service(
      ResolvedModelDeployment md,
      String name,
      Map<String, String> labels,
      Map<String, String> selector) {
    return new ServiceBuilder()
        .withMetadata(Owners.metadata(md.owner(), name, labels))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(selector)
        .addNewPort()
        .withName(md.access().scheme())
        // Tells a gateway or mesh in front to speak TLS to the pods.
        .withAppProtocol(md.access().https() ? "https" : null)
        .withPort(PodLayout.HTTP_PORT)
        .withTargetPort(new IntOrString(md.access().scheme()))
        .withProtocol("TCP")
        .endPort()
        // The Open Inference Protocol over gRPC: h2c in plaintext (what a GRPCRoute's or a mesh's
        // proxy must speak to it), h2 negotiated by ALPN over TLS.
        .addNewPort()
        .withName(PodLayout.GRPC_PORT_NAME)
        .withAppProtocol(md.access().https() ? "https" : "kubernetes.io/h2c")
        .withPort(PodLayout.GRPC_PORT)
        .withTargetPort(new IntOrString(PodLayout.GRPC_PORT_NAME))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }
}
