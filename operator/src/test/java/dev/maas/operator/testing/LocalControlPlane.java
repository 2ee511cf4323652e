package dev.maas.operator.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
 * kwok nodes) started through {@code e2e/local-cluster.sh}, the same script a user runs, in a state
 * directory and on ports of its own, so a cluster the user started is never touched.
 */
public final class LocalControlPlane implements AutoCloseable {
  private static final Duration BUILD_AND_START = Duration.ofMinutes(60);

  private final Path repo;
  private final Path state;
  private final int portBase;
  private final Path bin;

  private LocalControlPlane(Path repo, Path state, int portBase, Path bin) {
    this.repo = repo;
    this.state = state;
    this.portBase = portBase;
    this.bin = bin;
  }

  /**
   * Builds the binaries when the cache has none (a cold build takes many minutes), then starts the
   * cluster. A cluster left running in the same state directory by an interrupted run is stopped
   * first.
   */
  public static LocalControlPlane start(Path repo, Path state) {
    return start(repo, state, Map.of());
  }

  /**
   * @param settings more of the script's settings, such as {@code MAAS_CLUSTER_CPU_NODES}
   */
  public static LocalControlPlane start(Path repo, Path state, Map<String, String> settings) {
    int portBase = freePortBase();
    Map<String, String> env = new java.util.HashMap<>(settings);
    env.put("MAAS_CLUSTER_DIR", state.toString());
    env.put("MAAS_CLUSTER_PORT_BASE", Integer.toString(portBase));
    Path log = state.resolveSibling(state.getFileName() + "-up.log");
    script(repo, env, log, Duration.ofMinutes(1), "down");
    script(repo, env, log, BUILD_AND_START, "up");
    try {
      Path bin = Path.of(Files.readString(state.resolve("bin")).trim());
      return new LocalControlPlane(repo, state, portBase, bin);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path kubeconfig() {
    return state.resolve("kubeconfig");
  }

  /**
   * A kubeconfig for the identity {@code maas-operator}, whose every request the API server audits
   * to {@link #auditLog()}.
   */
  public Path operatorKubeconfig() {
    return state.resolve("maas-operator.kubeconfig");
  }

  public Path auditLog() {
    return log("audit");
  }

  public Path stateDir() {
    return state;
  }

  public Path repo() {
    return repo;
  }

  /** The admin's client configuration (system:masters), for tests and the operator under test. */
  public Config config() {
    try {
      return Config.fromKubeconfig(Files.readString(kubeconfig()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(config()).build();
  }

  /** A client whose every request is seen by the counter, as the operator's is in the tests. */
  public KubernetesClient newClient(RequestCounter counter) {
    return new KubernetesClientBuilder()
        .withConfig(config())
        .withHttpClientBuilderConsumer(counter::install)
        .build();
  }

  public Path binary(String name) {
    return bin.resolve(name);
  }

  /** Runs kubectl against this cluster as the admin; fails on a non-zero exit. */
  public String kubectl(String... args) {
    Commands.Result result = kubectlResult(args);
    if (result.exitCode() != 0) {
      throw new AssertionError(
          "kubectl " + String.join(" ", args) + " exited " + result.exitCode() + ": " + result);
    }
    return result.stdout();
  }

  /** Runs kubectl against this cluster as the admin, whatever its exit code. */
  public Commands.Result kubectlResult(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary("kubectl").toString());
    command.add("--kubeconfig=" + kubeconfig());
    command.addAll(List.of(args));
    return Commands.run(command, Map.of(), Duration.ofMinutes(2));
  }

  /**
   * Installs the Gateway API's standard CRDs (HTTPRoute among them), from the Go module proxy
   * through {@code e2e/toolchain/gateway-api-crds.sh}, and waits until they are served; once per
   * cluster is enough, again is harmless.
   */
  public synchronized void installGatewayApiCrds() {
    Commands.Result crds =
        Commands.run(
            List.of(repo.resolve("e2e/toolchain/gateway-api-crds.sh").toString()),
            Map.of(),
            Duration.ofMinutes(3));
    if (crds.exitCode() != 0) {
      throw new AssertionError("gateway-api-crds.sh failed: " + crds);
    }
    kubectl("apply", "--server-side", "-f", crds.stdout().strip());
    // Polled rather than `kubectl wait`, which fails outright when it reads the CRD before the
    // API server has written any status condition.
    try (KubernetesClient client = newClient()) {
      Eventually.until(
          () -> "the HTTPRoute CRD Established",
          Duration.ofSeconds(60),
          Duration.ofMillis(250),
          () -> {
            var crd =
                client
                    .apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName("httproutes.gateway.networking.k8s.io")
                    .get();
            return crd != null
                && crd.getStatus() != null
                && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                    .anyMatch(
                        c -> c.getType().equals("Established") && c.getStatus().equals("True"));
          });
    }
  }

  /** CPU time (user + system) a component of the control plane has used so far. */
  /** CPU time (user + system) a component of the control plane has used so far. */
  public Duration cpuTime(String component) {
    try {
      long pid =
          Long.parseLong(Files.readString(state.resolve("pids/" + component + ".pid")).trim());
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return Duration.ofMillis(ticks * 1000 / 100); // USER_HZ is 100 on Linux
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path log(String component) {
    return state.resolve("logs/" + component + ".log");
  }

  @Override
  public void close() {
    Map<String, String> env =
        Map.of(
            "MAAS_CLUSTER_DIR", state.toString(),
            "MAAS_CLUSTER_PORT_BASE", Integer.toString(portBase));
    script(
        repo,
        env,
        state.resolveSibling(state.getFileName() + "-down.log"),
        Duration.ofMinutes(1),
        "down");
  }

  private static void script(
      Path repo, Map<String, String> env, Path log, Duration timeout, String command) {
    ProcessBuilder builder =
        new ProcessBuilder(repo.resolve("e2e/local-cluster.sh").toString(), command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    try {
      Files.createDirectories(log.getParent());
      Process process = builder.start();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "local-cluster.sh " + command + " took over " + timeout + "; see " + log);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "local-cluster.sh " + command + " failed:\n" + tail(log, 40));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  /** Six consecutive free loopback ports, away from the script's default base. */
  private static int freePortBase() {
    for (int base = 20000 + (int) (ProcessHandle.current().pid() % 100) * 50;
        base < 60000;
        base += 10) {
      if (free(base, 6)) {
        return base;
      }
    }
    throw new IllegalStateException("no 6 consecutive free ports for the local control plane");
  }

  private static boolean free(int base, int count) {
    for (int port = base; port < base + count; port++) {
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
      } catch (IOException inUse) {
        return false;
      }
    }
    return true;
  }
}
