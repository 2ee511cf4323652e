package dev.maas.operator.api;

import static dev.maas.operator.testing.JsonEdits.remove;
import static dev.maas.operator.testing.JsonEdits.set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maas.operator.testing.TestModelDeployments;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The mistakes a user can make in a ModelDeployment, each with the message that rejects it. Every
 * case starts from a spec that sets every section validly and breaks exactly one thing.
 */
final class BadSpecs {
  private BadSpecs() {}

  /**
   * The valid manifest's compression turned into a valid Distill: student and data, no sparsity.
   */
  private static ObjectNode distill(ObjectNode m) {
    set(m, "spec.compression.method", "Distill");
    remove(m, "spec.compression.sparsity");
    remove(m, "spec.compression.pruningScope");
    set(m, "spec.compression.student.uri", "https://models.example.com/digits/student.pt");
    set(m, "spec.compression.data.uri", "s3://datasets/digits/unlabelled.safetensors");
    return m;
  }

  record BadSpec(String mistake, UnaryOperator<ObjectNode> breakIt, String expectedMessage) {
    @Override
    public String toString() {
      return mistake;
    }
  }

  static Stream<BadSpec> all() {
    return Stream.of(
        // OpenAPI schema: types, enums, bounds, required and unknown fields.
        bad("no model", m -> remove(m, "spec.model"), "spec.model: Required value"),
        bad("no model uri", m -> remove(m, "spec.model.uri"), "spec.model.uri: Required value"),
        bad(
            "negative replicas",
            m -> set(m, "spec.replicas", -1),
            "spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0"),
        bad(
            "replicas as text",
            m -> set(m, "spec.replicas", "two"),
            "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""),
        bad(
            "typo in a field name",
            m -> set(m, "spec.replica", 2),
            "unknown field \"spec.replica\""),
        bad(
            "unknown compression method",
            m -> set(m, "spec.compression.method", "Int4"),
            "spec.compression.method: Unsupported value: \"Int4\": supported values: \"Distill\", \"Fp16\", \"Int8\", \"Prune\", \"PruneInt8\""),
        bad(
            "BF16 input",
            m -> set(m, "spec.model.inputs.0.datatype", "BF16"),
            "spec.model.inputs[0].datatype: Unsupported value: \"BF16\": supported values: "),
        bad(
            "top-1 agreement above 1",
            m -> set(m, "spec.compression.acceptance.minTop1Agreement", 1.5),
            "spec.compression.acceptance.minTop1Agreement: Invalid value: 1.5: spec.compression.acceptance.minTop1Agreement in body should be less than or equal to 1"),
        bad(
            "batch size 0",
            m -> set(m, "spec.runtime.batching.maxBatchSize", 0),
            "spec.runtime.batching.maxBatchSize: Invalid value: 0: spec.runtime.batching.maxBatchSize in body should be greater than or equal to 1"),
        bad(
            "too many GPUs",
            m -> set(m, "spec.gpu.count", 64),
            "spec.gpu.count: Invalid value: 64: spec.gpu.count in body should be less than or equal to 16"),
        bad(
            "autoscaling without maxReplicas",
            m -> remove(m, "spec.autoscaling.maxReplicas"),
            "spec.autoscaling.maxReplicas: Required value"),
        bad(
            "input without shape",
            m -> remove(m, "spec.model.inputs.0.shape"),
            "spec.model.inputs[0].shape: Required value"),
        bad(
            "progress deadline too short",
            m -> set(m, "spec.rollout.progressDeadlineSeconds", 5),
            "spec.rollout.progressDeadlineSeconds: Invalid value: 5: spec.rollout.progressDeadlineSeconds in body should be greater than or equal to 30"),
        // CEL rules: cross-field checks.
        bad(
            "minReplicas above maxReplicas",
            m -> set(m, "spec.autoscaling.minReplicas", 9),
            "spec.autoscaling: Invalid value: \"object\": spec.autoscaling.minReplicas must be less than or equal to maxReplicas"),
        bad(
            "student with Prune",
            m -> set(m, "spec.compression.student.uri", "https://models.example.com/s.pt"),
            "spec.compression.student: Invalid value: \"object\": spec.compression.student applies only to the Distill method"),
        bad(
            "Distill without a student",
            m -> remove(distill(m), "spec.compression.student"),
            "spec.compression: Invalid value: \"object\": spec.compression.student is required for the Distill method"),
        bad(
            "Distill without data",
            m -> remove(distill(m), "spec.compression.data"),
            "spec.compression: Invalid value: \"object\": spec.compression.data is required for the Distill method"),
        bad(
            "training with Prune",
            m -> set(m, "spec.compression.training.epochs", 5),
            "spec.compression.training: Invalid value: \"object\": spec.compression.training applies only to the Distill method"),
        bad(
            "student on a claim",
            m -> set(distill(m), "spec.compression.student.uri", "pvc://models/student.pt"),
            "spec.compression.student.uri: Invalid value: \"object\": spec.compression.student.uri must start with https://, http://, s3://<bucket>/<key> or hf://"),
        bad(
            "data in an image",
            m -> set(distill(m), "spec.compression.data.uri", "oci://registry.example.com/data:1"),
            "spec.compression.data.uri: Invalid value: \"object\": spec.compression.data.uri must start with https://, http://, s3://<bucket>/<key> or hf://"),
        bad(
            "short student sha256",
            m -> set(distill(m), "spec.compression.student.sha256", "abc"),
            "spec.compression.student.sha256: Invalid value: \"object\": spec.compression.student.sha256 must be 64 hexadecimal characters"),
        bad(
            "data sha256 not hex",
            m -> set(distill(m), "spec.compression.data.sha256", "z".repeat(64)),
            "spec.compression.data.sha256: Invalid value: \"object\": spec.compression.data.sha256 must be 64 hexadecimal characters"),
        bad(
            "learning rate 0",
            m -> set(distill(m), "spec.compression.training.learningRate", 0.0),
            "spec.compression.training.learningRate: Invalid value: \"object\": spec.compression.training.learningRate must be greater than 0"),
        bad(
            "temperature 0",
            m -> set(distill(m), "spec.compression.training.temperature", 0.0),
            "spec.compression.training.temperature: Invalid value: \"object\": spec.compression.training.temperature must be greater than 0"),
        bad(
            "sparsity with Int8",
            m -> set(m, "spec.compression.method", "Int8"),
            "spec.compression: Invalid value: \"object\": spec.compression.sparsity applies only to the Prune and PruneInt8 methods"),
        bad(
            "Prune without sparsity",
            m -> remove(m, "spec.compression.sparsity"),
            "spec.compression: Invalid value: \"object\": spec.compression.sparsity is required for the Prune and PruneInt8 methods"),
        bad(
            "sparsity of 1",
            m -> set(m, "spec.compression.sparsity", 1),
            "spec.compression: Invalid value: \"object\": spec.compression.sparsity is the fraction of weights set to zero and must be greater than 0 and less than 1"),
        bad(
            "sparsity of 0",
            m -> set(m, "spec.compression.sparsity", 0.0),
            "spec.compression: Invalid value: \"object\": spec.compression.sparsity is the fraction of weights set to zero and must be greater than 0 and less than 1"),
        bad(
            "pruning scope with Fp16",
            m ->
                set(
                    remove(m, "spec.compression.sparsity"),
                    "spec.compression",
                    Map.of("method", "Fp16", "pruningScope", "Global")),
            "spec.compression: Invalid value: \"object\": spec.compression.pruningScope applies only to the Prune and PruneInt8 methods"),
        bad(
            "gs URI",
            m -> set(m, "spec.model.uri", "gs://bucket/model.pt"),
            "spec.model.uri: Invalid value: \"object\": spec.model.uri must start with https://, http://, pvc://<claim>/<path>, s3://<bucket>/<key>"),
        bad(
            "s3 URI without a key",
            m -> set(m, "spec.model.uri", "s3://models"),
            "spec.model.uri: Invalid value: \"object\": spec.model.uri: an s3:// URI must name a bucket and a key"),
        bad(
            "hf URI without a file",
            m -> set(m, "spec.model.uri", "hf://org/repo@main"),
            "spec.model.uri: Invalid value: \"object\": spec.model.uri: an hf:// URI names a repository and a file in it"),
        bad(
            "s3 settings on an https URI",
            m -> set(m, "spec.model.s3", Map.of("endpoint", "https://minio.data:9000")),
            "spec.model.s3: Invalid value: \"object\": spec.model.s3 applies only to an s3:// spec.model.uri"),
        bad(
            "credentials on a pvc URI",
            m ->
                set(
                    set(m, "spec.model.uri", "pvc://models/digits.pt"),
                    "spec.model.credentials",
                    Map.of("secretName", "s3-models")),
            "spec.model.credentials: Invalid value: \"object\": spec.model.credentials applies only to s3:// and hf:// URIs"),
        bad(
            "a CA bundle Secret name with capitals",
            m ->
                set(
                    set(m, "spec.model.uri", "s3://models/digits.pt"),
                    "spec.model.s3",
                    Map.of("caBundleSecretName", "Corp_CA")),
            "spec.model.s3.caBundleSecretName: Invalid value: \"object\": spec.model.s3.caBundleSecretName must be the name of a Secret"),
        bad(
            "an S3 endpoint with a path",
            m ->
                set(
                    set(m, "spec.model.uri", "s3://models/digits.pt"),
                    "spec.model.s3",
                    Map.of("endpoint", "https://minio.data:9000/bucket")),
            "spec.model.s3.endpoint: Invalid value: \"object\": spec.model.s3.endpoint must be a URL of a host"),
        bad(
            "pvc URI without a path",
            m -> set(m, "spec.model.uri", "pvc://models"),
            "spec.model.uri: Invalid value: \"object\": spec.model.uri: a pvc:// URI must name a claim and a path inside it"),
        bad(
            "short sha256",
            m -> set(m, "spec.model.sha256", "abc123"),
            "spec.model.sha256: Invalid value: \"object\": spec.model.sha256 must be 64 hexadecimal characters"),
        bad(
            "sha256 with non-hex characters",
            m -> set(m, "spec.model.sha256", "z".repeat(64)),
            "spec.model.sha256: Invalid value: \"object\": spec.model.sha256 must be 64 hexadecimal characters"),
        bad(
            "served name with a slash",
            m -> set(m, "spec.model.servedName", "digits/v2"),
            "spec.model.servedName: Invalid value: \"object\": spec.model.servedName may contain only letters, digits"),
        bad(
            "GPUs without a pool",
            m -> remove(m, "spec.gpu.pool"),
            "spec.gpu: Invalid value: \"object\": spec.gpu.pool is required when spec.gpu.count > 0"),
        bad(
            "pool without GPUs",
            m -> set(m, "spec.gpu.count", 0),
            "spec.gpu: Invalid value: \"object\": spec.gpu.count must be at least 1 when spec.gpu.pool is set"),
        bad(
            "pool name with capitals",
            m -> set(m, "spec.gpu.pool", "A100_80GB"),
            "spec.gpu.pool: Invalid value: \"object\": spec.gpu.pool must be a pool name"),
        bad(
            "compression without an input signature",
            m -> remove(m, "spec.model.inputs"),
            "spec: Invalid value: \"object\": spec.model.inputs is required when spec.compression is set"),
        bad(
            "two inputs with one name",
            m ->
                set(
                    m,
                    "spec.model.inputs.1",
                    Map.of("name", "input", "datatype", "INT64", "shape", List.of(-1, 8))),
            "spec.model.inputs: Invalid value: \"object\": spec.model.inputs: every input needs a different name"),
        bad(
            "input name with a space",
            m -> set(m, "spec.model.inputs.0.name", "my input"),
            "spec.model.inputs[0].name: Invalid value: \"object\": spec.model.inputs[].name must start with a letter"),
        bad(
            "zero-sized dimension",
            m -> set(m, "spec.model.inputs.0.shape", List.of(-1, 0)),
            "spec.model.inputs[0].shape: Invalid value: \"object\": spec.model.inputs[].shape: each dimension must be a positive size, or -1"),
        bad(
            "fixed batch dimension",
            m -> set(m, "spec.model.inputs.0.shape", List.of(64)),
            "spec.model.inputs[0].shape: Invalid value: \"object\": spec.model.inputs[].shape: the first dimension is the batch and must be -1"),
        bad(
            "reserved env name",
            m -> set(m, "spec.runtime.env.0", Map.of("name", "MAAS_MODEL_URI", "value", "x")),
            "spec.runtime.env: Invalid value: \"object\": spec.runtime.env: names starting with MAAS_ are reserved"),
        bad(
            "an env value of 800 KB",
            m -> set(m, "spec.runtime.env.0", Map.of("name", "BIG", "value", "x".repeat(800_000))),
            "spec.runtime.env: Invalid value: \"object\": spec.runtime.env: a value may hold at most 16384 characters"),
        bad(
            "GPU in resources",
            m -> set(m, "spec.runtime.resources.limits", Map.of("nvidia.com/gpu", 1)),
            "spec.runtime: Invalid value: \"object\": spec.runtime.resources must not request GPUs: set spec.gpu.count and spec.gpu.pool"),
        bad(
            "queue smaller than a batch",
            m -> set(m, "spec.runtime.batching.queueCapacity", 8),
            "spec.runtime.batching: Invalid value: \"object\": spec.runtime.batching.queueCapacity must be at least maxBatchSize"),
        bad(
            "CPU metric with an average value",
            m ->
                set(
                    m,
                    "spec.autoscaling.metrics.0",
                    Map.of("type", "CPU", "targetAverageValue", 5)),
            "spec.autoscaling.metrics[0]: Invalid value: \"object\": spec.autoscaling.metrics: a CPU metric takes targetAverageUtilization"),
        bad(
            "in-flight metric with a utilization",
            m ->
                set(
                    m,
                    "spec.autoscaling.metrics.1",
                    Map.of("type", "InflightRequests", "targetAverageUtilization", 50)),
            "spec.autoscaling.metrics[1]: Invalid value: \"object\": spec.autoscaling.metrics: an InflightRequests metric takes targetAverageValue"),
        bad(
            "same metric twice",
            m ->
                set(
                    m,
                    "spec.autoscaling.metrics.1",
                    Map.of("type", "CPU", "targetAverageUtilization", 50)),
            "spec.autoscaling.metrics: Invalid value: \"object\": spec.autoscaling.metrics: list each metric type at most once"),
        bad(
            "maxSurge and maxUnavailable both 0",
            m -> set(m, "spec.rollout.maxUnavailable", "0%"),
            "spec.rollout: Invalid value: \"object\": spec.rollout: maxSurge and maxUnavailable cannot both be 0"),
        bad(
            "maxSurge neither number nor percentage",
            m -> set(m, "spec.rollout.maxSurge", "one"),
            "spec.rollout: Invalid value: \"object\": spec.rollout.maxSurge must be a number of pods (e.g. 1) or a percentage"),
        bad(
            "maxUnavailable neither number nor percentage",
            m -> set(m, "spec.rollout.maxUnavailable", "half"),
            "spec.rollout: Invalid value: \"object\": spec.rollout.maxUnavailable must be a number of pods (e.g. 1) or a percentage"),
        bad(
            "unknown rollout strategy",
            m -> set(m, "spec.rollout.strategy", "BlueGreen"),
            "spec.rollout.strategy: Unsupported value: \"BlueGreen\": supported values: \"Canary\", \"RollingUpdate\""),
        bad(
            "canary settings without strategy Canary",
            m -> set(m, "spec.rollout.canary", Map.of("steps", List.of(Map.of("weight", 10)))),
            "spec.rollout: Invalid value: \"object\": spec.rollout.canary is set, so spec.rollout.strategy must be Canary"),
        bad(
            "canary weights not increasing",
            m -> canary(m, Map.of("steps", List.of(Map.of("weight", 50), Map.of("weight", 10)))),
            "spec.rollout.canary: Invalid value: \"object\": spec.rollout.canary.steps: each step's weight must be greater than the one before"),
        bad(
            "canary weight of 100",
            m -> canary(m, Map.of("steps", List.of(Map.of("weight", 100)))),
            "spec.rollout.canary.steps[0].weight: Invalid value: 100: spec.rollout.canary.steps[0].weight in body should be less than or equal to 99"),
        bad(
            "canary step without a weight",
            m -> canary(m, Map.of("steps", List.of(Map.of("pauseSeconds", 30)))),
            "spec.rollout.canary.steps[0].weight: Required value"),
        bad(
            "shadow sample of 0%",
            m -> canary(m, Map.of("shadow", Map.of("samplePercent", 0))),
            "spec.rollout.canary.shadow.samplePercent: Invalid value: 0: spec.rollout.canary.shadow.samplePercent in body should be greater than or equal to 1"),
        bad(
            "claimName and size together",
            m -> set(m, "spec.storage.claimName", "models"),
            "spec.storage: Invalid value: \"object\": spec.storage: set either claimName (use an existing PVC) or size and storageClassName"),
        bad(
            "claim name with capitals",
            m -> set(remove(m, "spec.storage"), "spec.storage.claimName", "Models"),
            "spec.storage.claimName: Invalid value: \"object\": spec.storage.claimName must be the name of a PersistentVolumeClaim"),
        bad(
            "tls without a Secret name",
            m -> set(m, "spec.access.tls", Map.of()),
            "spec.access.tls.secretName: Required value"),
        bad(
            "a Secret name with capitals",
            m -> set(m, "spec.access.authentication.apiKeys.secretName", "Digits_Keys"),
            "secretName must be the name of a Secret"),
        bad(
            "authentication without a method",
            m -> set(m, "spec.access.authentication", Map.of()),
            "spec.access.authentication needs a method: apiKeys, kubernetes or both"),
        bad(
            "an allowFrom entry that selects nothing",
            m -> set(m, "spec.access.allowFrom", List.of(Map.of())),
            "spec.access.allowFrom: each entry needs a podSelector, a namespaceSelector or an"
                + " ipBlock"),
        bad(
            "an ipBlock with a pod selector",
            m ->
                set(
                    m,
                    "spec.access.allowFrom",
                    List.of(
                        Map.of(
                            "ipBlock", Map.of("cidr", "10.0.0.0/8"),
                            "podSelector", Map.of("matchLabels", Map.of("app", "web"))))),
            "spec.access.allowFrom: an entry with an ipBlock can have no other selector"),
        bad(
            "an encryption key Secret with capitals",
            m ->
                set(
                    remove(m, "spec.compression"),
                    "spec.model.encryption.keySecretName",
                    "Digits_Key"),
            "spec.model.encryption.keySecretName must be the name of a Secret"),
        bad(
            "encryption without a key Secret",
            m -> set(remove(m, "spec.compression"), "spec.model.encryption", Map.of()),
            "spec.model.encryption.keySecretName: Required value"),
        bad(
            "name that cannot be a Service",
            m -> set(m, "metadata.name", "Digits.V2"),
            "metadata.name must be a DNS-1035 label"));
  }

  private static ObjectNode canary(ObjectNode manifest, Map<String, Object> canary) {
    return set(set(manifest, "spec.rollout.strategy", "Canary"), "spec.rollout.canary", canary);
  }

  private static BadSpec bad(String mistake, UnaryOperator<ObjectNode> breakIt, String message) {
    return new BadSpec(mistake, breakIt, message);
  }

  static ObjectNode validManifest() {
    return TestModelDeployments.manifest(TestModelDeployments.everything());
  }
}
