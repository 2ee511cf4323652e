package dev.maas.runtime.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayDeque;

/**
 * One request of a connection at a time, so that answers leave in the order requests came, as
 * HTTP/1.1 requires of pipelined requests: inference answers complete on other threads and would
 * otherwise overtake one another (and health answers would overtake them all). Requests that arrive
 * while one is in flight wait here, and reading pauses while many wait.
 *
 * <p>It also decides when a connection may close without losing an answer: a client that shut its
 * write side (half-close, after its last request) is answered first and closed after; a connection
 * idle past the idle timeout is closed only when nothing is in flight.
 */
final class ResponseOrder extends ChannelDuplexHandler {
  private static final int PAUSE_READING_AT = 16;

  private final RequestReadDeadline deadline;
  private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
  private boolean inFlight;
  private boolean inputShutdown;

  /**
   * @param deadline this connection's request clock, stopped here when a request is whole
   */
  ResponseOrder(RequestReadDeadline deadline) {
    this.deadline = deadline;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    deadline.requestComplete();
    if (inFlight) {
      waiting.add(request);
      if (waiting.size() >= PAUSE_READING_AT) {
        ctx.channel().config().setAutoRead(false);
      }
      return;
    }
    inFlight = true;
    ctx.fireChannelRead(request);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    ctx.write(msg, promise);
    if (msg instanceof HttpResponse) {
      // The next request starts after this task, so its answer is queued behind this one.
      ctx.executor().execute(() -> next(ctx));
    }
  }

  private void next(ChannelHandlerContext ctx) {
    inFlight = false;
    if (!ctx.channel().isActive()) {
      return;
    }
    FullHttpRequest request = waiting.poll();
    if (request != null) {
      if (waiting.size() < PAUSE_READING_AT / 2) {
        ctx.channel().config().setAutoRead(true);
      }
      inFlight = true;
      ctx.fireChannelRead(request);
    } else if (inputShutdown) {
      closeAfterWrites(ctx);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      inputShutdown = true;
      if (!inFlight && waiting.isEmpty()) {
        closeAfterWrites(ctx);
      }
    } else if (event instanceof IdleStateEvent) {
      if (!inFlight && waiting.isEmpty()) {
        ctx.close();
      }
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  /** Closes once everything written so far has left: a plain close would drop what is queued. */
  private static void closeAfterWrites(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseWaiting();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseWaiting();
  }

  private void releaseWaiting() {
    FullHttpRequest request;
    while ((request = waiting.poll()) != null) {
      request.release();
    }
  }
}
