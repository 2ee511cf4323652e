package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.model.DeploymentModel;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The runtime pods. */
public class RuntimeDeploymentDependent extends ResolvedDependent<Deployment> {
  public RuntimeDeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(ModelDeployment primary, Context<ModelDeployment> context) {
    return DeploymentModel.build(resolved(context));
  }
}
