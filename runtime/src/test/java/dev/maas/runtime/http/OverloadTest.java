package dev.maas.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.runtime.TestModels;
import dev.maas.runtime.TestServer;
import dev.maas.runtime.batching.BatchingConfig;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A full queue refuses with 503 + Retry-After, never an error for what it accepted. */
class OverloadTest {
  @Test
  void aFullQueueAnswers503WithRetryAfterAndTheServerRecovers() throws Exception {
    String zeros = String.join(",", Collections.nCopies(64 * 64, "0.5"));
    String body =
        "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[64,1,8,8],\"data\":["
            + zeros
            + "]}]}";
    try (TestServer server =
        TestServer.start(
            TestServer.config(TestModels.digitsCnn(), "cnn", "input:FP32:-1,1,8,8", 64)
                .withBatching(new BatchingConfig(64, 0, 2, 1, List.of())))) {
      ExecutorService clients = Executors.newFixedThreadPool(24);
      List<Future<HttpResponse<String>>> responses = new ArrayList<>();
      for (int i = 0; i < 48; i++) {
        responses.add(clients.submit(() -> server.post("/v2/models/cnn/infer", body)));
      }
      int ok = 0;
      int refused = 0;
      for (Future<HttpResponse<String>> future : responses) {
        HttpResponse<String> response = future.get();
        if (response.statusCode() == 200) {
          ok++;
        } else {
          assertThat(response.statusCode()).isEqualTo(503);
          assertThat(response.headers().firstValue("retry-after")).hasValue("1");
          assertThat(TestServer.json(response).path("error").asText()).contains("at capacity");
          refused++;
        }
      }
      clients.shutdown();
      assertThat(refused).as("some requests find the queue full").isPositive();
      assertThat(ok).as("accepted requests are answered").isPositive();
      assertThat(server.post("/v2/models/cnn/infer", body).statusCode()).isEqualTo(200);
      assertThat(server.get("/metrics").body()).contains("outcome=\"overloaded\"");
    }
  }
}
