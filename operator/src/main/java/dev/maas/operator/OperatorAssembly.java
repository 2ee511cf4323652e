package dev.maas.operator;

import dev.maas.operator.config.OperatorConfig;
import dev.maas.operator.reconciler.EventRecorder;
import dev.maas.operator.reconciler.ModelDeploymentReconciler;
import dev.maas.operator.revision.TemplateHasher;
import dev.maas.operator.status.Conditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;

/**
 * Wires the operator from its parts, the same way for the real process and for tests: one client,
 * the configuration, the reconciler, the namespaces to watch and, when two replicas run, leader
 * election through a Lease.
 */
public final class OperatorAssembly {
  public static final String LEASE_NAME = "maas-operator-leader";

  private OperatorAssembly() {}

  public static Operator create(
      KubernetesClient client,
      OperatorConfig config,
      Clock clock,
      Optional<String> leaseNamespace) {
    Operator operator =
        new Operator(
            o -> {
              // Ordering events and cached writes by resourceVersion keeps a reconcile from
              // reading a status older than the one it just wrote (and writing it again); etcd's
              // resourceVersions are ordered integers, and later java-operator-sdk versions
              // turn this on by default.
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withParseResourceVersions(true);
              leaseNamespace.ifPresent(
                  ns ->
                      o.withLeaderElectionConfiguration(
                          new LeaderElectionConfiguration(LEASE_NAME, ns)));
            });
    ModelDeploymentReconciler reconciler =
        new ModelDeploymentReconciler(
            config,
            new Conditions(clock),
            new EventRecorder(client, clock),
            clock,
            TemplateHasher.SHA256);
    operator.register(
        reconciler,
        overrider -> {
          if (config.watchNamespaces().isEmpty()) {
            overrider.watchingAllNamespaces();
          } else {
            overrider.settingNamespaces(new HashSet<>(config.watchNamespaces()));
          }
        });
    return operator;
  }
}
