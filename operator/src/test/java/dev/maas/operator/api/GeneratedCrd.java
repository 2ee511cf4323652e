package dev.maas.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The CRD that the build generated from the Java model: the one under test, never a copy. */
final class GeneratedCrd {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private GeneratedCrd() {}

  static Path path() {
    return Path.of(requiredProperty("maas.generatedCrd"));
  }

  static Path committedPath() {
    return Path.of(requiredProperty("maas.committedCrd"));
  }

  static Path examplesDir() {
    return Path.of(requiredProperty("maas.examplesDir"));
  }

  static JsonNode crd() {
    try {
      return YAML.readTree(path().toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The openAPIV3Schema of the single served version. */
  static JsonNode openApiSchema() {
    return crd().at("/spec/versions/0/schema/openAPIV3Schema");
  }

  private static String requiredProperty(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException(name + " is set by the operator POM's surefire config");
    }
    return value;
  }
}
