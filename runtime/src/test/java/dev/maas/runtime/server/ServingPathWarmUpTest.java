package dev.maas.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.runtime.TestModels;
import dev.maas.runtime.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServingPathWarmUpTest {
  private static final String ONE_ROW =
      "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,64],\"data\":"
          + "[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,"
          + "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,"
          + "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,"
          + "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8]}]}";

  @Test
  void readinessWaitsForTheServingPathsWarmUpThoughTheModelAlreadyAnswers() throws Exception {
    ServeConfig config =
        TestServer.config(TestModels.digitsMlp(), "digits", "input:FP32:-1,64", 32)
            .withWarmUp(Duration.ofSeconds(2));
    try (TestServer server = TestServer.listenOnly(config)) {
      CompletableFuture<Void> loading =
          CompletableFuture.runAsync(
              () -> {
                try {
                  server.server().loadModel();
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      boolean answeredWhileNotReady = false;
      while (!loading.isDone()) {
        HttpResponse<String> answer = server.post("/v2/models/digits/infer", ONE_ROW);
        HttpResponse<String> ready = server.get("/v2/health/ready");
        if (answer.statusCode() == 200 && ready.statusCode() != 200 && !loading.isDone()) {
          answeredWhileNotReady = true;
        }
        Thread.sleep(50);
      }
      loading.get(1, TimeUnit.SECONDS);

      assertThat(answeredWhileNotReady)
          .as("the model answered while the server was still warming its serving path")
          .isTrue();
      assertThat(server.get("/v2/health/ready").statusCode()).isEqualTo(200);
      ServingPathWarmUp.Result warmUp = server.server().servingPathWarmUp().orElseThrow();
      assertThat(warmUp.failure()).isEmpty();
      assertThat(warmUp.sampledFailure()).isEmpty();
      assertThat(warmUp.requests()).isGreaterThan(100);
      assertThat(warmUp.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }
  }

  @Test
  void theWarmUpsRequestsAreNotCountedOnlyClientsAre() throws Exception {
    ServeConfig config =
        TestServer.config(TestModels.digitsMlp(), "digits", "input:FP32:-1,64", 32)
            .withWarmUp(Duration.ofSeconds(1));
    try (TestServer server = TestServer.start(config)) {
      assertThat(server.server().servingPathWarmUp().orElseThrow().requests()).isGreaterThan(50);
      assertThat(server.get("/metrics").body())
          .doesNotContain("maas_requests_total{model=\"digits\",outcome=\"ok\"}");

      assertThat(server.post("/v2/models/digits/infer", ONE_ROW).statusCode()).isEqualTo(200);

      assertThat(server.get("/metrics").body())
          .contains("maas_requests_total{model=\"digits\",outcome=\"ok\"} 1.0")
          .contains("maas_request_duration_seconds_count{model=\"digits\"} 1");
    }
  }

  @Test
  void aModelThatRefusesSampledValuesIsWarmedWithZerosAndStillTurnsReady() throws Exception {
    // NaN (a 500) for rows with much ink: uniform values in [0, 1) have more than its threshold.
    ServeConfig config =
        TestServer.config(
                TestModels.dir().resolve("digits_mlp_nan_rows.pt"),
                "digits",
                "input:FP32:-1,64",
                32)
            .withWarmUp(Duration.ofSeconds(1));
    try (TestServer server = TestServer.start(config)) {
      ServingPathWarmUp.Result warmUp = server.server().servingPathWarmUp().orElseThrow();
      assertThat(warmUp.sampledFailure()).hasValueSatisfying(f -> assertThat(f).contains("500"));
      assertThat(warmUp.failure()).isEmpty();
      assertThat(warmUp.requests()).isGreaterThan(50);
      assertThat(server.get("/v2/health/ready").statusCode()).isEqualTo(200);
      assertThat(server.get("/metrics").body()).doesNotContain("outcome=\"error\"");
    }
  }

  @Test
  void withoutInputsToWarmUpWithTheServerTurnsReadyAtOnce() throws Exception {
    ServeConfig config =
        TestServer.config(TestModels.digitsMlp(), "digits", null, 32)
            .withWarmUp(Duration.ofSeconds(30));
    long start = System.nanoTime();
    try (TestServer server = TestServer.start(config)) {
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
      assertThat(server.server().servingPathWarmUp()).isEmpty();
      assertThat(server.get("/v2/health/ready").statusCode()).isEqualTo(200);
    }
  }
}
