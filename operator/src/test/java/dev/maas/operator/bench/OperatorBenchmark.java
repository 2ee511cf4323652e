package dev.maas.operator.bench;

import dev.maas.operator.OperatorAssembly;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.testing.OperatorHarness;
import dev.maas.operator.testing.TestModelDeployments;
import dev.maas.operator.testing.TestOperatorConfigs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Scale benchmark against the apply-aware mock server: create N ModelDeployments, wait until every
 * Deployment exists, count the operator's writes per ModelDeployment, then restart the operator (a
 * full resync: every ModelDeployment is reconciled again) and count its writes. Prints a markdown
 * table. Usage: {@code OperatorBenchmark [N]}.
 */
public final class OperatorBenchmark {
  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    try (OperatorHarness harness = new OperatorHarness(TestOperatorConfigs.withPools())) {
      KubernetesClient client = harness.client();
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        ModelDeployment md = TestModelDeployments.digits();
        md.getMetadata().setName(String.format("md-%04d", i));
        client.resource(md).inNamespace("default").create();
      }
      long created = System.nanoTime();
      OperatorHarness.await(
          count + " Deployments",
          () ->
              client.apps().deployments().inNamespace("default").list().getItems().size() == count);
      long allDeployments = System.nanoTime();
      OperatorHarness.await(
          "every status written",
          () ->
              client
                  .resources(ModelDeployment.class)
                  .inNamespace("default")
                  .list()
                  .getItems()
                  .stream()
                  .allMatch(m -> m.getStatus() != null));
      OperatorHarness.settle(Duration.ofSeconds(3));
      List<String> writes = harness.dispatcher().writes();
      long objectWrites =
          writes.stream()
              .filter(w -> w.contains("/deployments/") || w.contains("/services/"))
              .count();
      long statusWrites =
          writes.stream()
              .filter(w -> w.contains("/modeldeployments/") && w.contains("/status"))
              .count();
      long eventWrites = writes.stream().filter(w -> w.contains("/events")).count();
      System.gc();
      long heapMb =
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);

      harness.dispatcher().clearWrites();
      long restart = System.nanoTime();
      Operator second =
          OperatorAssembly.create(
              client, TestOperatorConfigs.withPools(), Clock.systemUTC(), Optional.empty());
      harness.stopOperator();
      second.start();
      OperatorHarness.settle(Duration.ofSeconds(10));
      long resyncWrites = harness.dispatcher().writes().size();
      second.stop();

      System.out.printf(
          "Operator benchmark: %d ModelDeployments (CPU, 2 owned objects each), %d cores, mock API server in the same JVM.%n%n",
          count, Runtime.getRuntime().availableProcessors());
      System.out.println("| measure | value | goal |");
      System.out.println("|---|---:|---|");
      System.out.printf("| create requests sent (s) | %.1f | |%n", (created - start) / 1e9);
      System.out.printf(
          "| until every Deployment exists (s) | %.1f | |%n", (allDeployments - start) / 1e9);
      System.out.printf(
          "| owned-object writes per ModelDeployment | %.2f | 2 (Deployment, Service) |%n",
          (double) objectWrites / count);
      System.out.printf(
          "| status writes per ModelDeployment | %.2f | 1 |%n", (double) statusWrites / count);
      System.out.printf(
          "| event writes per ModelDeployment | %.2f | (one \"Applied\" event) |%n",
          (double) eventWrites / count);
      System.out.printf(
          "| writes during a full resync (operator restart, 10 s) | %d | 0 |%n", resyncWrites);
      System.out.printf(
          "| heap in use after GC, operator + mock server (MB) | %d | <= 256 |%n", heapMb);
      System.out.printf("| resync window (s) | %.1f | |%n", (System.nanoTime() - restart) / 1e9);
    }
  }
}
