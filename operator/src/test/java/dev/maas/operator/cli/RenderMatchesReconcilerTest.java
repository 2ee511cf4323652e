package dev.maas.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.maas.contract.ServeFlags;
import dev.maas.operator.api.CrdConstants;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.plan.FirstRevision;
import dev.maas.operator.testing.ClusterTest;
import dev.maas.operator.testing.FakeJobRunner;
import dev.maas.operator.testing.LocalControlPlane;
import dev.maas.operator.testing.OperatorHarness;
import dev.maas.operator.testing.TestOperatorConfigs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@code render} prints is what the reconciler creates: every example is rendered, then
 * applied to the real control plane with the operator running (prepare Jobs succeed through the
 * Job-runner double), and every rendered object is compared with the live one. Every field render
 * printed must be there with the same value (the API server adds defaults, and a Job's selector,
 * which render cannot know), lists must have the same length, and the only difference allowed is
 * the package path and digest, which only the prepare Job's report tells.
 */
@ClusterTest
class RenderMatchesReconcilerTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static OperatorHarness harness;

  @BeforeAll
  static void start(LocalControlPlane cluster) {
    harness = new OperatorHarness(cluster, TestOperatorConfigs.example());
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  static List<Path> examples() throws Exception {
    return RenderCommandTest.examples().toList();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void theReconcilerCreatesWhatRenderPrints(Path example) throws Exception {
    RenderCommandTest.Result rendered =
        RenderCommandTest.render(
            "-f",
            example.toString(),
            "--config",
            example.resolveSibling("operator-config.yaml").toString());
    assertThat(rendered.exit()).as(rendered.err()).isZero();
    List<JsonNode> objects = new ArrayList<>();
    for (String doc : rendered.out().split("(?m)^---\\s*$")) {
      if (!doc.isBlank()) {
        objects.add(YAML.readTree(doc));
      }
    }
    // The candidate's Deployment (and, where an HTTPRoute weighs canaries, its Service) of a
    // canary example shows how a canary of this spec would run; the operator makes them only
    // during a canary (CanaryEndToEndTest sees them made).
    objects.removeIf(
        o ->
            o.at("/metadata/labels")
                .path(CrdConstants.LABEL_ROLE)
                .asText()
                .equals(CrdConstants.ROLE_CANARY));

    // A prepare Job that succeeded is deleted once its report is recorded: each is compared as it
    // was while it ran, the rest as they are once everything exists.
    java.util.Map<JsonNode, JsonNode> created = new java.util.IdentityHashMap<>();
    harness.jobs().hold();
    harness.create(SERIALIZATION.unmarshal(Files.readString(example), ModelDeployment.class));
    for (JsonNode object : objects) {
      if (object.path("kind").asText().equals("Job")) {
        harness.await(
            kindAndName(object) + " created by the operator",
            Duration.ofSeconds(90),
            () -> live(object) != null);
        created.put(object, live(object));
      }
    }
    harness.jobs().release(FakeJobRunner.Outcome.succeeds());
    for (JsonNode object : objects) {
      harness.await(
          kindAndName(object) + " created by the operator",
          Duration.ofSeconds(90),
          () -> created.containsKey(object) || live(object) != null);
    }
    for (JsonNode object : objects) {
      JsonNode expected = comparable(object);
      JsonNode now = live(object);
      JsonNode actual =
          comparable(withReportedPackage(object, now != null ? now : created.get(object)));
      List<String> differences = new ArrayList<>();
      contains(expected, actual, kindAndName(object), differences);
      assertThat(differences).as("render vs the cluster, " + example.getFileName()).isEmpty();
    }
  }

  private static JsonNode live(JsonNode rendered) {
    GenericKubernetesResource found =
        harness
            .client()
            .genericKubernetesResources(
                rendered.path("apiVersion").asText(), rendered.path("kind").asText())
            .inNamespace(harness.namespace())
            .withName(rendered.path("metadata").path("name").asText())
            .get();
    return found == null ? null : SERIALIZATION.convertValue(found, JsonNode.class);
  }

  /**
   * The parts that are the operator's to decide. A ControllerRevision's phase annotations move on
   * as the revision rolls out; its data and number are what render promises.
   */
  private static JsonNode comparable(JsonNode object) {
    ObjectNode copy = object.deepCopy();
    ObjectNode metadata = (ObjectNode) copy.path("metadata");
    metadata.retain("name", "labels", "annotations", "ownerReferences");
    copy.remove("status");
    if (copy.path("kind").asText().equals("ControllerRevision")) {
      metadata.remove("annotations");
    }
    return copy;
  }

  /**
   * The live Deployment, with the package the prepare Job reported put back to render's stand-in.
   */
  private static JsonNode withReportedPackage(JsonNode rendered, JsonNode live) {
    if (!rendered.path("kind").asText().equals("Deployment")
        || !rendered.toString().contains(FirstRevision.REPORTED_PACKAGE)) {
      return live;
    }
    ObjectNode copy = live.deepCopy();
    for (JsonNode container : copy.path("spec").path("template").path("spec").path("containers")) {
      Iterator<JsonNode> env = container.path("env").iterator();
      while (env.hasNext()) {
        ObjectNode variable = (ObjectNode) env.next();
        String name = variable.path("name").asText();
        if (name.equals(ServeFlags.ENV_MODEL_SHA256)) {
          env.remove();
        } else if (name.equals(ServeFlags.ENV_MODEL_URI)) {
          variable.put("value", "/var/lib/maas/models/" + FirstRevision.REPORTED_PACKAGE);
        }
      }
    }
    return copy;
  }

  /** Every field of {@code expected} is in {@code actual} with the same value. */
  static void contains(JsonNode expected, JsonNode actual, String path, List<String> differences) {
    if (expected.isObject()) {
      if (!actual.isObject()) {
        differences.add(path + ": rendered an object, the cluster has " + actual);
        return;
      }
      for (Map.Entry<String, JsonNode> field : iterable(expected.fields())) {
        if (field.getValue().isNull()) {
          continue;
        }
        JsonNode other = actual.get(field.getKey());
        if (other == null || other.isNull()) {
          differences.add(path + "." + field.getKey() + ": rendered, not in the cluster");
        } else {
          contains(field.getValue(), other, path + "." + field.getKey(), differences);
        }
      }
    } else if (expected.isArray()) {
      if (!actual.isArray() || actual.size() != expected.size()) {
        differences.add(path + ": rendered " + expected + ", the cluster has " + actual);
        return;
      }
      for (int i = 0; i < expected.size(); i++) {
        contains(expected.get(i), ((ArrayNode) actual).get(i), path + "[" + i + "]", differences);
      }
    } else if (!sameScalar(expected, actual)) {
      differences.add(path + ": rendered " + expected + ", the cluster has " + actual);
    }
  }

  /** Equal as text, or the same quantity written two ways (the API server canonicalizes). */
  private static boolean sameScalar(JsonNode expected, JsonNode actual) {
    if (expected.asText().equals(actual.asText())) {
      return true;
    }
    try {
      BigDecimal a = Quantity.getAmountInBytes(new Quantity(expected.asText()));
      BigDecimal b = Quantity.getAmountInBytes(new Quantity(actual.asText()));
      return a.compareTo(b) == 0;
    } catch (IllegalArgumentException | ArithmeticException notQuantities) {
      return false;
    }
  }

  private static String kindAndName(JsonNode object) {
    return object.path("kind").asText() + " " + object.path("metadata").path("name").asText();
  }

  private static <T> Iterable<T> iterable(Iterator<T> iterator) {
    return () -> iterator;
  }
}
