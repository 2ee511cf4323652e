package dev.maas.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas.runtime.TestModels;
import dev.maas.runtime.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two inputs and two outputs, INT64 inputs, and a model served without a declared signature. */
class OtherModelsServerTest {
  private static final String TWO_INPUTS =
      "{\"inputs\":["
          + "{\"name\":\"b\",\"datatype\":\"FP32\",\"shape\":[2,4],\"data\":[[1,2,3,4],[5,6,7,8]]},"
          + "{\"name\":\"a\",\"datatype\":\"FP32\",\"shape\":[2,4],\"data\":[[2,2,2,2],[0.5,0.5,0.5,0.5]]}]%s}";

  @Test
  void inputsAreMatchedByNameAndOutputsSelected() throws Exception {
    try (TestServer server =
        TestServer.start(
            TestServer.config(TestModels.twoInputs(), "pair", "a:FP32:-1,4;b:FP32:-1,4", 8)
                .withOutputNames(List.of("mix", "product")))) {
      HttpResponse<String> all = server.post("/v2/models/pair/infer", TWO_INPUTS.formatted(""));
      assertThat(all.statusCode()).isEqualTo(200);
      JsonNode outputs = TestServer.json(all).path("outputs");
      assertThat(outputs).hasSize(2);
      assertThat(outputs.get(0).path("name").asText()).isEqualTo("mix");
      assertThat(outputs.get(0).path("shape").toString()).isEqualTo("[2,3]");
      assertThat(outputs.get(1).path("data").toString())
          .as("a * b, with b sent first")
          .isEqualTo("[2.0,4.0,6.0,8.0,2.5,3.0,3.5,4.0]");

      HttpResponse<String> onlyProduct =
          server.post(
              "/v2/models/pair/infer",
              TWO_INPUTS.formatted(",\"outputs\":[{\"name\":\"product\"}]"));
      JsonNode selected = TestServer.json(onlyProduct).path("outputs");
      assertThat(selected).hasSize(1);
      assertThat(selected.get(0).path("name").asText()).isEqualTo("product");

      HttpResponse<String> missingB =
          server.post(
              "/v2/models/pair/infer",
              "{\"inputs\":[{\"name\":\"a\",\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":[1,2,3,4]}]}");
      assertThat(missingB.statusCode()).isEqualTo(400);
      assertThat(TestServer.json(missingB).path("error").asText()).contains("missing input 'b'");
    }
  }

  @Test
  void int64InputsReachTheModelAsInt64() throws Exception {
    try (TestServer server =
        TestServer.start(
            TestServer.config(TestModels.tokenClassifier(), "tokens", "tokens:INT64:-1,8", 8))) {
      HttpResponse<String> ok =
          server.post(
              "/v2/models/tokens/infer",
              "{\"inputs\":[{\"name\":\"tokens\",\"datatype\":\"INT64\",\"shape\":[1,8],\"data\":[1,2,3,4,5,6,7,99]}]}");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(TestServer.json(ok).path("outputs").get(0).path("shape").toString())
          .isEqualTo("[1,4]");
      HttpResponse<String> floats =
          server.post(
              "/v2/models/tokens/infer",
              "{\"inputs\":[{\"name\":\"tokens\",\"datatype\":\"FP32\",\"shape\":[1,8],\"data\":[1,2,3,4,5,6,7,8]}]}");
      assertThat(floats.statusCode()).isEqualTo(400);
      assertThat(TestServer.json(floats).path("error").asText())
          .contains("must be INT64, got FP32");
      HttpResponse<String> unknownToken =
          server.post(
              "/v2/models/tokens/infer",
              "{\"inputs\":[{\"name\":\"tokens\",\"datatype\":\"INT64\",\"shape\":[1,8],\"data\":[1,2,3,4,5,6,7,1000000]}]}");
      assertThat(unknownToken.statusCode()).isEqualTo(400);
      assertThat(TestServer.json(unknownToken).path("error").asText())
          .startsWith("the model could not run on this input: ")
          .doesNotContain("TorchScript interpreter")
          .contains("1000000");
      assertThat(
              server
                  .post(
                      "/v2/models/tokens/infer",
                      "{\"inputs\":[{\"name\":\"tokens\",\"datatype\":\"INT64\",\"shape\":[1,8],\"data\":[1,2,3,4,5,6,7,99]}]}")
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void withoutASignatureInputsBindByTheForwardsOwnNames() throws Exception {
    String aThenB =
        "{\"inputs\":["
            + "{\"name\":\"a\",\"datatype\":\"FP32\",\"shape\":[2,4],\"data\":[[2,2,2,2],[0.5,0.5,0.5,0.5]]},"
            + "{\"name\":\"b\",\"datatype\":\"FP32\",\"shape\":[2,4],\"data\":[[1,2,3,4],[5,6,7,8]]}]}";
    try (TestServer server =
        TestServer.start(TestServer.config(TestModels.twoInputs(), "pair", null, 8))) {
      // Before any request: forward(a, b)'s names, marked as not declared.
      JsonNode before = TestServer.json(server.get("/v2/models/pair")).path("inputs");
      assertThat(before).hasSize(2);
      assertThat(before.get(0).path("name").asText()).isEqualTo("a");
      assertThat(before.get(1).path("name").asText()).isEqualTo("b");
      assertThat(before.get(0).path("datatype").asText()).isEqualTo("UNDECLARED");

      HttpResponse<String> bFirst = server.post("/v2/models/pair/infer", TWO_INPUTS.formatted(""));
      HttpResponse<String> aFirst = server.post("/v2/models/pair/infer", aThenB);
      assertThat(bFirst.statusCode()).isEqualTo(200);
      assertThat(aFirst.statusCode()).isEqualTo(200);
      assertThat(TestServer.json(bFirst).path("outputs").get(0).path("data"))
          .as("the same answer whichever input comes first in the request")
          .isEqualTo(TestServer.json(aFirst).path("outputs").get(0).path("data"));
      assertThat(TestServer.json(aFirst).path("outputs").get(0).path("name").asText())
          .isEqualTo("output0");

      // After it: what the request showed.
      JsonNode after = TestServer.json(server.get("/v2/models/pair"));
      assertThat(after.path("inputs").get(1).path("datatype").asText()).isEqualTo("FP32");
      assertThat(after.path("inputs").get(1).path("shape").toString()).isEqualTo("[-1,4]");
      assertThat(after.path("outputs")).hasSize(2);

      HttpResponse<String> misspelt =
          server.post(
              "/v2/models/pair/infer",
              "{\"inputs\":[{\"name\":\"a\",\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":[1,2,3,4]},"
                  + "{\"name\":\"B\",\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":[1,2,3,4]}]}");
      assertThat(misspelt.statusCode()).isEqualTo(400);
      assertThat(TestServer.json(misspelt).path("error").asText())
          .isEqualTo("unknown input(s) [B]; model pair takes [a, b]");

      HttpResponse<String> wrongShape =
          server.post(
              "/v2/models/pair/infer",
              "{\"inputs\":[{\"name\":\"a\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]},"
                  + "{\"name\":\"b\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]}]}");
      assertThat(wrongShape.statusCode()).isEqualTo(400);
      // Shapes are not declared, so the model judges them: the cause libtorch gave, not only
      // TorchScript's "failed in the interpreter" preamble.
      assertThat(TestServer.json(wrongShape).path("error").asText())
          .startsWith("the model could not run on this input: ")
          .doesNotContain("TorchScript interpreter")
          .containsPattern("(?i)shape|size|mat1");
      assertThat(server.post("/v2/models/pair/infer", TWO_INPUTS.formatted("")).statusCode())
          .isEqualTo(200);
    }
  }

  /** INT16 used to abort the JVM inside DJL (the whole pod, for one request): now a 400. */
  @Test
  void int16IsRefusedAndTheServerKeepsServing() throws Exception {
    try (TestServer server =
        TestServer.start(TestServer.config(TestModels.echo(), "echo", null, 8))) {
      HttpResponse<String> shorts =
          server.post(
              "/v2/models/echo/infer",
              "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT16\",\"shape\":[1,2],\"data\":[1,2]}]}");
      assertThat(shorts.statusCode()).isEqualTo(400);
      assertThat(TestServer.json(shorts).path("error").asText())
          .contains("datatype INT16 is not supported by this server; send INT32");
      HttpResponse<String> ints =
          server.post(
              "/v2/models/echo/infer",
              "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT32\",\"shape\":[1,2],\"data\":[1,2]}]}");
      assertThat(ints.statusCode()).isEqualTo(200);
      assertThat(TestServer.json(ints).path("outputs").get(0).path("data").toString())
          .isEqualTo("[1,2]");
    }
  }

  @Test
  void beforeTheModelIsLoadedInferenceIs503WithRetryAfterAndReadinessIsFalse() throws Exception {
    try (TestServer server =
        TestServer.listenOnly(
            TestServer.config(TestModels.digitsMlp(), "digits", "input:FP32:-1,64", 8))) {
      assertThat(server.get("/v2/health/live").statusCode()).isEqualTo(200);
      assertThat(server.get("/v2/health/ready").statusCode()).isEqualTo(400);
      HttpResponse<String> infer =
          server.post(
              "/v2/models/digits/infer",
              "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[1]}]}");
      assertThat(infer.statusCode()).isEqualTo(503);
      assertThat(infer.headers().firstValue("retry-after")).isPresent();
      assertThat(TestServer.json(infer).path("error").asText()).contains("is still loading");
    }
  }
}
