package dev.maas.operator.render;

import dev.maas.contract.PodLayout;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/** The ClusterIP Service in front of the runtime pods, whatever revision they run. */
public final class ServiceModel {
  private ServiceModel() {}

  public static Service build(ResolvedModelDeployment md) {
    return new ServiceBuilder()
        .withMetadata(Owners.metadata(md.owner(), md.name(), Labels.common(md.name())))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(Labels.selector(md.name()))
        .addNewPort()
        .withName("http")
        .withPort(PodLayout.HTTP_PORT)
        .withTargetPort(new IntOrString("http"))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }
}
