package dev.maas.operator.dependent;

import dev.maas.operator.api.ModelDeployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;

/**
 * The prepare Job of the revision the plan names. Created once and never updated (a Job's pod
 * template is immutable) nor deleted by the workflow: a finished Job goes by its TTL, after its
 * report was copied into the revision; a new spec gets a Job of its own, by name.
 */
public class PrepareJobDependent extends PlannedDependent<Job>
    implements Creator<Job, ModelDeployment> {
  public PrepareJobDependent() {
    super(Job.class);
  }

  @Override
  protected Job desired(ModelDeployment primary, Context<ModelDeployment> context) {
    return PlanHandoff.planOf(context).prepareJob().orElseThrow();
  }
}
