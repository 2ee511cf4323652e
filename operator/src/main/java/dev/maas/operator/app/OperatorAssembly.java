package dev.maas.operator.app;

import dev.maas.operator.canary.HttpPodScraper;
import dev.maas.operator.canary.PodScraper;
import dev.maas.operator.config.OperatorConfig;
import dev.maas.operator.hub.HubRevisions;
import dev.maas.operator.reconciler.EventRecorder;
import dev.maas.operator.reconciler.ModelDeploymentReconciler;
import dev.maas.operator.revision.TemplateHasher;
import dev.maas.operator.status.Conditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
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

  /**
   * Who holds the Lease: the pod's name (the chart passes POD_NAME), or, outside a pod, the host
   * and process, so that two operators on one machine never take each other for themselves.
   */
  public static String leaseIdentity() {
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "localhost";
    }
    return host + "-" + ProcessHandle.current().pid();
  }

  public static Operator create(
      KubernetesClient client,
      OperatorConfig config,
      Clock clock,
      Optional<LeaderElection> leaderElection) {
    return create(client, config, clock, leaderElection, new OperatorMetrics());
  }

  public static Operator create(
      KubernetesClient client,
      OperatorConfig config,
      Clock clock,
      Optional<LeaderElection> leaderElection,
      OperatorMetrics metrics) {
    return create(client, config, clock, leaderElection, metrics, new HttpPodScraper());
  }

  /**
   * @param scraper reads runtime pods' metrics for canaries (a test plays the pods with canned
   *     metrics where no runtime runs)
   */
  public static Operator create(
      KubernetesClient client,
      OperatorConfig config,
      Clock clock,
      Optional<LeaderElection> leaderElection,
      OperatorMetrics metrics,
      PodScraper scraper) {
    Operator operator =
        new Operator(
            o -> {
              // Ordering events and cached writes by resourceVersion keeps a reconcile from
              // reading a status older than the one it just wrote (and writing it again); etcd's
              // resourceVersions are ordered integers, and later java-operator-sdk versions
              // turn this on by default.
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withParseResourceVersions(true)
                  .withMetrics(metrics);
              leaderElection.ifPresent(
                  election -> o.withLeaderElectionConfiguration(election.configuration()));
            });
    ModelDeploymentReconciler reconciler =
        new ModelDeploymentReconciler(
            config,
            new Conditions(clock),
            new EventRecorder(client, clock),
            clock,
            TemplateHasher.SHA256,
            scraper,
            metrics.rollouts(),
            // Asked again every 10 minutes: a branch that moves rolls out its new commit then.
            new HubRevisions(Duration.ofMinutes(10), Duration.ofSeconds(5), clock));
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
