package dev.maas.runtime.http;

import dev.maas.contract.RuntimeMetrics;
import dev.maas.runtime.batching.InferenceEngine;
import dev.maas.runtime.metrics.ServerMetrics;
import dev.maas.runtime.protocol.InferenceRequest;
import dev.maas.runtime.protocol.InferenceRequestDecoder;
import dev.maas.runtime.protocol.InferenceResponseEncoder;
import dev.maas.runtime.protocol.Tensor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code POST /v2/models/{name}/infer}: decode on the event loop, queue for a batch, and encode the
 * answer back on the connection's event loop so that workers spend their time in libtorch.
 */
final class InferenceEndpoint {
  private final ServingState state;
  private final ServerMetrics metrics;
  private final InferenceRequestDecoder decoder = new InferenceRequestDecoder();
  private final InferenceResponseEncoder encoder = new InferenceResponseEncoder();

  InferenceEndpoint(ServingState state, ServerMetrics metrics) {
    this.state = state;
    this.metrics = metrics;
  }

  /**
   * @param jsonLength the binary tensor data extension's JSON length; -1: a JSON body
   * @param caller who sent it when authentication is on (counted per caller), else null
   */
  void infer(
      ChannelHandlerContext ctx,
      ByteBuf body,
      long jsonLength,
      boolean keepAlive,
      String caller,
      String authorization) {
    long start = System.nanoTime();
    Counting counted = state.warmingUp() ? null : new Counting(start, caller, authorization);
    if (counted != null) {
      metrics.requestStarted();
    }
    InferenceRequest request;
    try {
      InferenceEngine engine = state.acceptingEngine();
      request = decoder.decode(new ByteBufInputStream(body), jsonLength);
      OutputSelection.check(request.requestedOutputs(), engine.outputs());
      engine
          .submit(request.inputs())
          .whenComplete(
              (outputs, failure) ->
                  ctx.executor()
                      .execute(() -> respond(ctx, request, outputs, failure, keepAlive, counted)));
    } catch (RuntimeException e) {
      fail(ctx, HttpError.from(e), keepAlive, counted);
    }
  }

  private void respond(
      ChannelHandlerContext ctx,
      InferenceRequest request,
      List<Tensor> outputs,
      Throwable failure,
      boolean keepAlive,
      Counting counted) {
    if (failure != null) {
      fail(ctx, HttpError.from(failure), keepAlive, counted);
      return;
    }
    try {
      List<Tensor> selected = OutputSelection.select(outputs, request.requestedOutputs());
      ByteBuf body = ctx.alloc().buffer(128 + selected.size() * 256);
      long jsonLength;
      try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
        jsonLength =
            encoder.encode(
                out,
                state.modelName(),
                state.modelVersion(),
                request.id(),
                selected,
                request.binaryOutputs());
      } catch (IOException | RuntimeException e) {
        body.release();
        throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
      }
      if (request.binaryOutputs().any(selected)) {
        Responses.sendBinaryTensors(ctx, body, jsonLength, keepAlive && !state.draining());
      } else {
        Responses.sendJson(ctx, HttpResponseStatus.OK, body, keepAlive && !state.draining());
      }
      if (counted != null) {
        metrics.requestFinished(
            state.modelName(), RuntimeMetrics.OUTCOME_OK, counted.start(), counted.caller());
        state.answers().answered(request.id(), request.inputs(), outputs, counted.authorization());
      }
    } catch (RuntimeException e) {
      fail(ctx, HttpError.from(e), keepAlive, counted);
    }
  }

  private void fail(
      ChannelHandlerContext ctx, HttpError error, boolean keepAlive, Counting counted) {
    Responses.sendError(ctx, error, keepAlive && !state.draining());
    if (counted != null) {
      metrics.requestFinished(
          state.modelName(), error.outcome(), counted.start(), counted.caller());
    }
  }

  /**
   * A request the metrics count (a client's, not the warm-up's): when it began, and who sent it.
   */
  private record Counting(long start, String caller, String authorization) {}
}
