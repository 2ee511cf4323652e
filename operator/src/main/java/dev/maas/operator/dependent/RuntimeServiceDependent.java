package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.model.ServiceModel;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The Service in front of the runtime pods. */
public class RuntimeServiceDependent extends ResolvedDependent<Service> {
  public RuntimeServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(ModelDeployment primary, Context<ModelDeployment> context) {
    return ServiceModel.build(resolved(context));
  }
}
