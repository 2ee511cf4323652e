package dev.maas.runtime.http;

import dev.maas.contract.RuntimeMetrics;
import dev.maas.runtime.access.Access;
import dev.maas.runtime.access.AccessDecision;
import dev.maas.runtime.metrics.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps paths and methods to endpoints; everything else is a JSON 404 or 405. */
@ChannelHandler.Sharable
final class RequestRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(RequestRouter.class);
  private static final String MODELS = "/v2/models/";
  private static final String BINARY_EXTENSION_HEADER = "Inference-Header-Content-Length";

  private final ServingState state;
  private final ServerMetrics metrics;
  private final MetadataEndpoints metadata;
  private final InferenceEndpoint inference;
  private final Access access;

  RequestRouter(ServingState state, ServerMetrics metrics, Access access) {
    this.state = state;
    this.metrics = metrics;
    this.access = access;
    this.metadata = new MetadataEndpoints(state);
    this.inference = new InferenceEndpoint(state, metrics);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request) && !state.draining();
    if (!request.decoderResult().isSuccess()) {
      Responses.sendError(
          ctx,
          HttpError.of(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request", "bad_request"),
          false);
      return;
    }
    String path;
    try {
      path = new QueryStringDecoder(request.uri()).path();
    } catch (IllegalArgumentException badEscape) {
      Responses.sendError(
          ctx,
          HttpError.of(
              HttpResponseStatus.BAD_REQUEST,
              "malformed percent-encoding in the request path: " + badEscape.getMessage(),
              "bad_request"),
          keepAlive);
      return;
    }
    HttpMethod method = request.method();
    try {
      switch (path) {
        case "/v2/health/live" -> get(method, () -> metadata.live(ctx, keepAlive));
        case "/v2/health/ready" -> get(method, () -> metadata.ready(ctx, keepAlive));
        case "/v2", "/v2/" -> get(method, () -> metadata.server(ctx, keepAlive));
        case "/metrics" -> get(method, () -> metrics(ctx, keepAlive));
        default -> {
          if (path.startsWith(MODELS)) {
            authorized(ctx, request, path, keepAlive);
            return;
          }
          throw new RouteException(HttpError.notFound("no such endpoint: " + path));
        }
      }
    } catch (RouteException e) {
      refuse(ctx, path, e.error, keepAlive);
    }
  }

  private void refuse(ChannelHandlerContext ctx, String path, HttpError error, boolean keepAlive) {
    if (path.endsWith("/infer")) {
      metrics.requestRefused(state.modelName(), error.outcome());
    }
    Responses.sendError(ctx, error, keepAlive);
  }

  /**
   * Every model endpoint asks access control first; a refused request ends here, before any model
   * work. A decision that is not made yet (one that asks the API server) is awaited off the event
   * loop and the request handled on it afterwards.
   */
  private void authorized(
      ChannelHandlerContext ctx, FullHttpRequest request, String path, boolean keepAlive) {
    if (!access.required()) {
      model(ctx, request, path, keepAlive, null);
      return;
    }
    CompletableFuture<AccessDecision> decision =
        access.check(request.headers().get(HttpHeaderNames.AUTHORIZATION));
    if (decision.isDone() && !decision.isCompletedExceptionally()) {
      admit(ctx, request, path, keepAlive, decision.join());
      return;
    }
    request.retain();
    decision.whenComplete(
        (decided, failure) ->
            ctx.executor()
                .execute(
                    () -> {
                      try {
                        if (failure != null) {
                          refuse(ctx, path, AccessErrors.cannotCheck(failure), keepAlive);
                        } else {
                          admit(ctx, request, path, keepAlive, decided);
                        }
                      } finally {
                        request.release();
                      }
                    }));
  }

  private void admit(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      String path,
      boolean keepAlive,
      AccessDecision decision) {
    decision.accept(
        new AccessDecision.Cases<Void>() {
          @Override
          public Void allowed(AccessDecision.Allowed allowed) {
            model(ctx, request, path, keepAlive, allowed.caller());
            return null;
          }

          @Override
          public Void unauthenticated(AccessDecision.Unauthenticated denied) {
            metrics.requestDenied(state.modelName(), RuntimeMetrics.OUTCOME_UNAUTHENTICATED);
            refuse(ctx, path, AccessErrors.unauthenticated(state.modelName(), denied), keepAlive);
            return null;
          }

          @Override
          public Void forbidden(AccessDecision.Forbidden denied) {
            metrics.requestDenied(state.modelName(), RuntimeMetrics.OUTCOME_FORBIDDEN);
            refuse(ctx, path, AccessErrors.forbidden(denied), keepAlive);
            return null;
          }
        });
  }

  private void model(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      String path,
      boolean keepAlive,
      String caller) {
    try {
      endpoint(ctx, request, path.substring(MODELS.length()), keepAlive, caller);
    } catch (RouteException e) {
      refuse(ctx, path, e.error, keepAlive);
    }
  }

  private void endpoint(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      String rest,
      boolean keepAlive,
      String caller) {
    String[] parts = rest.split("/", -1);
    String name = parts[0];
    int next = 1;
    if (parts.length >= 3 && parts[1].equals("versions")) {
      if (!parts[2].equals(state.modelVersion())) {
        throw new RouteException(
            HttpError.notFound(
                "model "
                    + name
                    + " has no version '"
                    + parts[2]
                    + "'; versions: ["
                    + state.modelVersion()
                    + "]"));
      }
      next = 3;
    }
    if (!name.equals(state.modelName())) {
      throw new RouteException(
          HttpError.notFound(
              "unknown model '" + name + "'; this server serves '" + state.modelName() + "'"));
    }
    String action = parts.length > next ? parts[next] : "";
    if (parts.length > next + 1) {
      throw new RouteException(HttpError.notFound("no such endpoint: /v2/models/" + rest));
    }
    switch (action) {
      case "" -> get(request.method(), () -> metadata.model(ctx, keepAlive));
      case "ready" -> get(request.method(), () -> metadata.modelReady(ctx, keepAlive));
      case "infer" -> {
        if (!request.method().equals(HttpMethod.POST)) {
          throw new RouteException(methodNotAllowed("POST"));
        }
        long jsonLength = binaryJsonLength(request);
        inference.infer(
            ctx,
            request.content(),
            jsonLength,
            keepAlive,
            caller,
            access.required() ? request.headers().get(HttpHeaderNames.AUTHORIZATION) : null);
      }
      default ->
          throw new RouteException(HttpError.notFound("no such endpoint: /v2/models/" + rest));
    }
  }

  /**
   * The binary tensor data extension's {@code Inference-Header-Content-Length}: how long the JSON
   * part of the body is; -1 when the body is JSON alone.
   */
  private static long binaryJsonLength(FullHttpRequest request) {
    String header = request.headers().get(BINARY_EXTENSION_HEADER);
    if (header == null) {
      return -1;
    }
    long length;
    try {
      length = Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      length = -1;
    }
    if (length < 0 || length > request.content().readableBytes()) {
      throw new RouteException(
          HttpError.of(
              HttpResponseStatus.BAD_REQUEST,
              BINARY_EXTENSION_HEADER
                  + " must be the length of the body's JSON part (at most "
                  + request.content().readableBytes()
                  + " bytes), got '"
                  + header
                  + "'",
              "bad_request"));
    }
    return length;
  }

  private void metrics(ChannelHandlerContext ctx, boolean keepAlive) {
    ByteBuf body = ctx.alloc().buffer(4096);
    try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
      metrics.write(out);
    } catch (IOException e) {
      body.release();
      throw new UncheckedIOException(e);
    }
    Responses.send(ctx, HttpResponseStatus.OK, body, metrics.contentType(), keepAlive);
  }

  private static void get(HttpMethod method, Runnable endpoint) {
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      throw new RouteException(methodNotAllowed("GET, HEAD"));
    }
    endpoint.run();
  }

  /** A 405 names the allowed methods twice: in the message and, as RFC 9110 requires, in Allow. */
  private static HttpError methodNotAllowed(String allowed) {
    return HttpError.of(
            HttpResponseStatus.METHOD_NOT_ALLOWED,
            "method not allowed; use " + allowed,
            "bad_request")
        .withHeader("Allow", allowed);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("closing connection after an I/O error: {}", cause.toString());
    ctx.close();
  }

  /** A request that matched no route, or the wrong method; carries its answer. */
  private static final class RouteException extends RuntimeException {
    private final HttpError error;

    RouteException(HttpError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }
  }
}
