package dev.maas.operator.api;

import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.api.status.ModelDeploymentStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A model served over the Open Inference Protocol: the artifact, where it runs, how many replicas,
 * an optional compression step and the rollout policy. The operator turns it into runtime pods, a
 * Service and (with autoscaling) an HPA, and reports progress in its status.
 *
 * <p>The name becomes the Service's name, so it must be a DNS-1035 label (the rule below); checking
 * it at apply time is kinder than a Service that later fails to be created.
 */
@Group(CrdConstants.GROUP)
@Version(CrdConstants.VERSION)
@Plural(CrdConstants.PLURAL)
@ShortNames({"md", "mdep"})
@ValidationRule(
    value =
        "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$') && size(self.metadata.name) <= 63",
    message =
        "metadata.name must be a DNS-1035 label (lower-case letters, digits and '-', starting with"
            + " a letter, at most 63 characters): it becomes the name of the model's Service")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Revision",
    jsonPath = ".status.currentRevision",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Replicas",
    jsonPath = ".status.readyReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "URL",
    jsonPath = ".status.url",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ModelDeployment extends CustomResource<ModelDeploymentSpec, ModelDeploymentStatus>
    implements Namespaced {

  /**
   * The API server defaults the status to {@code {observedGeneration: 0}}: kstatus (what Flux waits
   * with) calls an object with neither conditions nor an observed generation Current, so without it
   * a ModelDeployment applied a moment before the operator saw it would read as done.
   */
  @Override
  @Default("{}")
  public ModelDeploymentStatus getStatus() {
    return super.getStatus();
  }
}
