package dev.maas.runtime.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.maas.contract.RuntimeMetrics;
import dev.maas.contract.ShadowSettings;
import dev.maas.runtime.TestModels;
import dev.maas.runtime.TestServer;
import dev.maas.runtime.access.SecretVolume;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary of a model behind API keys: the candidate runs with the same keys as the serving pods,
 * and the serving pod's copies pass its access control with one of them.
 */
class ProtectedShadowMirrorTest {
  private static final String ROW =
      "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,64],\"data\":"
          + "[0,0,0,1,1,0,0,0,0,0,1,1,1,1,0,0,0,0,1,0,0,1,0,0,0,0,0,0,1,1,0,0,"
          + "0,0,0,1,1,0,0,0,0,0,1,1,0,0,0,0,0,1,1,1,1,1,1,0,0,0,0,0,0,0,0,0]}]}";

  @Test
  void copiesToACandidateBehindTheSameKeysPassItsAccessControl(@TempDir Path dir) throws Exception {
    SecretVolume keys =
        new SecretVolume(dir.resolve("keys"))
            .write(Map.of("a-web", "web-key", "b-batch", "batch-key"));
    Path settings = dir.resolve("shadow.properties");
    try (TestServer candidate =
            TestServer.start(
                TestServer.config(TestModels.digitsQuantized(), "digits", "input:FP32:-1,64", 8)
                    .withApiKeys(keys.dir()));
        TestServer stable =
            TestServer.start(
                TestServer.config(TestModels.digitsMlp(), "digits", "input:FP32:-1,64", 8)
                    .withApiKeys(keys.dir())
                    .withShadowConfig(settings))) {
      Files.writeString(
          settings,
          new ShadowSettings("2", 100, List.of("http://127.0.0.1:" + candidate.port())).render());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> stable.get("/metrics").body().contains("candidate=\"2\""));
      Thread.sleep(1000);
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> answer =
            client.send(
                HttpRequest.newBuilder(stable.uri("/v2/models/digits/infer"))
                    .header("Authorization", "Bearer batch-key")
                    .POST(HttpRequest.BodyPublishers.ofString(ROW))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  ShadowMirrorTest.value(
                              stable,
                              RuntimeMetrics.SHADOW_REQUESTS,
                              "candidate=\"2\"",
                              "result=\"compared\"")
                          .orElse(0)
                      == 10);
      String candidateMetrics = candidate.get("/metrics").body();
      assertThat(candidateMetrics)
          .contains(
              "maas_caller_requests_total{caller=\"a-web\",model=\"digits\",outcome=\"ok\"} 10.0")
          .doesNotContain("reason=\"unauthenticated\"");
    }
  }
}
