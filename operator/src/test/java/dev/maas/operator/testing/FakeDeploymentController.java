package dev.maas.operator.testing;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Plays the cluster's Deployment controller: the rollout completes, or misses its deadline. */
public final class FakeDeploymentController {
  private final KubernetesClient client;

  public FakeDeploymentController(KubernetesClient client) {
    this.client = client;
  }

  public void becomeAvailable(String namespace, String name) {
    Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    d.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .withReadyReplicas(replicas)
            .withAvailableReplicas(replicas)
            .addToConditions(
                new DeploymentConditionBuilder().withType("Available").withStatus("True").build())
            .build());
    OperatorHarness.retryOnConflict(
        () -> client.apps().deployments().inNamespace(namespace).resource(d).updateStatus());
  }

  public void missProgressDeadline(String namespace, String name) {
    Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
    d.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(1)
            .withUpdatedReplicas(1)
            .withReadyReplicas(0)
            .addToConditions(
                new DeploymentConditionBuilder()
                    .withType("Progressing")
                    .withStatus("False")
                    .withReason("ProgressDeadlineExceeded")
                    .withMessage("ReplicaSet \"" + name + "-1\" has timed out progressing.")
                    .build())
            .build());
    client.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
  }

  /** What an HPA does to the Deployment it scales. */
  public void scaleAsHpa(String namespace, String name, int replicas) {
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName(name)
        .edit(
            d -> {
              d.getSpec().setReplicas(replicas);
              return d;
            });
  }
}
