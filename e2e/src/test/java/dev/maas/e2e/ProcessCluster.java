package dev.maas.e2e;

import dev.maas.e2e.kubelet.ProcessKubelet;
import dev.maas.operator.testing.Commands;
import dev.maas.operator.testing.Eventually;
import dev.maas.operator.testing.LocalControlPlane;
import dev.maas.operator.testing.S3Gateway;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One end-to-end cluster for every test class that asks for it (a JUnit parameter): the local
 * control plane, a kubelet played by local processes, a web server for the example models, and the
 * operator jar as its own process. Kept in JUnit's root store, so it starts once per run and stops
 * after the last class; starting one per class would cost a minute of CI each.
 */
final class ProcessCluster implements ParameterResolver, ExtensionContext.Store.CloseableResource {
  static final Path REPO =
      Path.of(System.getProperty("maas.repoRoot")).toAbsolutePath().normalize();
  static final Path EXAMPLES = REPO.resolve("examples");
  private static final int HEALTH_PORT = 18281;

  private LocalControlPlane cluster;
  private KubernetesClient client;
  private ProcessKubelet kubelet;
  private ModelServer models;
  private S3Gateway s3;
  private Path s3Ca;
  private Process operator;
  private Path work;
  private FixedCustomMetricsAdapter customMetrics;

  /** The extension, for {@code @ExtendWith}; the cluster itself lives in the root store. */
  public ProcessCluster() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ProcessCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(
            ProcessCluster.class,
            key -> {
              ProcessCluster started = new ProcessCluster();
              try {
                started.start();
              } catch (Exception e) {
                started.close();
                throw new IllegalStateException("the end-to-end cluster did not start", e);
              }
              return started;
            },
            ProcessCluster.class);
  }

  private void start() throws Exception {
    Path target = REPO.resolve("e2e/target");
    work = target.resolve("e2e-work");
    Files.createDirectories(work);
    // No kwok CPU nodes: every CPU pod lands on the process kubelet's nodes.
    cluster =
        LocalControlPlane.start(
            REPO, target.resolve("local-cluster"), Map.of("MAAS_CLUSTER_CPU_NODES", "0"));
    client = cluster.newClient();
    kubelet =
        new ProcessKubelet(
            client,
            new ProcessKubelet.Settings(
                "process",
                2,
                work.resolve("kubelet"),
                Path.of(System.getProperty("maas.runtimeJar")),
                "maase2e0",
                "10.251"));
    Path modelFiles = work.resolve("models");
    Files.createDirectories(modelFiles);
    for (String model :
        List.of(
            "digits_mlp.pt",
            "digits_mlp_qdynamic.pt",
            "digits_mlp_scrambled.pt",
            "digits_mlp_nan_rows.pt",
            "digits_mlp_slow.pt",
            "digits_student.pt",
            "digits_unlabelled.safetensors")) {
      Files.copy(
          EXAMPLES.resolve("models").resolve(model),
          modelFiles.resolve(model),
          StandardCopyOption.REPLACE_EXISTING);
    }
    byte[] corrupt = new byte[4096];
    new Random(7).nextBytes(corrupt);
    Files.write(modelFiles.resolve("corrupt.pt"), corrupt);
    models = new ModelServer(kubelet.hostIp(), 0, modelFiles);
    startOperator();
  }

  /** Starts the operator jar (again, after {@link #stopOperator}); waits until it is ready. */
  void startOperator() throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                "java",
                "-Xmx256m",
                "-jar",
                System.getProperty("maas.operatorJar"),
                "run",
                "--config",
                EXAMPLES.resolve("operator-config.yaml").toString(),
                "--health-port",
                Integer.toString(HEALTH_PORT))
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(work.resolve("operator.log").toFile()));
    builder.environment().put("KUBECONFIG", cluster.operatorKubeconfig().toString());
    Process process = builder.start();
    operator = process;
    Eventually.until(
        () -> "the operator ready",
        Duration.ofSeconds(60),
        Duration.ofMillis(250),
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException(
                "the operator exited; see " + work.resolve("operator.log"));
          }
          return get("http://127.0.0.1:" + HEALTH_PORT + "/readyz") == 200;
        });
  }

  /** Kills the operator as a node failure would: no graceful shutdown. */
  void stopOperator() throws InterruptedException {
    operator.destroyForcibly();
    operator.waitFor();
  }

  LocalControlPlane controlPlane() {
    return cluster;
  }

  KubernetesClient client() {
    return client;
  }

  ProcessKubelet kubelet() {
    return kubelet;
  }

  ModelServer models() {
    return models;
  }

  /**
   * An S3-compatible store (versitygw) on the host's address on the pods' bridge, over HTTPS with a
   * test CA ({@link #s3Ca()}); started on first use, since most tests fetch over HTTP.
   */
  synchronized S3Gateway s3() throws Exception {
    if (s3 == null) {
      Path dir = Files.createDirectories(work.resolve("s3"));
      s3Ca = TestIssuer.issue(dir.resolve("tls"), kubelet.hostIp(), "IP:" + kubelet.hostIp());
      s3 =
          S3Gateway.start(
              REPO,
              dir,
              kubelet.hostIp(),
              Optional.of(
                  new Path[] {dir.resolve("tls/server.crt"), dir.resolve("tls/server.key")}));
    }
    return s3;
  }

  /** The CA that signs {@link #s3()}'s certificate. */
  synchronized Path s3Ca() throws Exception {
    s3();
    return s3Ca;
  }

  /**
   * The custom metrics API the HPA controller reads, played by {@link FixedCustomMetricsAdapter};
   * registered on first use, since most tests never autoscale.
   */
  synchronized FixedCustomMetricsAdapter customMetrics() throws Exception {
    if (customMetrics == null) {
      customMetrics = FixedCustomMetricsAdapter.start(client, kubelet.hostIp(), work);
    }
    return customMetrics;
  }

  Path work() {
    return work;
  }

  /**
   * A fresh namespace for one scenario ({@code prefix-xxxxxx}), once its default ServiceAccount
   * exists (pods cannot be created before).
   */
  String namespace(String prefix) {
    String ns = prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 6);
    KubernetesClient kube = client();
    kube.namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .endMetadata()
                .build())
        .create();
    Eventually.until(
        () -> "the default ServiceAccount of " + ns,
        Duration.ofSeconds(30),
        Duration.ofMillis(250),
        () -> kube.serviceAccounts().inNamespace(ns).withName("default").get() != null);
    return ns;
  }

  /** kubectl maas, as a user runs it: kubectl finds the plugin on the PATH. */
  Commands.Result plugin(String ns, String... args) {
    List<String> command = new ArrayList<>(List.of(cluster.binary("kubectl").toString(), "maas"));
    command.addAll(List.of(args));
    command.addAll(List.of("-n", ns));
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().put("PATH", REPO.resolve("operator/bin") + ":" + System.getenv("PATH"));
      builder.environment().put("MAAS_OPERATOR_JAR", System.getProperty("maas.operatorJar"));
      builder.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
      Process process = builder.start();
      String out = new String(process.getInputStream().readAllBytes());
      String err = new String(process.getErrorStream().readAllBytes());
      process.waitFor(60, TimeUnit.SECONDS);
      return new Commands.Result(process.exitValue(), out, err);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The status code of a GET, or -1 when nothing answers (within 2 s). */
  static int get(String url) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public void close() {
    if (s3 != null) {
      try {
        s3.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (customMetrics != null) {
      customMetrics.close();
    }
    if (operator != null) {
      operator.destroy();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (models != null) {
      models.close();
    }
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }
}
