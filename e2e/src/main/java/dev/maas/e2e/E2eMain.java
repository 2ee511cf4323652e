package dev.maas.e2e;

import dev.maas.e2e.kubelet.ProcessKubelet;
import dev.maas.operator.config.OperatorConfig;
import dev.maas.operator.testing.FakeNodes;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code maas-e2e.jar kubelet | proxy | fake-nodes}: the local cluster's test doubles as processes,
 * for {@code e2e/local-cluster.sh demo} and for anyone who wants to run models on the local
 * cluster.
 */
@Command(
    name = "maas-e2e",
    mixinStandardHelpOptions = true,
    subcommands = {E2eMain.Kubelet.class, E2eMain.Proxy.class, E2eMain.FakeNodesCommand.class})
public final class E2eMain implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new E2eMain()).execute(args));
  }

  static KubernetesClient client(Path kubeconfig) throws java.io.IOException {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
        .build();
  }

  static void runUntilStopped(AutoCloseable... parts) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (AutoCloseable part : parts) {
                    try {
                      part.close();
                    } catch (Exception e) {
                      System.err.println("stopping: " + e);
                    }
                  }
                  stopped.countDown();
                }));
    stopped.await();
  }

  /** The process kubelet, and a model server on the pods' bridge. */
  @Command(
      name = "kubelet",
      mixinStandardHelpOptions = true,
      description = "Play the kubelet of some nodes with local processes.")
  static final class Kubelet implements Callable<Integer> {
    @Option(names = "--kubeconfig", required = true)
    Path kubeconfig;

    @Option(
        names = "--state",
        required = true,
        description = "Directory for pods' volumes and logs.")
    Path state;

    @Option(names = "--runtime-jar", required = true)
    Path runtimeJar;

    @Option(names = "--nodes", defaultValue = "2")
    int nodes;

    @Option(names = "--node-prefix", defaultValue = "process")
    String nodePrefix;

    @Option(names = "--bridge", defaultValue = "maasdemo0")
    String bridge;

    @Option(
        names = "--subnet",
        defaultValue = "10.250",
        description = "First two octets of the pods' /16.")
    String subnet;

    @Option(names = "--models", description = "Serve these model files to the pods.")
    Path models;

    @Option(names = "--models-port", defaultValue = "8000")
    int modelsPort;

    @Override
    public Integer call() throws Exception {
      KubernetesClient client = client(kubeconfig);
      ProcessKubelet kubelet =
          new ProcessKubelet(
              client,
              new ProcessKubelet.Settings(nodePrefix, nodes, state, runtimeJar, bridge, subnet));
      ModelServer modelServer =
          models == null
              ? null
              : new ModelServer(kubelet.hostIp(), modelsPort, models.toAbsolutePath());
      System.out.println(
          "process kubelet: nodes "
              + kubelet.nodes()
              + (modelServer == null ? "" : ", models at " + modelServer.url("")));
      System.out.flush();
      if (modelServer == null) {
        runUntilStopped(kubelet, client);
      } else {
        runUntilStopped(modelServer, kubelet, client);
      }
      return 0;
    }
  }

  /** kube-proxy for one Service, on a local port. */
  @Command(
      name = "proxy",
      mixinStandardHelpOptions = true,
      description = "Forward a local port to a Service's ready endpoints.")
  static final class Proxy implements Callable<Integer> {
    @Option(names = "--kubeconfig", required = true)
    Path kubeconfig;

    @Option(
        names = {"-n", "--namespace"},
        defaultValue = "default")
    String namespace;

    @Option(names = "--service", required = true)
    String service;

    @Option(names = "--port", defaultValue = "18080")
    int port;

    @Override
    public Integer call() throws Exception {
      KubernetesClient client = client(kubeconfig);
      ServiceProxy proxy = new ServiceProxy(client, namespace, service, "http", port);
      System.out.println(
          "proxy: 127.0.0.1:" + proxy.port() + " -> service " + namespace + "/" + service);
      System.out.flush();
      runUntilStopped(proxy, client);
      return 0;
    }
  }

  /** The local cluster's kwok nodes, from the operator's configuration. */
  @Command(
      name = "fake-nodes",
      mixinStandardHelpOptions = true,
      description =
          "Print the local cluster's fake nodes (a v1 List, JSON) for the operator configuration's"
              + " node pools.")
  static final class FakeNodesCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "Operator configuration.")
    Path config;

    @Option(names = "--cpu-nodes", defaultValue = "2")
    int cpuNodes;

    @Option(names = "--nodes-per-pool", defaultValue = "2")
    int perPool;

    @Override
    public Integer call() throws Exception {
      System.out.println(FakeNodes.json(OperatorConfig.read(config), cpuNodes, perPool));
      return 0;
    }
  }
}
