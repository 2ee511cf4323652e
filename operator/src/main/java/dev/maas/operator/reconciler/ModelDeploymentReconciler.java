package dev.maas.operator.reconciler;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.status.ModelDeploymentStatus;
import dev.maas.operator.config.OperatorConfig;
import dev.maas.operator.dependent.AutoscalerDependent;
import dev.maas.operator.dependent.AutoscalingRequested;
import dev.maas.operator.dependent.ResolvedDependent;
import dev.maas.operator.dependent.RuntimeDeploymentDependent;
import dev.maas.operator.dependent.RuntimeServiceDependent;
import dev.maas.operator.model.ResolvedModelDeployment;
import dev.maas.operator.status.Conditions;
import dev.maas.operator.status.StatusFactory;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observe, decide, apply, report. The spec is first resolved against the operator's configuration;
 * a spec that cannot be served stops there with Stalled and a Warning event, and nothing is
 * applied. Otherwise the owned objects are applied (each only when it lacks part of its desired
 * state) and the status is written only when it changed, so a no-op reconcile writes nothing at
 * all.
 */
@ControllerConfiguration(name = ModelDeploymentReconciler.FIELD_MANAGER)
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = "deployment", type = RuntimeDeploymentDependent.class),
      @Dependent(name = "service", type = RuntimeServiceDependent.class),
      @Dependent(
          name = "autoscaler",
          type = AutoscalerDependent.class,
          reconcilePrecondition = AutoscalingRequested.class)
    })
public class ModelDeploymentReconciler implements Reconciler<ModelDeployment> {
  private static final Logger LOG = LoggerFactory.getLogger(ModelDeploymentReconciler.class);

  /**
   * The controller name, which java-operator-sdk uses as the one server-side apply field manager.
   */
  public static final String FIELD_MANAGER = "maas-operator";

  private final OperatorConfig config;
  private final StatusFactory statuses;
  private final EventRecorder events;

  public ModelDeploymentReconciler(
      OperatorConfig config, Conditions conditions, EventRecorder events) {
    this.config = config;
    this.statuses = new StatusFactory(conditions);
    this.events = events;
  }

  @Override
  public UpdateControl<ModelDeployment> reconcile(
      ModelDeployment md, Context<ModelDeployment> context) {
    Optional<Deployment> deployment = context.getSecondaryResource(Deployment.class);
    ResolvedModelDeployment.Resolution resolution = ResolvedModelDeployment.resolve(md, config);
    ModelDeploymentStatus status;
    if (resolution.stalledReason().isPresent()) {
      String reason = resolution.stalledReason().get();
      status = statuses.stalled(md, "InvalidSpec", reason, deployment);
      if (!wasStalledFor(md, reason)) {
        events.warning(md, "InvalidSpec", reason);
      }
    } else {
      ResolvedModelDeployment resolved = resolution.resolved().get();
      context
          .managedWorkflowAndDependentResourceContext()
          .put(ResolvedDependent.RESOLVED, resolved);
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
      List<String> changes = ResolvedDependent.changes(context);
      if (!changes.isEmpty()) {
        // One event per reconcile, not per object: at scale every event is an API write.
        events.normal(md, "Applied", String.join(", ", changes));
      }
      status = statuses.observed(resolved, context.getSecondaryResource(Deployment.class));
    }
    boolean statusChanged = !Objects.equals(status, md.getStatus());
    LOG.debug(
        "reconciled namespace={} name={} statusChanged={}",
        md.getMetadata().getNamespace(),
        md.getMetadata().getName(),
        statusChanged);
    if (!statusChanged) {
      return UpdateControl.noUpdate();
    }
    ModelDeployment patch = new ModelDeployment();
    patch.getMetadata().setName(md.getMetadata().getName());
    patch.getMetadata().setNamespace(md.getMetadata().getNamespace());
    patch.setStatus(status);
    // Patched here rather than through UpdateControl so the result goes into the cache: a
    // reconcile that runs before the informer sees this write must not write it again.
    PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(md, patch, context);
    return UpdateControl.noUpdate();
  }

  private static boolean wasStalledFor(ModelDeployment md, String message) {
    return md.getStatus() != null
        && md.getStatus().conditions() != null
        && md.getStatus().conditions().stream()
            .anyMatch(
                c ->
                    Conditions.STALLED.equals(c.getType())
                        && "True".equals(c.getStatus())
                        && message.equals(c.getMessage()));
  }
}
