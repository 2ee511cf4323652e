package dev.maas.operator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.testing.LocalControlPlane;
import dev.maas.operator.testing.TestModelDeployments;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Scale benchmark on a real control plane: the operator jar runs as its own process (heap capped at
 * 256 MB) under the identity {@code maas-operator}, whose every request the API server audits. N
 * ModelDeployments are created at once; the benchmark times until every Deployment exists and until
 * every ModelDeployment is Ready (kwok makes the pods ready), counts the operator's writes per
 * ModelDeployment from the API server's audit log, restarts the operator and counts the writes of
 * its full resync, and reads the operator's heap after a GC and the API server's CPU time. Prints a
 * markdown table. With several counts ({@code 1000,2500,5000}) it adds ModelDeployments step by
 * step and reads the operator's heap and RSS after each, to show how memory grows; writes are
 * counted over the whole run and the restart comes after the last step. Usage: {@code
 * OperatorBenchmark REPO OPERATOR_JAR [N[,N...]]}.
 */
public final class OperatorBenchmark {
  private static final String NS = "bench";
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args[0]).toAbsolutePath().normalize();
    Path jar = Path.of(args[1]).toAbsolutePath();
    List<Integer> steps =
        java.util.Arrays.stream((args.length > 2 ? args[2] : "1000").split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .sorted()
            .toList();
    int count = steps.get(steps.size() - 1);
    int cpuNodes = count / 100 + 2; // 110 pods fit on each
    try (LocalControlPlane cluster =
            LocalControlPlane.start(
                repo,
                repo.resolve("bench-results/cluster"),
                Map.of("MAAS_CLUSTER_CPU_NODES", Integer.toString(cpuNodes)));
        KubernetesClient client = cluster.newClient()) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
          .create();
      await(
          "the namespace's default ServiceAccount",
          Duration.ofMinutes(1),
          () -> client.serviceAccounts().inNamespace(NS).withName("default").get() != null);

      Process operator = startOperator(cluster, jar, repo, "operator-1.log");
      await("the operator to start", Duration.ofMinutes(1), () -> healthy(operator, 18181));
      Duration apiCpuBefore = cluster.cpuTime("kube-apiserver");
      Duration etcdCpuBefore = cluster.cpuTime("etcd");

      long start = System.nanoTime();
      double createdSeconds = 0;
      double deploymentsSeconds = 0;
      double readySeconds = 0;
      List<String> memoryRows = new java.util.ArrayList<>();
      int created = 0;
      for (int step : steps) {
        long stepStart = System.nanoTime();
        ExecutorService creators = Executors.newFixedThreadPool(8);
        for (int i = created; i < step; i++) {
          String name = String.format("md-%04d", i);
          creators.submit(
              () -> {
                ModelDeployment md = TestModelDeployments.digits();
                md.getMetadata().setName(name);
                md.getMetadata().setNamespace(NS);
                client.resource(md).create();
              });
        }
        creators.shutdown();
        creators.awaitTermination(10, TimeUnit.MINUTES);
        int added = step - created;
        created = step;
        createdSeconds = seconds(stepStart);
        await(
            step + " Deployments",
            Duration.ofMinutes(15),
            () -> client.apps().deployments().inNamespace(NS).list().getItems().size() == step);
        deploymentsSeconds = seconds(stepStart);
        await(
            step + " ModelDeployments Ready",
            Duration.ofMinutes(20),
            () ->
                client.resources(ModelDeployment.class).inNamespace(NS).list().getItems().stream()
                        .filter(OperatorBenchmark::ready)
                        .count()
                    == step);
        readySeconds = seconds(stepStart);
        Thread.sleep(10_000);
        long heapMb = heapAfterGcMb(operator.pid());
        long rssMb = rssMb(operator.pid());
        memoryRows.add(
            String.format(
                "| %d | %d | %d | %.1f | %.1f |",
                step, heapMb, rssMb, createdSeconds, readySeconds));
        System.err.printf(
            "benchmark: %d ModelDeployments (+%d) Ready in %.1f s; heap %d MB, RSS %d MB%n",
            step, added, readySeconds, heapMb, rssMb);
      }
      Duration apiCpu = cluster.cpuTime("kube-apiserver").minus(apiCpuBefore);
      Duration etcdCpu = cluster.cpuTime("etcd").minus(etcdCpuBefore);
      Map<String, Long> writes = auditedWrites(cluster.auditLog());

      // A restart: the new operator lists everything and reconciles every ModelDeployment again.
      operator.destroy();
      operator.waitFor(30, TimeUnit.SECONDS);
      long linesBefore = lines(cluster.auditLog());
      long restart = System.nanoTime();
      Path secondLog = repo.resolve("bench-results/operator-2.log");
      Process second = startOperator(cluster, jar, repo, "operator-2.log");
      await("the second operator to start", Duration.ofMinutes(1), () -> healthy(second, 18181));
      await(
          "the second operator to reconcile every ModelDeployment",
          Duration.ofMinutes(10),
          () -> reconciled(secondLog) >= count);
      double resyncSeconds = seconds(restart);
      Thread.sleep(5_000);
      Map<String, Long> resyncWrites = auditedWrites(cluster.auditLog(), linesBefore);
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);

      long objectWrites =
          writes.getOrDefault("deployments", 0L) + writes.getOrDefault("services", 0L);
      System.out.printf(
          "Operator benchmark: %d ModelDeployments (CPU, Deployment + Service each) on a local"
              + " kube-apiserver %s with etcd, the real controllers and %d kwok nodes; the operator"
              + " jar as its own process (-Xmx256m); %d cores shared by all of it.%n%n",
          count,
          cluster.kubectl("version", "-o", "json").contains("v1.34.4") ? "v1.34.4" : "",
          cpuNodes,
          Runtime.getRuntime().availableProcessors());
      System.out.println("| measure | value | goal |");
      System.out.println("|---|---:|---|");
      System.out.printf(
          "| last step (%d more): create requests sent (s) | %.1f | |%n",
          count - (steps.size() > 1 ? steps.get(steps.size() - 2) : 0), createdSeconds);
      System.out.printf(
          "| last step: until every Deployment exists (s) | %.1f | |%n", deploymentsSeconds);
      System.out.printf(
          "| last step: until every ModelDeployment is Ready (s) | %.1f | |%n", readySeconds);
      System.out.printf(
          "| owned-object writes per ModelDeployment | %.2f | 2 (Deployment, Service) |%n",
          (double) objectWrites / count);
      System.out.printf(
          "| status writes per ModelDeployment | %.2f | 2 (Reconciling, then Ready) |%n",
          (double) writes.getOrDefault("modeldeployments/status", 0L) / count);
      System.out.printf(
          "| revision (ControllerRevision) writes per ModelDeployment | %.2f | 2 (recorded rolling"
              + " out, then serving) |%n",
          (double) writes.getOrDefault("controllerrevisions", 0L) / count);
      System.out.printf(
          "| event writes per ModelDeployment | %.2f | 2 (\"Applied\", \"Serving\") |%n",
          (double) writes.getOrDefault("events", 0L) / count);
      System.out.printf(
          "| other writes | %d | 0 |%n",
          writes.entrySet().stream()
              .filter(
                  e ->
                      !List.of(
                              "deployments",
                              "services",
                              "modeldeployments/status",
                              "events",
                              "controllerrevisions")
                          .contains(e.getKey()))
              .mapToLong(Map.Entry::getValue)
              .sum());
      System.out.printf(
          "| writes during a full resync (restart until all %d reconciled: %.1f s, + 5 s) | %d | 0"
              + " |%n",
          count, resyncSeconds, resyncWrites.values().stream().mapToLong(Long::longValue).sum());
      System.out.printf(
          "| kube-apiserver CPU time, all steps, create to Ready + 10 s each (s) | %.1f | |%n",
          apiCpu.toMillis() / 1000.0);
      System.out.printf(
          "| etcd CPU time, same window (s) | %.1f | |%n", etcdCpu.toMillis() / 1000.0);
      System.out.println();
      System.out.println(
          "Operator memory as ModelDeployments are added (-Xmx256m; after a full GC, 10 s after"
              + " the step's last ModelDeployment became Ready):");
      System.out.println();
      System.out.println(
          "| ModelDeployments | heap in use (MB) | process RSS (MB) | step's creates sent (s) |"
              + " step until all Ready (s) |");
      System.out.println("|---:|---:|---:|---:|---:|");
      memoryRows.forEach(System.out::println);
      System.out.println();
      System.out.println(
          "Operator writes by resource (from the API server's audit log): " + writes);
    }
  }

  private static boolean ready(ModelDeployment md) {
    return md.getStatus() != null
        && md.getStatus().conditions() != null
        && md.getStatus().conditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private static Process startOperator(LocalControlPlane cluster, Path jar, Path repo, String log)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                "java",
                "-Xmx256m",
                "-jar",
                jar.toString(),
                "run",
                "--config",
                repo.resolve("examples/operator-config.yaml").toString(),
                "--health-port",
                "18181")
            .redirectErrorStream(true)
            .redirectOutput(repo.resolve("bench-results/" + log).toFile());
    builder.environment().put("KUBECONFIG", cluster.operatorKubeconfig().toString());
    builder.environment().put("MAAS_LOG_LEVEL", "WARN");
    builder.environment().put("MAAS_RECONCILER_LOG_LEVEL", "DEBUG");
    return builder.start();
  }

  private static boolean healthy(Process operator, int port) {
    if (!operator.isAlive()) {
      throw new IllegalStateException("the operator exited with " + operator.exitValue());
    }
    try {
      java.net.http.HttpResponse<String> response =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + port + "/readyz"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The process's resident set, from the kernel. */
  private static long rssMb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid);
  }

  /** Heap in use right after a full GC, as the JVM's own diagnostic command reports it. */
  private static long heapAfterGcMb(long pid) throws IOException, InterruptedException {
    run("jcmd", Long.toString(pid), "GC.run");
    String info = run("jcmd", Long.toString(pid), "GC.heap_info");
    java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
    if (!used.find()) {
      throw new IllegalStateException("no heap figure in: " + info);
    }
    return Long.parseLong(used.group(1)) / 1024;
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    process.waitFor();
    return out;
  }

  private static Map<String, Long> auditedWrites(Path auditLog) throws IOException {
    return auditedWrites(auditLog, 0);
  }

  /** The operator's write requests in the audit log, by resource[/subresource]. */
  private static Map<String, Long> auditedWrites(Path auditLog, long skipLines) throws IOException {
    Map<String, Long> writes = new TreeMap<>();
    try (BufferedReader reader = Files.newBufferedReader(auditLog)) {
      String line;
      long n = 0;
      while ((line = reader.readLine()) != null) {
        if (n++ < skipLines) {
          continue;
        }
        JsonNode event = JSON.readTree(line);
        String verb = event.path("verb").asText();
        if (!"ResponseComplete".equals(event.path("stage").asText())
            || !List.of("create", "update", "patch", "delete", "deletecollection").contains(verb)) {
          continue;
        }
        JsonNode ref = event.path("objectRef");
        if (ref.path("resource").asText().equals("leases")) {
          continue;
        }
        String resource =
            ref.path("resource").asText()
                + (ref.has("subresource") ? "/" + ref.path("subresource").asText() : "");
        writes.merge(resource, 1L, Long::sum);
      }
    }
    return writes;
  }

  /** How many ModelDeployments the operator's log says it reconciled. */
  private static long reconciled(Path log) {
    try (var stream = Files.lines(log)) {
      return stream
          .filter(l -> l.contains("msg=\"reconciled namespace="))
          .map(l -> l.replaceAll(".*name=(\\S+).*", "$1"))
          .distinct()
          .count();
    } catch (IOException e) {
      return 0;
    }
  }

  private static long lines(Path file) throws IOException {
    try (var stream = Files.lines(file)) {
      return stream.count();
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void await(String what, Duration timeout, Supplier<Boolean> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (Boolean.TRUE.equals(condition.get())) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not there yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("timed out waiting for " + what);
  }
}
