package dev.maas.runtime.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits in front of the HTTP codec: the first bytes of a request start a clock, the whole request
 * (decoded and aggregated, see {@link ResponseOrder}) stops it. A client that sends a byte a second
 * keeps the connection busy without ever finishing a request; when the clock runs out it gets a 408
 * and the connection is closed. Idle connections are {@link ResponseOrder}'s to close.
 */
final class RequestReadDeadline extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(RequestReadDeadline.class);
  private final long timeoutNanos;
  private ScheduledFuture<?> deadline;

  RequestReadDeadline(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (deadline == null) {
      deadline =
          ctx.executor()
              .schedule(
                  () -> {
                    LOG.debug("closing {}: request not complete in time", ctx.channel());
                    RawResponses.answerAndClose(
                        ctx, 408, "Request Timeout", "the request did not arrive in time");
                  },
                  timeoutNanos,
                  TimeUnit.NANOSECONDS);
    }
    ctx.fireChannelRead(msg);
  }

  /** A whole request arrived: the clock stops until the next one's first bytes. */
  void requestComplete() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    requestComplete();
    ctx.fireChannelInactive();
  }
}
