package dev.maas.operator.testing;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.app.OperatorAssembly;
import dev.maas.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The operator, in this JVM, against the local control plane: it watches one namespace of its own
 * (so tests never see each other's objects), through a client whose every write is counted. In that
 * namespace, test doubles play what the cluster has no process for: a volume provisioner, the
 * kubelet of prepare Jobs ({@link FakeJobRunner}) and of crashing runtime images ({@link
 * CrashingImageKubelet}); kwok plays the kubelet of every other pod.
 */
public final class OperatorHarness implements AutoCloseable {
  private final LocalControlPlane cluster;
  private final OperatorConfig config;
  private final String namespace;
  private final KubernetesClient client;
  private final RequestCounter operatorRequests = new RequestCounter();
  private final HostPathProvisioner volumes;
  private final FakeJobRunner jobs;
  private final CrashingImageKubelet crashingImages;
  private KubernetesClient operatorClient;
  private Operator operator;

  public OperatorHarness(LocalControlPlane cluster, OperatorConfig config) {
    this.cluster = cluster;
    this.namespace = "t-" + UUID.randomUUID().toString().substring(0, 8);
    this.config =
        new OperatorConfig(
            config.nodePools(),
            config.defaults(),
            List.of(this.namespace),
            config.trafficRouting());
    this.client = cluster.newClient();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    volumes = HostPathProvisioner.forNamespace(client, namespace);
    jobs = new FakeJobRunner(client, namespace);
    crashingImages = new CrashingImageKubelet(client, namespace);
    startOperator();
  }

  /** Plays the kubelet for the namespace's prepare Jobs: they end as the test says. */
  public FakeJobRunner jobs() {
    return jobs;
  }

  /** Starts an operator (again, after {@link #stopOperator()}: a restart with empty caches). */
  public void startOperator() {
    operatorClient = cluster.newClient(operatorRequests);
    operator = OperatorAssembly.create(operatorClient, config, Clock.systemUTC(), Optional.empty());
    operator.start();
  }

  public void stopOperator() {
    operator.stop();
    operatorClient.close();
  }

  /** The test's own client (not counted). */
  public KubernetesClient client() {
    return client;
  }

  public String namespace() {
    return namespace;
  }

  public Operator operator() {
    return operator;
  }

  /** Every write the operator sent, as "METHOD path". */
  public RequestCounter operatorRequests() {
    return operatorRequests;
  }

  public ModelDeployment modelDeployment(String name) {
    return client.resources(ModelDeployment.class).inNamespace(namespace).withName(name).get();
  }

  /** Changes the spec as a user would, retrying when the operator's writes get in between. */
  public void editSpec(String name, UnaryOperator<ModelDeploymentSpec> change) {
    retryOnConflict(
        () ->
            client
                .resources(ModelDeployment.class)
                .inNamespace(namespace)
                .withName(name)
                .edit(
                    md -> {
                      md.setSpec(change.apply(md.getSpec()));
                      return md;
                    }));
  }

  public ModelDeployment create(ModelDeployment md) {
    md.getMetadata().setNamespace(namespace);
    return client.resource(md).create();
  }

  /**
   * Polls until the condition holds, or fails after 60 s with what the namespace holds, so that a
   * failure in CI explains itself.
   */
  public void await(String what, Supplier<Boolean> condition) {
    await(what, Duration.ofSeconds(60), condition);
  }

  public void await(String what, Duration timeout, Supplier<Boolean> condition) {
    try {
      poll(what, timeout, condition);
    } catch (AssertionError timedOut) {
      throw new AssertionError(timedOut.getMessage() + "\n" + describe(), timedOut);
    }
  }

  /**
   * The namespace's objects, the ModelDeployments' status and recent events, as kubectl shows them.
   */
  public String describe() {
    try {
      return cluster.kubectl(
              "-n",
              namespace,
              "get",
              "md,deploy,rs,pods,jobs,pvc,svc,hpa,controllerrevisions",
              "-o",
              "wide")
          + cluster.kubectl("-n", namespace, "get", "md", "-o", "yaml")
          + cluster.kubectl("-n", namespace, "get", "events", "--sort-by=.lastTimestamp");
    } catch (AssertionError e) {
      return "(could not describe the namespace: " + e.getMessage() + ")";
    }
  }

  /** Polls until the condition holds (controllers are asynchronous). */
  public static void poll(String what, Duration timeout, Supplier<Boolean> condition) {
    Eventually.until(what, timeout, condition::get);
  }

  /**
   * Runs a client write, retrying on 409: the operator writes the same objects concurrently, and
   * any client of a real API server retries optimistic-concurrency conflicts the same way.
   */
  public static void retryOnConflict(Runnable write) {
    for (int attempt = 1; ; attempt++) {
      try {
        write.run();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 20) {
          throw e;
        }
        settle(Duration.ofMillis(50));
      }
    }
  }

  public static void settle(Duration quiet) {
    try {
      TimeUnit.MILLISECONDS.sleep(quiet.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stopOperator();
    crashingImages.close();
    jobs.close();
    volumes.close();
    // The namespace controller and the garbage collector remove the rest.
    client.namespaces().withName(namespace).delete();
    client.close();
  }
}
