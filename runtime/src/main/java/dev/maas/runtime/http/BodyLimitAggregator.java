package dev.maas.runtime.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Aggregates request bodies up to the configured limit and answers a larger one with a JSON 413.
 * The connection is closed afterwards, since the rest of the body cannot be trusted to be read.
 */
final class BodyLimitAggregator extends HttpObjectAggregator {
  private final int maxBytes;
  private final Runnable onRefused;

  BodyLimitAggregator(int maxBytes, Runnable onRefused) {
    super(maxBytes);
    this.maxBytes = maxBytes;
    this.onRefused = onRefused;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    onRefused.run();
    Responses.sendError(
        ctx,
        HttpError.of(
            HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            "request body exceeds the limit of " + maxBytes + " bytes",
            "too_large"),
        false);
  }
}
