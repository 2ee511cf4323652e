package dev.maas.runtime.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.maas.runtime.TestModels;
import dev.maas.runtime.TestServer;
import dev.maas.runtime.grpc.v2.GRPCInferenceServiceGrpc;
import dev.maas.runtime.grpc.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.runtime.grpc.v2.InferTensorContents;
import dev.maas.runtime.grpc.v2.ModelInferRequest;
import dev.maas.runtime.grpc.v2.ModelInferResponse;
import dev.maas.runtime.grpc.v2.ModelMetadataRequest;
import dev.maas.runtime.grpc.v2.ModelMetadataResponse;
import dev.maas.runtime.grpc.v2.ModelReadyRequest;
import dev.maas.runtime.grpc.v2.ServerLiveRequest;
import dev.maas.runtime.grpc.v2.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gRPC API against a real server over a real socket, with grpc-java's own client: the same
 * answers as REST for the same rows, both tensor forms, REST's refusals as gRPC status codes, and
 * gRPC requests in the same metrics as REST's.
 */
class GrpcServerTest {
  private static TestServer server;
  private static ManagedChannel channel;
  private static GRPCInferenceServiceBlockingStub stub;
  private static float[][] rows;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.start(
            TestServer.config(TestModels.digitsMlp(), "digits", "input:FP32:-1,64", 32)
                .withOutputNames(List.of("logits"))
                .withGrpcPort(0));
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.server().grpcPort().getAsInt())
            .usePlaintext()
            .build();
    stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.HOURS);
    JsonNode testSet = TestServer.JSON.readTree(Files.readString(TestModels.digitsTestSet()));
    rows = new float[5][64];
    for (int r = 0; r < 5; r++) {
      for (int c = 0; c < 64; c++) {
        rows[r][c] = (float) testSet.path("inputs").get(r).get(c).asDouble();
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  private static ModelInferRequest.InferInputTensor.Builder input(String datatype, long... shape) {
    ModelInferRequest.InferInputTensor.Builder input =
        ModelInferRequest.InferInputTensor.newBuilder().setName("input").setDatatype(datatype);
    for (long dim : shape) {
      input.addShape(dim);
    }
    return input;
  }

  private static ModelInferRequest typed(String id) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (float[] row : rows) {
      for (float value : row) {
        contents.addFp32Contents(value);
      }
    }
    return ModelInferRequest.newBuilder()
        .setModelName("digits")
        .setId(id)
        .addInputs(input("FP32", rows.length, 64).setContents(contents))
        .build();
  }

  private static ByteString rawRows() {
    ByteBuffer bytes = ByteBuffer.allocate(rows.length * 64 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] row : rows) {
      for (float value : row) {
        bytes.putFloat(value);
      }
    }
    return ByteString.copyFrom(bytes.array());
  }

  private static ModelInferRequest raw() {
    return ModelInferRequest.newBuilder()
        .setModelName("digits")
        .addInputs(input("FP32", rows.length, 64))
        .addRawInputContents(rawRows())
        .build();
  }

  private static float[] logits(ModelInferResponse response) {
    ModelInferResponse.InferOutputTensor output = response.getOutputs(0);
    assertThat(output.getName()).isEqualTo("logits");
    assertThat(output.getDatatype()).isEqualTo("FP32");
    assertThat(output.getShapeList()).containsExactly((long) rows.length, 10L);
    float[] values = new float[rows.length * 10];
    if (response.getRawOutputContentsCount() > 0) {
      response
          .getRawOutputContents(0)
          .asReadOnlyByteBuffer()
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(values);
    } else {
      for (int i = 0; i < values.length; i++) {
        values[i] = output.getContents().getFp32Contents(i);
      }
    }
    return values;
  }

  @Test
  void healthAndMetadataAsTheProtocolDefinesThem() {
    assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("digits").build()).getReady())
        .isTrue();
    ModelMetadataResponse metadata =
        stub.modelMetadata(
            ModelMetadataRequest.newBuilder().setName("digits").setVersion("1").build());
    assertThat(metadata.getVersionsList()).containsExactly("1");
    assertThat(metadata.getPlatform()).isEqualTo("pytorch_torchscript");
    assertThat(metadata.getInputs(0).getShapeList()).containsExactly(-1L, 64L);
    assertThat(metadata.getOutputs(0).getName()).isEqualTo("logits");
  }

  @Test
  void typedAndRawAnswersEqualRestsForTheSameRows() throws Exception {
    ModelInferResponse typed = stub.modelInfer(typed("typed-1"));
    assertThat(typed.getId()).isEqualTo("typed-1");
    assertThat(typed.getRawOutputContentsCount()).as("typed in, typed out").isZero();
    ModelInferResponse raw = stub.modelInfer(raw());
    assertThat(raw.getRawOutputContentsCount()).as("raw in, raw out").isEqualTo(1);
    StringBuilder data = new StringBuilder();
    for (float[] row : rows) {
      for (float value : row) {
        data.append(data.isEmpty() ? "" : ",").append(value);
      }
    }
    HttpResponse<String> rest =
        server.post(
            "/v2/models/digits/infer",
            "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[5,64],\"data\":["
                + data
                + "]}]}");
    JsonNode restLogits = TestServer.json(rest).path("outputs").get(0).path("data");
    float[] expected = new float[restLogits.size()];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = (float) restLogits.get(i).asDouble();
    }
    assertThat(logits(typed)).containsExactly(expected);
    assertThat(logits(raw)).containsExactly(expected);
  }

  @Test
  void restsRefusalsAreGrpcStatusCodesWithTheSameWordsAndTheServerKeepsServing() {
    assertRefused(
        ModelInferRequest.newBuilder(raw()).setModelName("other").build(),
        Status.Code.NOT_FOUND,
        "unknown model 'other'; this server serves 'digits'");
    assertRefused(
        ModelInferRequest.newBuilder(raw()).setModelVersion("7").build(),
        Status.Code.NOT_FOUND,
        "model digits has no version '7'");
    assertRefused(
        ModelInferRequest.newBuilder()
            .setModelName("digits")
            .addInputs(input("FP32", 2, 64))
            .addRawInputContents(rawRows())
            .build(),
        Status.Code.INVALID_ARGUMENT,
        "input 'input': raw_input_contents holds 1280 bytes but shape [2, 64] of FP32 is 512"
            + " bytes");
    assertRefused(
        ModelInferRequest.newBuilder()
            .setModelName("digits")
            .addInputs(
                input("FP16", 1, 64)
                    .setContents(InferTensorContents.newBuilder().addFp32Contents(1)))
            .build(),
        Status.Code.INVALID_ARGUMENT,
        "FP16 has no typed contents field in the protocol; send its bytes in raw_input_contents");
    assertRefused(
        ModelInferRequest.newBuilder()
            .setModelName("digits")
            .addInputs(
                input("FP32", 1, 2)
                    .setContents(
                        InferTensorContents.newBuilder().addIntContents(1).addIntContents(2)))
            .build(),
        Status.Code.INVALID_ARGUMENT,
        "input 'input' has no data: FP32 values go in contents.fp32_contents, not"
            + " contents.int_contents");
    assertRefused(
        ModelInferRequest.newBuilder(raw()).addRawInputContents(rawRows()).build(),
        Status.Code.INVALID_ARGUMENT,
        "raw_input_contents has 2 entries for 1 inputs");
    assertRefused(
        ModelInferRequest.newBuilder(raw())
            .addOutputs(
                ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("probabilities"))
            .build(),
        Status.Code.INVALID_ARGUMENT,
        "unknown output 'probabilities'; the model has [logits]");
    assertRefused(
        ModelInferRequest.newBuilder()
            .setModelName("digits")
            .addInputs(input("INT16", 1, 64))
            .addRawInputContents(ByteString.copyFrom(new byte[128]))
            .build(),
        Status.Code.INVALID_ARGUMENT,
        "datatype INT16 is not supported by this server; send INT32");
    assertThat(stub.modelInfer(raw()).getOutputsCount()).as("still serving").isEqualTo(1);
  }

  @Test
  void aMessageOverTheBodyLimitIsResourceExhausted() {
    ByteString big = ByteString.copyFrom(new byte[(1 << 20) + 4096]);
    assertThatThrownBy(
            () ->
                stub.modelInfer(
                    ModelInferRequest.newBuilder()
                        .setModelName("digits")
                        .addInputs(input("FP32", 1, big.size() / 4))
                        .addRawInputContents(big)
                        .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
  }

  @Test
  void grpcRequestsCountInTheSameMetricsAsRest() throws Exception {
    double okBefore = requests("ok");
    double badBefore = requests("bad_request");
    for (int i = 0; i < 3; i++) {
      stub.modelInfer(raw());
    }
    assertRefused(
        ModelInferRequest.newBuilder()
            .setModelName("digits")
            .addInputs(input("FP32", 3, 64))
            .addRawInputContents(rawRows())
            .build(),
        Status.Code.INVALID_ARGUMENT,
        "raw_input_contents holds");
    assertThat(requests("ok") - okBefore).isEqualTo(3);
    assertThat(requests("bad_request") - badBefore).isEqualTo(1);
  }

  private static double requests(String outcome) throws Exception {
    String metrics = server.get("/metrics").body();
    Matcher m =
        Pattern.compile(
                "(?m)^maas_requests_total\\{model=\"digits\",outcome=\"" + outcome + "\"} (\\S+)$")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static void assertRefused(ModelInferRequest request, Status.Code code, String words) {
    assertThatThrownBy(() -> stub.modelInfer(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(words);
            });
  }

  /** A server still loading its model: live, not ready, and inference says when to come back. */
  @Test
  void whileTheModelLoadsInferenceIsUnavailableWithAPushback() throws Exception {
    try (TestServer loading =
        TestServer.listenOnly(
            TestServer.config(TestModels.digitsMlp(), "digits", "input:FP32:-1,64", 32)
                .withGrpcPort(0))) {
      ManagedChannel other =
          NettyChannelBuilder.forAddress("127.0.0.1", loading.server().grpcPort().getAsInt())
              .usePlaintext()
              .build();
      try {
        GRPCInferenceServiceBlockingStub client = GRPCInferenceServiceGrpc.newBlockingStub(other);
        assertThat(client.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(client.serverReady(ServerReadyRequest.getDefaultInstance()).getReady())
            .isFalse();
        assertThatThrownBy(() -> client.modelInfer(raw()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> {
                  assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                  assertThat(e.getStatus().getDescription())
                      .isEqualTo("model digits is still loading");
                  assertThat(e.getTrailers().get(GrpcErrors.RETRY_PUSHBACK_MS)).isEqualTo("5000");
                });
      } finally {
        other.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aFullQueueIsResourceExhaustedAndAnAuthenticationChallengeATrailer() {
    StatusRuntimeException full =
        GrpcErrors.from(
            dev.maas.runtime.http.HttpError.from(
                new dev.maas.runtime.batching.QueueFullException(256)));
    assertThat(full.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(full.getTrailers().get(GrpcErrors.RETRY_PUSHBACK_MS)).isEqualTo("1000");
    StatusRuntimeException unauthenticated =
        GrpcErrors.from(
            dev.maas.runtime.http.AccessErrors.unauthenticated(
                "digits",
                new dev.maas.runtime.access.AccessDecision.Unauthenticated(
                    "no credential", false)));
    assertThat(unauthenticated.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(
            unauthenticated
                .getTrailers()
                .get(Metadata.Key.of("www-authenticate", Metadata.ASCII_STRING_MARSHALLER)))
        .isEqualTo("Bearer realm=\"digits\"");
  }
}
