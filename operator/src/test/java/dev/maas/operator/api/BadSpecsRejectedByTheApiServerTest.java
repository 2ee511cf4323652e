package dev.maas.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas.operator.testing.ClusterTest;
import dev.maas.operator.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mistake of the table is rejected by a real kube-apiserver with the installed CRD (a
 * server-side dry run with strict field validation, as {@code kubectl apply} sends it), with its
 * expected message.
 */
@ClusterTest
class BadSpecsRejectedByTheApiServerTest {
  private static KubernetesClient client;

  @BeforeAll
  static void connect(LocalControlPlane cluster) {
    client = cluster.newClient();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  static Stream<BadSpecs.BadSpec> badSpecs() {
    return BadSpecs.all();
  }

  /** Why the API server refuses the manifest; empty when it admits it. */
  static String rejection(KubernetesClient client, JsonNode manifest) {
    GenericKubernetesResource resource =
        Serialization.jsonMapper().convertValue(manifest, GenericKubernetesResource.class);
    try {
      client
          .resource(resource)
          .dryRun()
          .fieldValidation(FieldValidateable.Validation.STRICT)
          .create();
      return "";
    } catch (KubernetesClientException e) {
      return e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage();
    }
  }

  @Test
  void theStartingPointIsAdmitted() {
    assertThat(rejection(client, BadSpecs.validManifest())).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSpecs")
  void badSpecIsRejectedWithAMessageNamingTheField(BadSpecs.BadSpec bad) {
    String rejection = rejection(client, bad.breakIt().apply(BadSpecs.validManifest()));
    assertThat(rejection).as(bad.mistake()).contains(bad.expectedMessage());
  }
}
