package dev.maas.runtime.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.maas.contract.TensorSignature;
import dev.maas.runtime.batching.InferenceEngine;
import dev.maas.runtime.batching.TensorDescription;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Health, server metadata and model metadata, as the Open Inference Protocol defines them: health
 * answers are carried by the status code alone (200 true, 4xx false) with an empty body.
 */
final class MetadataEndpoints {
  static final String SERVER_NAME = "maas-runtime";
  static final String SERVER_VERSION = "0.1.0";

  /** The datatype metadata shows for an input nobody declared and no request has shown yet. */
  static final String UNDECLARED = "UNDECLARED";

  private final ServingState state;

  MetadataEndpoints(ServingState state) {
    this.state = state;
  }

  /**
   * Health is told twice: by the status code (200, or 400 when not ready), which Triton's clients
   * and kubelet probes read, and by the OIP's JSON body ({"live": true}, {"ready": false}), which
   * the KServe SDK parses and fails on when it is empty.
   */
  void live(ChannelHandlerContext ctx, boolean keepAlive) {
    health(ctx, keepAlive, "live", true, null);
  }

  void ready(ChannelHandlerContext ctx, boolean keepAlive) {
    health(ctx, keepAlive, "ready", state.ready(), null);
  }

  void modelReady(ChannelHandlerContext ctx, boolean keepAlive) {
    health(ctx, keepAlive, "ready", state.ready(), state.modelName());
  }

  private static void health(
      ChannelHandlerContext ctx, boolean keepAlive, String field, boolean value, String model) {
    ByteBuf body =
        Responses.json(
            ctx,
            json -> {
              json.writeStartObject();
              if (model != null) {
                json.writeStringField("name", model);
              }
              json.writeBooleanField(field, value);
              json.writeEndObject();
            });
    Responses.sendJson(
        ctx, value ? HttpResponseStatus.OK : HttpResponseStatus.BAD_REQUEST, body, keepAlive);
  }

  void server(ChannelHandlerContext ctx, boolean keepAlive) {
    ByteBuf body =
        Responses.json(
            ctx,
            json -> {
              json.writeStartObject();
              json.writeStringField("name", SERVER_NAME);
              json.writeStringField("version", SERVER_VERSION);
              // Output selection and request ids are core protocol; of the optional extensions,
              // only those served are listed: a client may call what is listed.
              json.writeArrayFieldStart("extensions");
              json.writeString("binary_tensor_data");
              json.writeEndArray();
              json.writeEndObject();
            });
    Responses.sendJson(ctx, HttpResponseStatus.OK, body, keepAlive);
  }

  void model(ChannelHandlerContext ctx, boolean keepAlive) {
    Optional<InferenceEngine> engine = state.engine();
    List<TensorDescription> outputs = engine.map(InferenceEngine::outputs).orElse(List.of());
    ByteBuf body =
        Responses.json(
            ctx,
            json -> {
              json.writeStartObject();
              json.writeStringField("name", state.modelName());
              json.writeArrayFieldStart("versions");
              json.writeString(state.modelVersion());
              json.writeEndArray();
              json.writeStringField("platform", "pytorch_torchscript");
              json.writeArrayFieldStart("inputs");
              writeInputs(json, engine);
              json.writeEndArray();
              json.writeArrayFieldStart("outputs");
              for (TensorDescription output : outputs) {
                writeTensorMetadata(
                    json, output.name(), output.datatype().name(), output.batchedShape());
              }
              json.writeEndArray();
              json.writeEndObject();
            });
    Responses.sendJson(ctx, HttpResponseStatus.OK, body, keepAlive);
  }

  /**
   * Declared inputs as declared; otherwise as the first request showed them; before that, the names
   * requests bind by, with a datatype that says it was not declared (a client building a request
   * from it fails loudly rather than sending a guess).
   */
  private void writeInputs(JsonGenerator json, Optional<InferenceEngine> engine)
      throws IOException {
    if (state.signature().isPresent()) {
      for (TensorSignature input : state.signature().get().inputs()) {
        writeTensorMetadata(json, input.name(), input.datatype().name(), input.shape());
      }
      return;
    }
    List<TensorDescription> observed =
        engine.map(InferenceEngine::observedInputs).orElse(List.of());
    if (!observed.isEmpty()) {
      for (TensorDescription input : observed) {
        writeTensorMetadata(json, input.name(), input.datatype().name(), input.batchedShape());
      }
      return;
    }
    for (String name : engine.map(InferenceEngine::inputNames).orElse(List.of())) {
      writeTensorMetadata(json, name, UNDECLARED, new long[] {-1});
    }
  }

  private static void writeTensorMetadata(
      JsonGenerator json, String name, String datatype, long[] shape) throws IOException {
    json.writeStartObject();
    json.writeStringField("name", name);
    json.writeStringField("datatype", datatype);
    json.writeArrayFieldStart("shape");
    for (long dim : shape) {
      json.writeNumber(dim);
    }
    json.writeEndArray();
    json.writeEndObject();
  }
}
