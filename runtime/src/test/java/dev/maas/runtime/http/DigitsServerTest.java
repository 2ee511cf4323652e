package dev.maas.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maas.runtime.TestModels;
import dev.maas.runtime.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Open Inference Protocol endpoints of a server running the digits MLP. */
class DigitsServerTest {
  private static TestServer server;
  private static JsonNode testSet;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.start(
            TestServer.config(TestModels.digitsMlp(), "digits", "input:FP32:-1,64", 32)
                .withOutputNames(List.of("logits")));
    testSet = TestServer.JSON.readTree(TestModels.digitsTestSet().toFile());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String request(String id, JsonNode rows) {
    ObjectNode body = TestServer.JSON.createObjectNode();
    if (id != null) {
      body.put("id", id);
    }
    ObjectNode input = body.putArray("inputs").addObject();
    input.put("name", "input").put("datatype", "FP32");
    input.putArray("shape").add(rows.size()).add(64);
    input.set("data", rows);
    return body.toString();
  }

  @Test
  void healthIsAnsweredByStatusCodeAndTheProtocolsJsonBody() throws Exception {
    HttpResponse<String> live = server.get("/v2/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("{\"live\":true}");
    HttpResponse<String> ready = server.get("/v2/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("{\"ready\":true}");
    HttpResponse<String> modelReady = server.get("/v2/models/digits/ready");
    assertThat(modelReady.statusCode()).isEqualTo(200);
    assertThat(modelReady.body()).isEqualTo("{\"name\":\"digits\",\"ready\":true}");
    assertThat(server.get("/v2/models/digits/versions/1/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void serverAndModelMetadata() throws Exception {
    JsonNode server2 = TestServer.json(server.get("/v2"));
    assertThat(server2.path("name").asText()).isEqualTo("maas-runtime");
    assertThat(server2.path("extensions").isArray()).isTrue();
    JsonNode model = TestServer.json(server.get("/v2/models/digits"));
    assertThat(model.path("name").asText()).isEqualTo("digits");
    assertThat(model.path("versions").toString()).isEqualTo("[\"1\"]");
    assertThat(model.path("platform").asText()).isEqualTo("pytorch_torchscript");
    assertThat(model.path("inputs").toString())
        .isEqualTo("[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,64]}]");
    assertThat(model.path("outputs").toString())
        .isEqualTo("[{\"name\":\"logits\",\"datatype\":\"FP32\",\"shape\":[-1,10]}]");
    assertThat(TestServer.json(server.get("/v2/models/digits/versions/1"))).isEqualTo(model);
  }

  /** The whole held-out set in one request reproduces the accuracy make_models.py recorded. */
  @Test
  void predictionsMatchTheRecordedHeldOutAccuracy() throws Exception {
    JsonNode models = TestServer.JSON.readTree(TestModels.dir().resolve("models.json").toFile());
    double recorded =
        models.path("models").path("digits_mlp.pt").path("heldOutAccuracy").asDouble();
    int samples = testSet.get("labels").size();
    int correct = 0;
    // In requests of at most --max-batch-size (32) rows, as a client of this server must.
    for (int from = 0; from < samples; from += 32) {
      ArrayNode rows = TestServer.JSON.createArrayNode();
      for (int i = from; i < Math.min(samples, from + 32); i++) {
        rows.add(testSet.get("inputs").get(i));
      }
      HttpResponse<String> response =
          server.post("/v2/models/digits/infer", request("held-out-" + from, rows));
      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode body = TestServer.json(response);
      assertThat(body.path("id").asText()).isEqualTo("held-out-" + from);
      assertThat(body.path("model_name").asText()).isEqualTo("digits");
      JsonNode output = body.path("outputs").get(0);
      assertThat(output.path("name").asText()).isEqualTo("logits");
      assertThat(output.path("datatype").asText()).isEqualTo("FP32");
      assertThat(output.path("shape").toString()).isEqualTo("[" + rows.size() + ",10]");
      for (int row = 0; row < rows.size(); row++) {
        int best = 0;
        for (int k = 1; k < 10; k++) {
          if (output.path("data").get(row * 10 + k).asDouble()
              > output.path("data").get(row * 10 + best).asDouble()) {
            best = k;
          }
        }
        correct += best == testSet.get("labels").get(from + row).asInt() ? 1 : 0;
      }
    }
    assertThat((double) correct / samples)
        .isCloseTo(recorded, org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void aRequestOfMoreRowsThanTheMaximumBatchIsRefusedWithA400NamingTheLimit() throws Exception {
    ArrayNode rows = TestServer.JSON.createArrayNode();
    for (int i = 0; i < 33; i++) {
      rows.add(testSet.get("inputs").get(i));
    }
    HttpResponse<String> tooMany = server.post("/v2/models/digits/infer", request(null, rows));
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(tooMany).path("error").asText())
        .contains("33 rows", "at most 32 per request (--max-batch-size)");
    assertStillServing();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1e39     | input 'input': 1.0E39 is out of range for FP32",
        "-1e39    | input 'input': -1.0E39 is out of range for FP32",
        "1e309    | inputs[0].data: 1e309 does not fit in 64 bits",
      })
  void numbersThatDoNotFitTheDatatypeAre400NamingTheInput(String number, String message)
      throws Exception {
    StringBuilder data = new StringBuilder(number);
    for (int i = 1; i < 64; i++) {
      data.append(",0");
    }
    HttpResponse<String> refused =
        server.post(
            "/v2/models/digits/infer",
            "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,64],"
                + "\"data\":["
                + data
                + "]}]}");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(refused).path("error").asText()).startsWith(message);
    assertStillServing();
  }

  @Test
  void anOutputThatIsNotFiniteIsA500NeverAQuotedNaNInANumericTensor() throws Exception {
    // The largest FP32 inputs overflow the first layer: infinities, then NaN, in the logits.
    StringBuilder data = new StringBuilder("3.4e38");
    for (int i = 1; i < 64; i++) {
      data.append(i % 2 == 0 ? ",3.4e38" : ",-3.4e38");
    }
    HttpResponse<String> answer =
        server.post(
            "/v2/models/digits/infer",
            "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,64],"
                + "\"data\":["
                + data
                + "]}]}");
    assertThat(answer.body()).doesNotContain("\"NaN\"", "Infinity\"");
    assertThat(answer.statusCode()).isEqualTo(500);
    assertThat(TestServer.json(answer).path("error").asText())
        .startsWith("the model's output 'logits' holds")
        .contains("which JSON cannot carry");
    assertStillServing();
  }

  @Test
  void badPercentEncodingIsA400AndA405NamesTheAllowedMethods() throws Exception {
    assertThat(rawRequest("GET /v2/models/digits%%5Fmlp HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 400")
        .contains("malformed percent-encoding in the request path");
    HttpResponse<String> getInfer = server.get("/v2/models/digits/infer");
    assertThat(getInfer.statusCode()).isEqualTo(405);
    assertThat(getInfer.headers().firstValue("allow")).hasValue("POST");
    HttpResponse<String> postHealth = server.post("/v2/health/ready", "");
    assertThat(postHealth.statusCode()).isEqualTo(405);
    assertThat(postHealth.headers().firstValue("allow")).hasValue("GET, HEAD");
    assertStillServing();
  }

  /** One request on its own connection, written byte for byte; the answer as text. */
  private static String rawRequest(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      byte[] buffer = new byte[8192];
      int read = socket.getInputStream().read(buffer);
      return read < 0 ? "" : new String(buffer, 0, read, StandardCharsets.UTF_8);
    }
  }

  @Test
  void nestedDataVersionsPathAndOutputSelection() throws Exception {
    ArrayNode rows = TestServer.JSON.createArrayNode().add(testSet.get("inputs").get(0));
    String body =
        "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,64],\"data\":"
            + rows
            + "}],\"outputs\":[{\"name\":\"logits\"}]}";
    HttpResponse<String> response = server.post("/v2/models/digits/versions/1/infer", body);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TestServer.json(response).path("outputs")).hasSize(1);
    assertThat(TestServer.json(response).has("id")).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "malformed JSON       | 400 | {\"inputs\":[                                                                   | malformed JSON",
        "wrong datatype       | 400 | {\"inputs\":[{\"name\":\"input\",\"datatype\":\"INT64\",\"shape\":[1,64],\"data\":["
            + "ZEROS64"
            + "]}]} | input 'input' must be FP32, got INT64",
        "wrong item shape     | 400 | {\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[1,2]}]}          | has shape [1, 2]; the model takes [-1, 64]",
        "unknown input        | 400 | {\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[1]}]}           | unknown input(s) [pixels]; model digits takes [input]",
        "BF16                 | 400 | {\"inputs\":[{\"name\":\"input\",\"datatype\":\"BF16\",\"shape\":[1,1],\"data\":[1]}]}            | BF16 is not supported",
        "empty batch          | 400 | {\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[0,64],\"data\":[]}]}             | batch dimension of every input must be at least 1",
        "unknown output       | 400 | {\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,64],\"data\":["
            + "ZEROS64"
            + "]}],\"outputs\":[{\"name\":\"probs\"}]} | unknown output 'probs'",
      })
  void badRequestsGetA400JsonErrorAndTheServerKeepsServing(
      String mistake, int status, String body, String message) throws Exception {
    String zeros = String.join(",", java.util.Collections.nCopies(64, "0"));
    HttpResponse<String> response =
        server.post("/v2/models/digits/infer", body.replace("ZEROS64", zeros));
    assertThat(response.statusCode()).as(mistake).isEqualTo(status);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(TestServer.json(response).path("error").asText()).contains(message);
    assertStillServing();
  }

  @Test
  void unknownModelsVersionsAndPathsAre404AndWrongMethodsAre405() throws Exception {
    HttpResponse<String> unknownModel = server.post("/v2/models/cats/infer", "{}");
    assertThat(unknownModel.statusCode()).isEqualTo(404);
    assertThat(TestServer.json(unknownModel).path("error").asText())
        .contains("unknown model 'cats'");
    assertThat(server.get("/v2/models/digits/versions/7").statusCode()).isEqualTo(404);
    assertThat(server.get("/v1/models").statusCode()).isEqualTo(404);
    assertThat(server.get("/v2/models/digits/infer").statusCode()).isEqualTo(405);
    assertStillServing();
  }

  @Test
  void aBodyOverTheLimitGetsA413JsonErrorBeforeItIsRead() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v2/models/digits/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 50000000\r\n\r\n{\"inputs\":")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 413");
      assertThat(response)
          .contains("{\"error\":\"request body exceeds the limit of 1048576 bytes\"}");
    }
    assertStillServing();
  }

  @Test
  void metricsAreExposedInPrometheusTextFormat() throws Exception {
    assertStillServing();
    server.post("/v2/models/digits/infer", "{");
    HttpResponse<String> metrics = server.get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("maas_requests_total{model=\"digits\",outcome=\"ok\"}")
        .contains("maas_requests_total{model=\"digits\",outcome=\"bad_request\"}")
        .contains("maas_request_duration_seconds_bucket{model=\"digits\",le=")
        .contains("maas_queue_wait_seconds_count")
        .contains("maas_batch_size_bucket{le=\"32.0\"}")
        .contains("maas_queue_depth 0")
        .contains("maas_inflight_requests 0")
        .containsPattern("maas_model_load_seconds [0-9.]+");
  }

  private static void assertStillServing() throws Exception {
    ArrayNode rows = TestServer.JSON.createArrayNode().add(testSet.get("inputs").get(1));
    HttpResponse<String> ok = server.post("/v2/models/digits/infer", request("after", rows));
    assertThat(ok.statusCode()).isEqualTo(200);
  }
}
