package dev.maas.operator.api;

import static dev.maas.operator.testing.JsonEdits.remove;
import static dev.maas.operator.testing.JsonEdits.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maas.operator.testing.TestModelDeployments;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The mistakes a user can make, each rejected at apply time with a message that names the field.
 * Every case starts from a spec that sets every section validly and breaks exactly one thing.
 */
class BadSpecsRejectedTest {
  private static final AdmissionSimulator ADMISSION = AdmissionSimulator.forGeneratedCrd();

  record BadSpec(String mistake, UnaryOperator<ObjectNode> breakIt, String expectedMessage) {
    @Override
    public String toString() {
      return mistake;
    }
  }

  static Stream<BadSpec> badSpecs() {
    return Stream.of(
        // OpenAPI schema: types, enums, bounds, required and unknown fields.
        bad("no model", m -> remove(m, "spec.model"), "required property 'model' not found"),
        bad("no model uri", m -> remove(m, "spec.model.uri"), "required property 'uri' not found"),
        bad(
            "negative replicas",
            m -> set(m, "spec.replicas", -1),
            "spec.replicas: must have a minimum value of 0"),
        bad(
            "replicas as text",
            m -> set(m, "spec.replicas", "two"),
            "spec.replicas: string found, integer expected"),
        bad(
            "typo in a field name",
            m -> set(m, "spec.replica", 2),
            "'replica' is not defined in the schema"),
        bad(
            "unknown compression method",
            m -> set(m, "spec.compression.method", "Int4"),
            "spec.compression.method: does not have a value in the enumeration [\"Fp16\", \"Int8\", \"Prune\", \"PruneInt8\"]"),
        bad(
            "BF16 input",
            m -> set(m, "spec.model.inputs.0.datatype", "BF16"),
            "spec.model.inputs[0].datatype: does not have a value in the enumeration"),
        bad(
            "top-1 agreement above 1",
            m -> set(m, "spec.compression.acceptance.minTop1Agreement", 1.5),
            "minTop1Agreement: must have a maximum value of 1"),
        bad(
            "batch size 0",
            m -> set(m, "spec.runtime.batching.maxBatchSize", 0),
            "spec.runtime.batching.maxBatchSize: must have a minimum value of 1"),
        bad(
            "too many GPUs",
            m -> set(m, "spec.gpu.count", 64),
            "spec.gpu.count: must have a maximum value of 16"),
        bad(
            "autoscaling without maxReplicas",
            m -> remove(m, "spec.autoscaling.maxReplicas"),
            "required property 'maxReplicas' not found"),
        bad(
            "input without shape",
            m -> remove(m, "spec.model.inputs.0.shape"),
            "required property 'shape' not found"),
        bad(
            "progress deadline too short",
            m -> set(m, "spec.rollout.progressDeadlineSeconds", 5),
            "progressDeadlineSeconds: must have a minimum value of 30"),
        // CEL rules: cross-field checks.
        bad(
            "minReplicas above maxReplicas",
            m -> set(m, "spec.autoscaling.minReplicas", 9),
            "spec.autoscaling.minReplicas must be less than or equal to maxReplicas"),
        bad(
            "sparsity with Int8",
            m -> set(m, "spec.compression.method", "Int8"),
            "spec.compression.sparsity applies only to the Prune and PruneInt8 methods"),
        bad(
            "Prune without sparsity",
            m -> remove(m, "spec.compression.sparsity"),
            "spec.compression.sparsity is required for the Prune and PruneInt8 methods"),
        bad(
            "sparsity of 1",
            m -> set(m, "spec.compression.sparsity", 1),
            "must be greater than 0 and less than 1"),
        bad(
            "sparsity of 0",
            m -> set(m, "spec.compression.sparsity", 0.0),
            "must be greater than 0 and less than 1"),
        bad(
            "pruning scope with Fp16",
            m ->
                set(
                    remove(m, "spec.compression.sparsity"),
                    "spec.compression",
                    Map.of("method", "Fp16", "pruningScope", "Global")),
            "spec.compression.pruningScope applies only to the Prune and PruneInt8 methods"),
        bad(
            "s3 URI",
            m -> set(m, "spec.model.uri", "s3://bucket/model.pt"),
            "spec.model.uri: spec.model.uri must start with https://, http:// or pvc://"),
        bad(
            "pvc URI without a path",
            m -> set(m, "spec.model.uri", "pvc://models"),
            "spec.model.uri: a pvc:// URI must name a claim and a path inside it"),
        bad(
            "short sha256",
            m -> set(m, "spec.model.sha256", "abc123"),
            "spec.model.sha256: spec.model.sha256 must be 64 hexadecimal characters"),
        bad(
            "sha256 with non-hex characters",
            m -> set(m, "spec.model.sha256", "z".repeat(64)),
            "spec.model.sha256 must be 64 hexadecimal characters"),
        bad(
            "served name with a slash",
            m -> set(m, "spec.model.servedName", "digits/v2"),
            "spec.model.servedName may contain only letters, digits"),
        bad(
            "GPUs without a pool",
            m -> remove(m, "spec.gpu.pool"),
            "spec.gpu.pool is required when spec.gpu.count > 0"),
        bad(
            "pool without GPUs",
            m -> set(m, "spec.gpu.count", 0),
            "spec.gpu.count must be at least 1 when spec.gpu.pool is set"),
        bad(
            "pool name with capitals",
            m -> set(m, "spec.gpu.pool", "A100_80GB"),
            "spec.gpu.pool: spec.gpu.pool must be a pool name"),
        bad(
            "compression without an input signature",
            m -> remove(m, "spec.model.inputs"),
            "spec.model.inputs is required when spec.compression is set"),
        bad(
            "two inputs with one name",
            m ->
                set(
                    m,
                    "spec.model.inputs.1",
                    Map.of("name", "input", "datatype", "INT64", "shape", List.of(-1, 8))),
            "spec.model.inputs: every input needs a different name"),
        bad(
            "input name with a space",
            m -> set(m, "spec.model.inputs.0.name", "my input"),
            "spec.model.inputs[0].name: spec.model.inputs[].name must start with a letter"),
        bad(
            "zero-sized dimension",
            m -> set(m, "spec.model.inputs.0.shape", List.of(-1, 0)),
            "spec.model.inputs[0].shape: spec.model.inputs[].shape: each dimension must be a positive size, or -1"),
        bad(
            "reserved env name",
            m -> set(m, "spec.runtime.env.0", Map.of("name", "MAAS_MODEL_URI", "value", "x")),
            "spec.runtime.env: names starting with MAAS_ are reserved"),
        bad(
            "GPU in resources",
            m -> set(m, "spec.runtime.resources.limits", Map.of("nvidia.com/gpu", 1)),
            "spec.runtime.resources must not request GPUs: set spec.gpu.count and spec.gpu.pool"),
        bad(
            "queue smaller than a batch",
            m -> set(m, "spec.runtime.batching.queueCapacity", 8),
            "spec.runtime.batching.queueCapacity must be at least maxBatchSize"),
        bad(
            "CPU metric with an average value",
            m ->
                set(
                    m,
                    "spec.autoscaling.metrics.0",
                    Map.of("type", "CPU", "targetAverageValue", 5)),
            "a CPU metric takes targetAverageUtilization"),
        bad(
            "in-flight metric with a utilization",
            m ->
                set(
                    m,
                    "spec.autoscaling.metrics.1",
                    Map.of("type", "InflightRequests", "targetAverageUtilization", 50)),
            "an InflightRequests metric takes targetAverageValue"),
        bad(
            "same metric twice",
            m ->
                set(
                    m,
                    "spec.autoscaling.metrics.1",
                    Map.of("type", "CPU", "targetAverageUtilization", 50)),
            "spec.autoscaling.metrics: list each metric type at most once"),
        bad(
            "maxSurge and maxUnavailable both 0",
            m -> set(m, "spec.rollout.maxUnavailable", "0%"),
            "maxSurge and maxUnavailable cannot both be 0"),
        bad(
            "maxSurge neither number nor percentage",
            m -> set(m, "spec.rollout.maxSurge", "one"),
            "spec.rollout.maxSurge must be a number of pods (e.g. 1) or a percentage"),
        bad(
            "maxUnavailable neither number nor percentage",
            m -> set(m, "spec.rollout.maxUnavailable", "half"),
            "spec.rollout.maxUnavailable must be a number of pods (e.g. 1) or a percentage"),
        bad(
            "claimName and size together",
            m -> set(m, "spec.storage.claimName", "models"),
            "spec.storage: set either claimName (use an existing PVC) or size and storageClassName"),
        bad(
            "claim name with capitals",
            m -> set(remove(m, "spec.storage"), "spec.storage.claimName", "Models"),
            "spec.storage.claimName: spec.storage.claimName must be the name of a PersistentVolumeClaim"),
        bad(
            "name that cannot be a Service",
            m -> set(m, "metadata.name", "Digits.V2"),
            "metadata.name must be a DNS-1035 label"));
  }

  private static BadSpec bad(String mistake, UnaryOperator<ObjectNode> breakIt, String message) {
    return new BadSpec(mistake, breakIt, message);
  }

  private static ObjectNode validManifest() {
    return TestModelDeployments.manifest(TestModelDeployments.everything());
  }

  @Test
  void theStartingPointIsValid() {
    assertThat(ADMISSION.rejections(validManifest())).isEmpty();
    assertThat(ADMISSION.rejections(TestModelDeployments.manifest(TestModelDeployments.digits())))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSpecs")
  void badSpecIsRejectedWithAMessageNamingTheField(BadSpec bad) {
    List<String> rejections = ADMISSION.rejections(bad.breakIt().apply(validManifest()));
    assertThat(rejections).as(bad.mistake()).anyMatch(r -> r.contains(bad.expectedMessage()));
  }

  /** A CEL rule without a bad spec that trips it is a rule nobody has seen fail. */
  @Test
  void everyCelRuleInTheCrdIsTrippedByABadSpec() {
    List<String> tripped =
        badSpecs()
            .flatMap(b -> ADMISSION.rejections(b.breakIt().apply(validManifest())).stream())
            .toList();
    assertThat(ADMISSION.celRules().rules())
        .allSatisfy(
            rule ->
                assertThat(tripped)
                    .as("a bad spec that trips: " + rule.expression())
                    .anyMatch(r -> r.endsWith(rule.message())));
  }
}
