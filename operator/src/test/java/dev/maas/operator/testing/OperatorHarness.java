package dev.maas.operator.testing;

import dev.maas.operator.OperatorAssembly;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The operator running against the apply-aware CRUD mock server, as in a cluster. */
public final class OperatorHarness implements AutoCloseable {
  private final KubernetesMockServer server;
  private final ApplyAwareCrudDispatcher dispatcher;
  private final KubernetesClient client;
  private final Operator operator;

  public OperatorHarness(OperatorConfig config) {
    dispatcher =
        new ApplyAwareCrudDispatcher(
            List.of(CustomResourceDefinitionContext.fromCustomResourceType(ModelDeployment.class)));
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    client = server.createClient();
    operator = OperatorAssembly.create(client, config, Clock.systemUTC(), Optional.empty());
    operator.start();
  }

  public KubernetesClient client() {
    return client;
  }

  public Operator operator() {
    return operator;
  }

  public ApplyAwareCrudDispatcher dispatcher() {
    return dispatcher;
  }

  /** Polls until the condition holds (controllers are asynchronous), or fails after 15 s. */
  public static void await(String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      try {
        if (Boolean.TRUE.equals(condition.get())) {
          return;
        }
      } catch (RuntimeException notYet) {
        // the object may not exist yet
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
    throw new AssertionError("timed out waiting for " + what);
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
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 20) {
          throw e;
        }
        settle(Duration.ofMillis(20));
      }
    }
  }

  public static void settle(Duration quiet) {
    try {
      Thread.sleep(quiet.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops this harness's operator (another one may take over, as after a restart). */
  public void stopOperator() {
    operator.stop();
  }

  @Override
  public void close() {
    operator.stop();
    client.close();
    server.destroy();
  }
}
