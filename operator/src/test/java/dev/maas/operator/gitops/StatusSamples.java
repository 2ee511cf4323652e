package dev.maas.operator.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The committed status samples (Argo CD's testdata, which kstatus reads too): live objects made
 * stable (one namespace name, no server bookkeeping) and compared with what is committed by their
 * shape (each condition's type, status and reason, and whether the generation is observed), since
 * timestamps and pod names differ from run to run. With {@code -Dmaas.writeStatusSamples=true} the
 * live samples are written instead, to be reviewed with git diff.
 */
final class StatusSamples {
  static final Path HEALTH_CHECK_DIR =
      Path.of("..", "gitops", "argocd", "maas.dev", "ModelDeployment");
  static final Path TESTDATA = HEALTH_CHECK_DIR.resolve("testdata");
  static final String SAMPLE_NAMESPACE = "models";

  static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private StatusSamples() {}

  static boolean writing() {
    return Boolean.getBoolean("maas.writeStatusSamples");
  }

  /** The object as a sample: apiVersion, kind, name, namespace, generation, spec and status. */
  static ObjectNode normalize(JsonNode live, String namespace) {
    ObjectNode sample = YAML.createObjectNode();
    sample.set("apiVersion", live.get("apiVersion"));
    sample.set("kind", live.get("kind"));
    ObjectNode metadata = sample.putObject("metadata");
    metadata.set("name", live.at("/metadata/name"));
    metadata.put("namespace", namespace);
    metadata.set("generation", live.at("/metadata/generation"));
    sample.set("spec", live.get("spec"));
    if (live.has("status")) {
      sample.set("status", live.get("status"));
    }
    try {
      String text = YAML.writeValueAsString(sample).replace(namespace, SAMPLE_NAMESPACE);
      return (ObjectNode) YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode read(StatusSample sample) {
    try {
      return (ObjectNode) YAML.readTree(TESTDATA.resolve(sample.file).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the sample (in writing mode), or checks the committed one has the live one's shape. */
  static void record(StatusSample sample, ObjectNode normalized) {
    Path file = TESTDATA.resolve(sample.file);
    try {
      if (writing()) {
        Files.createDirectories(TESTDATA);
        Files.writeString(file, YAML.writeValueAsString(normalized));
        return;
      }
      if (!Files.exists(file)) {
        throw new AssertionError(
            file + " is missing: run this test with -Dmaas.writeStatusSamples=true");
      }
      List<String> committed = shape(read(sample));
      List<String> live = shape(normalized);
      if (!committed.equals(live)) {
        throw new AssertionError(
            "the operator's status for "
                + sample
                + " changed shape: committed "
                + committed
                + ", live "
                + live
                + ". Re-run with -Dmaas.writeStatusSamples=true, review the samples, and update"
                + " health.lua and health_test.yaml if the meaning changed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a health check may depend on: conditions' type/status/reason and generation seen. */
  static List<String> shape(JsonNode object) {
    List<String> shape = new ArrayList<>();
    long generation = object.at("/metadata/generation").asLong();
    JsonNode observed = object.at("/status/observedGeneration");
    shape.add(
        observed.isMissingNode()
            ? "no observedGeneration"
            : observed.asLong() == generation ? "generation observed" : "generation not observed");
    for (JsonNode c : object.at("/status/conditions")) {
      shape.add(
          c.get("type").asText() + "=" + c.get("status").asText() + "/" + c.get("reason").asText());
    }
    return shape;
  }

  static Path write(ObjectNode normalized, Path directory, String name) {
    try {
      Files.createDirectories(directory);
      Path file = directory.resolve(name);
      Files.writeString(file, YAML.writeValueAsString(normalized));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
