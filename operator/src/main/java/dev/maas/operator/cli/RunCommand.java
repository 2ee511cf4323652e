package dev.maas.operator.cli;

import dev.maas.operator.app.HealthServer;
import dev.maas.operator.app.LeaderElection;
import dev.maas.operator.app.OperatorAssembly;
import dev.maas.operator.app.OperatorMetrics;
import dev.maas.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run}: the operator against the current kubeconfig or the in-cluster service account. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the operator.")
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(
      names = "--config",
      defaultValue = "${env:MAAS_OPERATOR_CONFIG:-/etc/maas-operator/config.yaml}",
      description = "Operator configuration file; absent file: no node pools and no defaults.")
  Path config;

  @Option(
      names = "--health-port",
      defaultValue = "${env:MAAS_HEALTH_PORT:-8081}",
      description = "Port of /healthz and /readyz.")
  int healthPort;

  @Option(
      names = "--lease-namespace",
      defaultValue = "${env:POD_NAMESPACE}",
      description =
          "Namespace of the leader-election Lease; leader election is on whenever it is set (env POD_NAMESPACE).")
  String leaseNamespace;

  /** The configuration is unreadable, or the API server cannot be reached or lacks the CRD. */
  public static final int EXIT_CANNOT_START = 1;

  @Override
  public Integer call() throws Exception {
    OperatorConfig operatorConfig;
    try {
      operatorConfig =
          Files.isRegularFile(config) ? OperatorConfig.read(config) : OperatorConfig.empty();
    } catch (IOException e) {
      System.err.println("maas-operator: " + config + ": " + CliErrors.describe(e));
      return EXIT_CANNOT_START;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    Optional<String> unreachable = ApiServerCheck.problem(client.getConfiguration());
    if (unreachable.isPresent()) {
      System.err.println("maas-operator: " + unreachable.get());
      client.close();
      return EXIT_CANNOT_START;
    }
    LOG.info(
        "starting: node pools {}, watching {}, leader election {}",
        operatorConfig.poolNames(),
        operatorConfig.watchNamespaces().isEmpty()
            ? "all namespaces"
            : operatorConfig.watchNamespaces(),
        leaseNamespace == null
            ? "off"
            : "on (Lease " + OperatorAssembly.LEASE_NAME + " in " + leaseNamespace + ")");
    OperatorMetrics metrics = new OperatorMetrics();
    Optional<LeaderElection> election =
        Optional.ofNullable(leaseNamespace)
            .map(ns -> new LeaderElection(ns, OperatorAssembly.leaseIdentity()));
    Operator operator =
        OperatorAssembly.create(client, operatorConfig, Clock.systemUTC(), election, metrics);
    CountDownLatch stopped = new CountDownLatch(1);
    try (HealthServer health = new HealthServer(healthPort, operator, metrics)) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    election.ifPresent(LeaderElection::shuttingDown);
                    operator.stop();
                    election.ifPresent(e -> e.release(client));
                    client.close();
                    stopped.countDown();
                  },
                  "shutdown"));
      operator.start();
      stopped.await();
    }
    return 0;
  }
}
