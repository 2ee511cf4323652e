package dev.maas.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.testing.ClusterTest;
import dev.maas.operator.testing.LocalControlPlane;
import dev.maas.operator.testing.OperatorHarness;
import dev.maas.operator.testing.TestOperatorConfigs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

@ClusterTest
class HealthServerTest {
  @Test
  void liveAndReadyOnceTheOperatorRunsWithHealthyInformers(LocalControlPlane cluster)
      throws Exception {
    try (OperatorHarness harness = new OperatorHarness(cluster, TestOperatorConfigs.example());
        HealthServer health = new HealthServer(0, harness.operator())) {
      HttpClient client = HttpClient.newHttpClient();
      for (String path : new String[] {"/healthz", "/readyz"}) {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
      }
    }
  }
}
