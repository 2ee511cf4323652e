package dev.maas.operator.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.maas.operator.api.CrdConstants;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The ModelDeployment CRD's OpenAPI schema, as the build generated it from the Java model and
 * packed it into the jar: the same schema {@code kubectl apply -f crds/} installs.
 */
public record CrdSchema(JsonNode openApiSchema) {
  static final String RESOURCE =
      "META-INF/fabric8/" + CrdConstants.PLURAL + "." + CrdConstants.GROUP + "-v1.yml";

  public static CrdSchema fromClasspath() {
    try (InputStream in = CrdSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing: the build generates it");
      }
      return fromCrd(new ObjectMapper(new YAMLFactory()).readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema of the single served version of a CustomResourceDefinition. */
  public static CrdSchema fromCrd(JsonNode crd) {
    return new CrdSchema(crd.at("/spec/versions/0/schema/openAPIV3Schema"));
  }
}
