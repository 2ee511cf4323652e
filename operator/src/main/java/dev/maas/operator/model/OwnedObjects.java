package dev.maas.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/** Everything the operator applies for one ModelDeployment, in apply order. */
public final class OwnedObjects {
  private OwnedObjects() {}

  public static List<HasMetadata> of(ResolvedModelDeployment md) {
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(DeploymentModel.build(md));
    objects.add(ServiceModel.build(md));
    AutoscalerModel.build(md).ifPresent(objects::add);
    return objects;
  }
}
