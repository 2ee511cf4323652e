package dev.maas.e2e;

import static dev.maas.operator.testing.Statuses.condition;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.status.CanaryCheck;
import dev.maas.operator.api.status.CanaryPhase;
import dev.maas.operator.api.status.RolloutStatus;
import dev.maas.operator.observe.RoutedService;
import dev.maas.operator.testing.ClusterTest;
import dev.maas.operator.testing.Commands;
import dev.maas.operator.testing.Eventually;
import dev.maas.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Canaries on real runtime pods, with a client sending real digits through the service proxy the
 * whole time and counting every answer by the revision that gave it: a candidate that answers
 * wrongly, one that fails on some inputs, and a slower one are each aborted by their own check
 * while the serving revision keeps serving; a good one is promoted by itself (through an operator
 * restart mid-analysis); and a person can abort one or promote one at once.
 */
@Tag(ClusterTest.TAG)
@ExtendWith(ProcessCluster.class)
class CanaryEndToEndTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final HeldOutDigits DIGITS =
      new HeldOutDigits(ProcessCluster.EXAMPLES.resolve("models/digits_test.json"));
  private static final String NAME = "digits-prod";

  private static ProcessCluster fixture;
  private static KubernetesClient client;

  @BeforeAll
  static void start(ProcessCluster shared) {
    fixture = shared;
    client = shared.client();
  }

  @Test
  void eachCandidateIsJudgedOnLiveTrafficAndOnlyAGoodOneServesEveryone() throws Exception {
    String ns = namespace();
    client.resource(example(ns)).create();
    awaitServing(ns, 1);
    try (ServiceProxy proxy = new ServiceProxy(client, ns, NAME, "http", 0)) {
      poll("a ready endpoint", Duration.ofSeconds(30), () -> !proxy.readyEndpoints().isEmpty());
      try (RevisionTraffic traffic =
          new RevisionTraffic(
              "http://127.0.0.1:" + proxy.port() + "/v2/models/digits/infer", DIGITS)) {
        // 1. Answers, but wrongly: aborted in the shadow step; no client ever gets its answer.
        RevisionTraffic.Counts before = traffic.counts();
        candidate(ns, "digits_mlp_scrambled.pt");
        RolloutStatus scrambled = awaitEnd(ns, 2, CanaryPhase.Aborted);
        RevisionTraffic.Counts during = traffic.counts().since(before);
        assertThat(scrambled.step()).as("aborted in the shadow step").isZero();
        assertThat(scrambled.message()).contains("top1Agreement");
        assertThat(scrambled.shadow().top1Agreement()).isLessThan(0.5);
        assertThat(during.answersFrom(2)).as("answers from the scrambled model").isZero();
        assertThat(during.failed()).as("failed requests: " + during.failures()).isZero();
        ModelDeployment md = md(ns);
        assertThat(md.getStatus().currentRevision()).isEqualTo(1);
        assertThat(condition(md, "Stalled").map(c -> c.getReason())).contains("CanaryAborted");
        assertThat(plugin(ns, "history", NAME).stdout())
            .contains("canary aborted at the shadow step: the shadow comparison failed");

        // 2. Fails on a share of inputs (NaN, so 500s): aborted by the error rate at step 1;
        // the failures are bounded by that step's share of traffic.
        before = traffic.counts();
        candidate(ns, "digits_mlp_nan_rows.pt");
        RolloutStatus nan = awaitEnd(ns, 3, CanaryPhase.Aborted);
        during = traffic.counts().since(before);
        assertThat(nan.step()).isEqualTo(1);
        assertThat(nan.checks())
            .anyMatch(c -> c.name().equals("errorRate") && c.verdict().equals(CanaryCheck.FAIL));
        assertThat(during.failures().keySet()).as("only the candidate's 500s").containsOnly("500");
        assertThat((double) during.failed() / during.total())
            .as("failed share " + during)
            .isLessThan(0.34);
        assertThat(during.answersFrom(3)).as("it did take live traffic").isPositive();

        // 3. Slower: aborted by the latency check.
        candidate(ns, "digits_mlp_slow.pt");
        RolloutStatus slow = awaitEnd(ns, 4, CanaryPhase.Aborted);
        assertThat(slow.checks())
            .anyMatch(
                c -> c.name().equals("latencyP99Ratio") && c.verdict().equals(CanaryCheck.FAIL));

        // 4. A good candidate (the quantize_dynamic MLP) passes shadow and both steps, through an
        // operator restart mid-analysis, and is promoted by itself; no request fails.
        before = traffic.counts();
        candidate(ns, "digits_mlp_qdynamic.pt");
        List<String> shares = new ArrayList<>();
        RevisionTraffic.Counts stepStart = awaitStep(ns, 5, 1, traffic);
        String startedAt = md(ns).getStatus().rollout().startedAt();
        fixture.stopOperator();
        Thread.sleep(2000);
        fixture.startOperator();
        RevisionTraffic.Counts stepTwo = awaitStep(ns, 5, 2, traffic);
        shares.add(share(stepTwo.since(stepStart), 5));
        RolloutStatus good = awaitEnd(ns, 5, CanaryPhase.Promoted);
        RevisionTraffic.Counts promoted = traffic.counts();
        shares.add(share(promoted.since(stepTwo), 5));
        during = promoted.since(before);
        System.out.println("canary of revision 5, candidate's share of answers by step: " + shares);
        assertThat(good.startedAt()).as("resumed, not restarted").isEqualTo(startedAt);
        assertThat(during.failed()).as("failed requests: " + during.failures()).isZero();
        awaitServing(ns, 5);
        assertThat(plugin(ns, "history", NAME).stdout()).contains("canary promoted after step 2");
        assertThat(plugin(ns, "status", NAME).stdout()).contains("phase:     Promoted");
      }
    }
  }

  @Test
  void aPersonCanAbortACanaryOrPromoteOneAtOnce() throws Exception {
    String ns = namespace();
    client.resource(example(ns)).create();
    awaitServing(ns, 1);

    candidate(ns, "digits_mlp_qdynamic.pt");
    awaitPhase(ns, 2, CanaryPhase.Shadow);
    Commands.Result abort = plugin(ns, "abort", NAME);
    assertThat(abort.exitCode()).as(abort.toString()).isZero();
    RolloutStatus aborted = awaitEnd(ns, 2, CanaryPhase.Aborted);
    assertThat(aborted.message()).contains("aborted by hand (kubectl maas abort)");
    assertThat(md(ns).getStatus().currentRevision()).isEqualTo(1);
    assertThat(plugin(ns, "promote", NAME).exitCode()).as("nothing to promote now").isEqualTo(2);

    candidate(ns, "digits_mlp_slow.pt");
    awaitPhase(ns, 3, CanaryPhase.Shadow);
    Commands.Result promote = plugin(ns, "promote", NAME, "--full");
    assertThat(promote.exitCode()).as(promote.toString()).isZero();
    awaitEnd(ns, 3, CanaryPhase.Promoted);
    awaitServing(ns, 3);
  }

  @Test
  void theCandidateKeepsItsShareOfWhatTheAutoscalerScalesTo() throws Exception {
    FixedCustomMetricsAdapter inflight = fixture.customMetrics();
    String ns = namespace();
    inflight.set(ns, "1"); // at the target: the HPA keeps minReplicas
    client.resource(autoscaled(ns)).create();
    awaitServing(ns, 1);
    poll(
        "the HPA in charge of " + NAME + " at 2 replicas",
        Duration.ofSeconds(60),
        () -> {
          var hpa = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns);
          return hpa.withName(NAME).get() != null && replicas(ns, NAME) == 2;
        });
    try (ServiceProxy proxy = new ServiceProxy(client, ns, NAME, "http", 0);
        RevisionTraffic traffic =
            new RevisionTraffic(
                "http://127.0.0.1:" + proxy.port() + "/v2/models/digits/infer", DIGITS)) {
      RevisionTraffic.Counts before = traffic.counts();
      candidate(ns, "digits_mlp_qdynamic.pt");
      awaitStep(ns, 2, 1, traffic);
      // Weight 34 of 2 stable pods: round(34 * 2 / 66) = 1 candidate pod.
      awaitPods(ns, 2, 1);
      poll(
          "the live weight measured at 1 of 3 pods",
          Duration.ofSeconds(30),
          () -> rollout(ns, 2).map(r -> r.liveWeight() == 33).orElse(false));

      // Twice the target per pod: the HPA doubles the stable Deployment (to maxReplicas 4), and
      // the candidate follows: round(34 * 4 / 66) = 2.
      inflight.set(ns, "2");
      awaitPods(ns, 4, 2);
      poll(
          "the live weight measured at 2 of 6 pods",
          Duration.ofSeconds(30),
          () -> rollout(ns, 2).map(r -> r.liveWeight() == 33).orElse(false));
      RevisionTraffic.Counts scaled = traffic.counts();
      Thread.sleep(3000);
      System.out.println(
          "autoscaled canary, candidate's share of answers at 2 of 6 pods: "
              + share(traffic.counts().since(scaled), 2));

      Commands.Result promote = plugin(ns, "promote", NAME, "--full");
      assertThat(promote.exitCode()).as(promote.toString()).isZero();
      awaitEnd(ns, 2, CanaryPhase.Promoted);
      awaitServing(ns, 2);
      assertThat(client.apps().deployments().inNamespace(ns).withName(NAME + "-canary").get())
          .as("the candidate's Deployment, gone once promoted")
          .isNull();
      assertThat(replicas(ns, NAME)).as("the HPA's count, kept through the promotion").isEqualTo(4);
      RevisionTraffic.Counts during = traffic.counts().since(before);
      assertThat(during.failed()).as("failed requests: " + during.failures()).isZero();
    } finally {
      client.namespaces().withName(ns).delete();
    }
  }

  @Test
  void throughAnHttpRouteTheRouteCarriesTheWeightAndTheServiceOnlyTheServingPods()
      throws Exception {
    // The operator's configuration (examples/operator-config.yaml) names the HTTPRoute "models";
    // no gateway implementation runs here, so the test reads the route the way one would.
    fixture.controlPlane().installGatewayApiCrds();
    String ns = namespace();
    client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: models}
                spec:
                  parentRefs: [{name: inference-gateway}]
                  rules:
                    - matches: [{path: {type: PathPrefix, value: /v2/models/digits}}]
                      backendRefs: [{name: digits-prod, port: 8080}]
                """,
                GenericKubernetesResource.class))
        .inNamespace(ns)
        .create();
    ModelDeployment md = example(ns);
    ObjectNode manifest = Serialization.jsonMapper().valueToTree(md);
    ((ObjectNode) manifest.at("/spec/rollout/canary"))
        .set("steps", YAML.valueToTree(List.of(Map.of("weight", 20, "pauseSeconds", 600))));
    client
        .resource(Serialization.jsonMapper().treeToValue(manifest, ModelDeployment.class))
        .create();
    awaitServing(ns, 1);
    try (ServiceProxy proxy = new ServiceProxy(client, ns, NAME, "http", 0);
        ServiceProxy canaryProxy = new ServiceProxy(client, ns, NAME + "-canary", "http", 0);
        RevisionTraffic traffic =
            new RevisionTraffic(
                "http://127.0.0.1:" + proxy.port() + "/v2/models/digits/infer", DIGITS)) {
      RevisionTraffic.Counts before = traffic.counts();
      candidate(ns, "digits_mlp_qdynamic.pt");
      awaitStep(ns, 2, 1, traffic);
      poll(
          () -> "the route at 80/20; now " + route(ns).at("/spec/rules/0/backendRefs"),
          Duration.ofSeconds(60),
          () -> RoutedService.of(route(ns), NAME).map(r -> r.canaryWeight() == 20).orElse(false));
      assertThat(route(ns).at("/spec/rules/0/backendRefs/0/weight").asInt()).isEqualTo(80);
      poll(
          "the candidate's pod ready behind its own Service",
          Duration.ofSeconds(60),
          () -> !canaryProxy.readyEndpoints().isEmpty());
      assertThat(client.services().inNamespace(ns).withName(NAME).get().getSpec().getSelector())
          .as("the ModelDeployment's Service, pinned to the serving revision")
          .containsEntry("maas.dev/revision", "1");
      assertThat(proxy.readyEndpoints()).doesNotContainAnyElementsOf(canaryProxy.readyEndpoints());
      poll(
          "the live weight, the route's",
          Duration.ofSeconds(30),
          () -> rollout(ns, 2).map(r -> r.liveWeight() == 20).orElse(false));
      RevisionTraffic.Counts atStep = traffic.counts();
      try (RevisionTraffic direct =
          new RevisionTraffic(
              "http://127.0.0.1:" + canaryProxy.port() + "/v2/models/digits/infer", DIGITS)) {
        Thread.sleep(3000);
        assertThat(direct.counts().answersFrom(2))
            .as("the candidate answers behind its own Service")
            .isPositive();
      }
      assertThat(traffic.counts().since(atStep).answersFrom(2))
          .as("answers from the candidate through the ModelDeployment's Service")
          .isZero();

      Commands.Result promote = plugin(ns, "promote", NAME, "--full");
      assertThat(promote.exitCode()).as(promote.toString()).isZero();
      awaitEnd(ns, 2, CanaryPhase.Promoted);
      awaitServing(ns, 2);
      poll(
          () -> "the route back to one backend; now " + route(ns).at("/spec/rules/0/backendRefs"),
          Duration.ofSeconds(30),
          () -> route(ns).at("/spec/rules/0/backendRefs").size() == 1);
      assertThat(route(ns).at("/spec/rules/0/backendRefs/0/name").asText()).isEqualTo(NAME);
      poll(
          "the candidate's Service gone",
          Duration.ofSeconds(30),
          () -> client.services().inNamespace(ns).withName(NAME + "-canary").get() == null);
      assertThat(client.services().inNamespace(ns).withName(NAME).get().getSpec().getSelector())
          .doesNotContainKey("maas.dev/revision");
      RevisionTraffic.Counts during = traffic.counts().since(before);
      assertThat(during.failed()).as("failed requests: " + during.failures()).isZero();
    } finally {
      client.namespaces().withName(ns).delete();
    }
  }

  // --- helpers ---------------------------------------------------------------------------

  /** The candidate's share of the answers in a window, in percent. */
  private static String share(RevisionTraffic.Counts window, long candidate) {
    long all = window.answers().values().stream().mapToLong(Long::longValue).sum();
    return all == 0 ? "-" : Math.round(100.0 * window.answersFrom(candidate) / all) + "% of " + all;
  }

  /** The example, with its model at the local model server and steps short enough for a test. */
  private static ModelDeployment example(String ns) throws IOException {
    ObjectNode manifest =
        (ObjectNode) YAML.readTree(ProcessCluster.EXAMPLES.resolve("digits-canary.yaml").toFile());
    ((ObjectNode) manifest.get("metadata")).put("namespace", ns);
    ((ObjectNode) manifest.at("/spec/model")).put("uri", fixture.models().url("digits_mlp.pt"));
    ObjectNode canary = (ObjectNode) manifest.at("/spec/rollout/canary");
    ((ObjectNode) canary.get("shadow")).put("samplePercent", 50).put("minSamples", 60);
    // 10% then 50%: beside 2 serving pods, the second step starts a second candidate pod, whose
    // p99 is judged from its first interval (a p99 ratio only fails where the histogram's buckets
    // resolve it: interpolated, two pods within a few requests of a bucket bound read 19 ms
    // against 9 ms, which aborted this good candidate before).
    canary.set(
        "steps",
        YAML.valueToTree(
            List.of(
                Map.of("weight", 10, "pauseSeconds", 10),
                Map.of("weight", 50, "pauseSeconds", 10))));
    ((ObjectNode) canary.get("analysis")).put("intervalSeconds", 5).put("failureLimit", 2);
    return Serialization.jsonMapper().treeToValue(manifest, ModelDeployment.class);
  }

  /**
   * The example with autoscaling instead of a fixed count (2 to 4 on in-flight requests) and one
   * step held until promoted by hand.
   */
  private static ModelDeployment autoscaled(String ns) throws IOException {
    ObjectNode manifest = Serialization.jsonMapper().valueToTree(example(ns));
    ObjectNode spec = (ObjectNode) manifest.get("spec");
    spec.remove("replicas");
    spec.set(
        "autoscaling",
        YAML.valueToTree(
            Map.of(
                "minReplicas",
                2,
                "maxReplicas",
                4,
                "metrics",
                List.of(Map.of("type", "InflightRequests", "targetAverageValue", 1)))));
    ((ObjectNode) spec.at("/rollout/canary"))
        .set("steps", YAML.valueToTree(List.of(Map.of("weight", 34, "pauseSeconds", 600))));
    return Serialization.jsonMapper().treeToValue(manifest, ModelDeployment.class);
  }

  private static com.fasterxml.jackson.databind.JsonNode route(String ns) {
    return Serialization.jsonMapper()
        .valueToTree(
            client
                .genericKubernetesResources("gateway.networking.k8s.io/v1", "HTTPRoute")
                .inNamespace(ns)
                .withName("models")
                .get());
  }

  /** Waits until the stable and the candidate's Deployments ask for and have these many pods. */
  private static void awaitPods(String ns, int stable, int candidate) {
    poll(
        () ->
            "stable "
                + stable
                + " and candidate "
                + candidate
                + " ready pods; now "
                + replicas(ns, NAME)
                + " and "
                + replicas(ns, NAME + "-canary")
                + " asked, status "
                + rolloutText(ns),
        Duration.ofSeconds(180),
        () ->
            replicas(ns, NAME) == stable
                && readyReplicas(ns, NAME) == stable
                && replicas(ns, NAME + "-canary") == candidate
                && readyReplicas(ns, NAME + "-canary") == candidate);
  }

  private static int replicas(String ns, String deployment) {
    var found = client.apps().deployments().inNamespace(ns).withName(deployment).get();
    return found == null || found.getSpec().getReplicas() == null
        ? -1
        : found.getSpec().getReplicas();
  }

  /**
   * Pods ready as the Deployment counts them (containers ready; the live gate is not its concern).
   */
  private static int readyReplicas(String ns, String deployment) {
    var found = client.apps().deployments().inNamespace(ns).withName(deployment).get();
    return found == null
            || found.getStatus() == null
            || found.getStatus().getReadyReplicas() == null
        ? 0
        : found.getStatus().getReadyReplicas();
  }

  private static void candidate(String ns, String model) throws Exception {
    String sha256 =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(
                        Files.readAllBytes(
                            ProcessCluster.EXAMPLES.resolve("models").resolve(model))));
    OperatorHarness.retryOnConflict(
        () -> {
          ObjectNode manifest = Serialization.jsonMapper().valueToTree(md(ns));
          ((ObjectNode) manifest.at("/spec/model"))
              .put("uri", fixture.models().url(model))
              .put("sha256", sha256);
          client
              .resource(Serialization.jsonMapper().convertValue(manifest, ModelDeployment.class))
              .update();
        });
  }

  private static Optional<RolloutStatus> rollout(String ns, long candidate) {
    ModelDeployment md = md(ns);
    return Optional.ofNullable(md.getStatus())
        .map(s -> s.rollout())
        .filter(r -> r.candidateRevision() != null && r.candidateRevision() == candidate);
  }

  private static RolloutStatus awaitEnd(String ns, long candidate, CanaryPhase phase) {
    return awaitPhase(ns, candidate, phase);
  }

  private static RolloutStatus awaitPhase(String ns, long candidate, CanaryPhase phase) {
    poll(
        () -> "the canary of revision " + candidate + " " + phase + "; now " + rolloutText(ns),
        Duration.ofSeconds(240),
        () -> rollout(ns, candidate).map(r -> r.phase() == phase).orElse(false));
    return rollout(ns, candidate).orElseThrow();
  }

  /** Waits for a live step; the client's counts the moment it began. */
  private static RevisionTraffic.Counts awaitStep(
      String ns, long candidate, int step, RevisionTraffic traffic) {
    poll(
        () ->
            "the canary of revision " + candidate + " at step " + step + "; now " + rolloutText(ns),
        Duration.ofSeconds(240),
        () ->
            rollout(ns, candidate)
                .map(r -> r.phase() == CanaryPhase.Step && r.step() == step)
                .orElse(false));
    return traffic.counts();
  }

  private static String rolloutText(String ns) {
    ModelDeployment md = md(ns);
    return md.getStatus() == null || md.getStatus().rollout() == null
        ? "no canary"
        : md.getStatus().rollout().phase()
            + " "
            + md.getStatus().rollout().step()
            + ": "
            + md.getStatus().rollout().message();
  }

  private static void awaitServing(String ns, long revision) {
    poll(
        NAME + " serving revision " + revision,
        Duration.ofSeconds(180),
        () -> {
          ModelDeployment md = md(ns);
          // Recorded as Serving: fully rolled out, so the next change is judged against it.
          return md.getStatus() != null
              && Long.valueOf(revision).equals(md.getStatus().currentRevision())
              && dev.maas.operator.testing.Statuses.is(md, "Ready", "True")
              && md.getStatus().revisions().stream()
                  .anyMatch(
                      r ->
                          r.number() == revision
                              && r.phase() == dev.maas.operator.api.status.RevisionPhase.Serving);
        });
  }

  private static ModelDeployment md(String ns) {
    return client.resources(ModelDeployment.class).inNamespace(ns).withName(NAME).get();
  }

  private static String namespace() {
    return fixture.namespace("canary");
  }

  private static void poll(String what, Duration timeout, java.util.function.Supplier<Boolean> c) {
    poll(() -> what, timeout, c);
  }

  private static void poll(
      java.util.function.Supplier<String> what,
      Duration timeout,
      java.util.function.Supplier<Boolean> condition) {
    Eventually.until(what, timeout, Duration.ofMillis(250), condition::get);
  }

  /** kubectl maas, as a user runs it: kubectl finds the plugin on the PATH. */
  private static Commands.Result plugin(String ns, String... args) {
    return fixture.plugin(ns, args);
  }
}
