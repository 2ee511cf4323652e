package dev.maas.runtime.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;

/**
 * Health, server metadata and model metadata, as the Open Inference Protocol defines them: health
 * answers are carried by the status code alone (200 true, 4xx false) with an empty body.
 */
final class MetadataEndpoints {
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
              json.writeStringField("name", ServerIdentity.NAME);
              json.writeStringField("version", ServerIdentity.VERSION);
              json.writeArrayFieldStart("extensions");
              for (String extension : ServerIdentity.EXTENSIONS) {
                json.writeString(extension);
              }
              json.writeEndArray();
              json.writeEndObject();
            });
    Responses.sendJson(ctx, HttpResponseStatus.OK, body, keepAlive);
  }

  void model(ChannelHandlerContext ctx, boolean keepAlive) {
    ModelMetadata metadata = ModelMetadata.of(state);
    ByteBuf body =
        Responses.json(
            ctx,
            json -> {
              json.writeStartObject();
              json.writeStringField("name", metadata.name());
              json.writeArrayFieldStart("versions");
              json.writeString(metadata.version());
              json.writeEndArray();
              json.writeStringField("platform", metadata.platform());
              json.writeArrayFieldStart("inputs");
              for (ModelMetadata.Tensor input : metadata.inputs()) {
                writeTensorMetadata(json, input);
              }
              json.writeEndArray();
              json.writeArrayFieldStart("outputs");
              for (ModelMetadata.Tensor output : metadata.outputs()) {
                writeTensorMetadata(json, output);
              }
              json.writeEndArray();
              json.writeEndObject();
            });
    Responses.sendJson(ctx, HttpResponseStatus.OK, body, keepAlive);
  }

  private static void writeTensorMetadata(JsonGenerator json, ModelMetadata.Tensor tensor)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("name", tensor.name());
    json.writeStringField("datatype", tensor.datatype());
    json.writeArrayFieldStart("shape");
    for (long dim : tensor.shape()) {
      json.writeNumber(dim);
    }
    json.writeEndArray();
    json.writeEndObject();
  }
}
