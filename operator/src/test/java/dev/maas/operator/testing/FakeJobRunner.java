package dev.maas.operator.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Plays the kubelet for prepare Jobs' pods in one namespace: once the scheduler placed a pod, its
 * compress container "runs" and terminates the way the test says (an exit code and the JSON report
 * compress would leave as its termination message), and the real Job controller takes it from
 * there: Complete, a retry, or Failed at once through the podFailurePolicy.
 */
public final class FakeJobRunner implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a compress container ends. */
  public record Outcome(int exitCode, Map<String, Object> report) {
    /** compress wrote a package that passed its thresholds. */
    public static Outcome succeeds() {
      return new Outcome(0, null);
    }

    /** The package missed its thresholds (exit 3), with the numbers compress reports. */
    public static Outcome rejected(double maxOutputError, double top1Agreement) {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("status", "rejected");
      report.put("method", "Int8");
      report.put(
          "acceptance",
          Map.of(
              "samples",
              256,
              "maxOutputError",
              maxOutputError,
              "meanOutputError",
              0.05,
              "top1Agreement",
              top1Agreement));
      report.put(
          "message",
          "max output error "
              + maxOutputError
              + " is above the threshold; top-1 agreement "
              + top1Agreement);
      return new Outcome(3, report);
    }

    /** compress could not use its input (exit 2): a digest mismatch, say. */
    public static Outcome badInput(String message) {
      return new Outcome(2, Map.of("status", "error", "message", message));
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  private final SharedIndexInformer<Pod> informer;
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private volatile Function<Pod, Outcome> outcomes = pod -> Outcome.succeeds();

  public FakeJobRunner(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    this.informer =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel("app.kubernetes.io/component", "prepare")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    run(pod);
                  }

                  @Override
                  public void onUpdate(Pod before, Pod pod) {
                    run(pod);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {}
                });
  }

  /** From now on every prepare pod ends this way. */
  public void willEnd(Outcome outcome) {
    outcomes = pod -> outcome;
  }

  /** From now on prepare pods keep running, until {@link #release}. */
  public void hold() {
    outcomes = pod -> null;
  }

  /** Ends the prepare pods that are running, and every later one, this way. */
  public void release(Outcome outcome) {
    willEnd(outcome);
    client
        .pods()
        .inNamespace(namespace)
        .withLabel("app.kubernetes.io/component", "prepare")
        .list()
        .getItems()
        .forEach(this::run);
  }

  /** The prepare pods that ran so far, by Job name. */
  public List<String> jobsRun() {
    return List.copyOf(ran);
  }

  private synchronized void run(Pod pod) {
    if (pod.getSpec().getNodeName() == null
        || pod.getMetadata().getDeletionTimestamp() != null
        || (pod.getStatus() != null
            && ("Succeeded".equals(pod.getStatus().getPhase())
                || "Failed".equals(pod.getStatus().getPhase())))) {
      return;
    }
    Outcome outcome = outcomes.apply(pod);
    if (outcome == null) {
      return; // held: still running
    }
    String report = report(pod, outcome);
    String now = Instant.now().toString();
    pod.getStatus().setPhase(outcome.exitCode() == 0 ? "Succeeded" : "Failed");
    pod.getStatus().setStartTime(now);
    pod.getStatus()
        .setContainerStatuses(
            List.of(
                new ContainerStatusBuilder()
                    .withName("compress")
                    .withImage(pod.getSpec().getContainers().get(0).getImage())
                    .withReady(false)
                    .withRestartCount(0)
                    .withNewState()
                    .withNewTerminated()
                    .withExitCode(outcome.exitCode())
                    .withReason(outcome.exitCode() == 0 ? "Completed" : "Error")
                    .withMessage(report)
                    .withStartedAt(now)
                    .withFinishedAt(now)
                    .endTerminated()
                    .endState()
                    .build()));
    try {
      client.pods().resource(pod).updateStatus();
      ran.add(pod.getMetadata().getLabels().get("job-name"));
    } catch (KubernetesClientException conflict) {
      // The next event brings the newer pod.
    }
  }

  /** The report compress leaves; a success names the package its arguments describe. */
  private static String report(Pod pod, Outcome outcome) {
    Map<String, Object> report = outcome.report();
    if (report == null) {
      List<String> args = pod.getSpec().getContainers().get(0).getArgs();
      String key = Integer.toHexString(args.hashCode()) + "0".repeat(56);
      report = new LinkedHashMap<>();
      report.put("status", "ok");
      report.put("method", args.get(args.indexOf("--method") + 1));
      report.put("key", key);
      report.put("packagePath", "/var/lib/maas/models/packages/" + key + ".maas.zip");
      report.put("packageSha256", "5".repeat(64));
      report.put("cached", false);
      report.put("originalBytes", 678697);
      report.put("packageBytes", 170179);
      report.put("ratio", 3.988);
      report.put(
          "acceptance",
          Map.of(
              "samples",
              256,
              "maxOutputError",
              0.072,
              "meanOutputError",
              0.02,
              "top1Agreement",
              0.996,
              "accuracyBefore",
              0.9778,
              "accuracyAfter",
              0.9778));
    }
    try {
      return JSON.writeValueAsString(report);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
