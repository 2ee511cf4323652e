package dev.maas.runtime.batching;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.maas.runtime.TestModels;
import dev.maas.runtime.TestServer;
import dev.maas.runtime.http.DigitsServerTestSupport;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Many clients at once, each with its own inputs (one to three rows): every answer is the one its
 * own input gets when sent alone, and requests really were joined into batches.
 */
class ConcurrentBatchingTest {
  private static final int CLIENTS = 32;
  private static final int REQUESTS_PER_CLIENT = 25;

  @Test
  void everyBatchedAnswerEqualsTheSingleRequestAnswerForItsOwnInput() throws Exception {
    JsonNode testSet = TestServer.JSON.readTree(TestModels.digitsTestSet().toFile());
    Random random = new Random(7);
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < CLIENTS * REQUESTS_PER_CLIENT; i++) {
      ArrayNode rows = TestServer.JSON.createArrayNode();
      int count = 1 + random.nextInt(3);
      for (int r = 0; r < count; r++) {
        rows.add(testSet.get("inputs").get(random.nextInt(testSet.get("inputs").size())));
      }
      bodies.add(DigitsServerTestSupport.request("r" + i, rows));
    }
    try (TestServer server =
        TestServer.start(
            TestServer.config(TestModels.digitsMlp(), "digits", "input:FP32:-1,64", 16))) {
      List<JsonNode> alone = new ArrayList<>();
      for (String body : bodies) {
        alone.add(
            TestServer.json(server.post("/v2/models/digits/infer", body)).path("outputs").get(0));
      }
      String before = server.get("/metrics").body();

      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<HttpResponse<String>>> futures = new ArrayList<>();
      for (String body : bodies) {
        futures.add(clients.submit(() -> server.post("/v2/models/digits/infer", body)));
      }
      for (int i = 0; i < bodies.size(); i++) {
        HttpResponse<String> response = futures.get(i).get();
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode json = TestServer.json(response);
        assertThat(json.path("id").asText()).isEqualTo("r" + i);
        JsonNode output = json.path("outputs").get(0);
        JsonNode expected = alone.get(i);
        assertThat(output.path("shape")).isEqualTo(expected.path("shape"));
        for (int k = 0; k < expected.path("data").size(); k++) {
          // Batched and single-row matrix products may round differently in the last bits.
          assertThat(output.path("data").get(k).asDouble())
              .isCloseTo(
                  expected.path("data").get(k).asDouble(),
                  org.assertj.core.data.Offset.offset(1e-4));
        }
      }
      clients.shutdown();
      String after = server.get("/metrics").body();
      double batches =
          metric(after, "maas_batch_size_count") - metric(before, "maas_batch_size_count");
      double rows = metric(after, "maas_batch_size_sum") - metric(before, "maas_batch_size_sum");
      assertThat(rows / batches).as("average rows per forward pass under load").isGreaterThan(2.0);
    }
  }

  private static double metric(String text, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.eE+]+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
