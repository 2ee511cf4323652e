package dev.maas.runtime.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writing responses: JSON bodies, keep-alive unless the client or a drain says otherwise. */
final class Responses {
  private static final JsonFactory JSON = new JsonFactory();

  private Responses() {}

  interface JsonBody {
    void write(JsonGenerator json) throws IOException;
  }

  static ByteBuf json(ChannelHandlerContext ctx, JsonBody body) {
    ByteBuf buffer = ctx.alloc().buffer(256);
    try (JsonGenerator json =
        JSON.createGenerator((java.io.OutputStream) new ByteBufOutputStream(buffer))) {
      body.write(json);
    } catch (IOException e) {
      buffer.release();
      throw new UncheckedIOException(e);
    }
    return buffer;
  }

  static void sendJson(
      ChannelHandlerContext ctx, HttpResponseStatus status, ByteBuf body, boolean keepAlive) {
    send(ctx, status, body, "application/json", keepAlive);
  }

  /**
   * An answer with binary tensor data: the JSON part's length in {@code
   * Inference-Header-Content-Length}, as the binary tensor data extension asks.
   */
  static void sendBinaryTensors(
      ChannelHandlerContext ctx, ByteBuf body, long jsonLength, boolean keepAlive) {
    FullHttpResponse response =
        response(HttpResponseStatus.OK, body, "application/octet-stream", keepAlive);
    response.headers().set("Inference-Header-Content-Length", jsonLength);
    write(ctx, response, keepAlive);
  }

  static void sendEmpty(ChannelHandlerContext ctx, HttpResponseStatus status, boolean keepAlive) {
    send(ctx, status, Unpooled.EMPTY_BUFFER, null, keepAlive);
  }

  static void sendError(ChannelHandlerContext ctx, HttpError error, boolean keepAlive) {
    ByteBuf body =
        json(
            ctx,
            json -> {
              json.writeStartObject();
              json.writeStringField("error", error.message());
              json.writeEndObject();
            });
    FullHttpResponse response = response(error.status(), body, "application/json", keepAlive);
    if (error.retryAfterSeconds() != null) {
      response.headers().set(HttpHeaderNames.RETRY_AFTER, error.retryAfterSeconds());
    }
    error.headers().forEach((name, value) -> response.headers().set(name, value));
    write(ctx, response, keepAlive);
  }

  static void send(
      ChannelHandlerContext ctx,
      HttpResponseStatus status,
      ByteBuf body,
      String contentType,
      boolean keepAlive) {
    write(ctx, response(status, body, contentType, keepAlive), keepAlive);
  }

  private static FullHttpResponse response(
      HttpResponseStatus status, ByteBuf body, String contentType, boolean keepAlive) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    if (contentType != null) {
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return response;
  }

  private static void write(
      ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    if (keepAlive) {
      ctx.writeAndFlush(response, ctx.voidPromise());
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
