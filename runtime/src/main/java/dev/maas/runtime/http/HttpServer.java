package dev.maas.runtime.http;

import dev.maas.runtime.access.Access;
import dev.maas.runtime.metrics.ServerMetrics;
import dev.maas.runtime.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Netty HTTP/1.1 server: accept (up to a limit), time out idle and trickling connections,
 * decode, aggregate bodies up to a limit, answer in request order, route.
 */
public final class HttpServer implements AutoCloseable {
  private final EventLoopGroup boss;
  private final EventLoopGroup io;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Channel listener;

  public HttpServer(
      String host,
      int port,
      int ioThreads,
      int maxBodyBytes,
      ConnectionLimits limits,
      ServingState state,
      ServerMetrics metrics,
      Access access,
      Optional<ServerTls> tls)
      throws InterruptedException {
    // Native epoll where available: its eventfd wake-ups are cheaper than the NIO selector's,
    // and every request crosses threads twice (event loop -> worker -> event loop).
    boolean epoll = Epoll.isAvailable();
    this.boss = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
    this.io = epoll ? new EpollEventLoopGroup(ioThreads) : new NioEventLoopGroup(ioThreads);
    RequestRouter router = new RequestRouter(state, metrics, access);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, io)
            .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            // A client that shuts its write side after a request still reads the answer.
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    if (connections.size() >= limits.maxConnections()) {
                      channel.pipeline().addLast(new AtCapacity(limits.maxConnections()));
                      return;
                    }
                    connections.add(channel);
                    tls.ifPresent(t -> channel.pipeline().addLast(new TlsOrPlaintext(t)));
                    RequestReadDeadline deadline =
                        new RequestReadDeadline(limits.requestReadTimeout());
                    channel
                        .pipeline()
                        .addLast(
                            new IdleStateHandler(
                                0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                        .addLast(deadline)
                        .addLast(new HttpServerCodec())
                        .addLast(
                            new BodyLimitAggregator(
                                maxBodyBytes,
                                () -> metrics.requestRefused(state.modelName(), "too_large")))
                        .addLast(new ResponseOrder(deadline))
                        .addLast(router);
                  }
                });
    Channel bound;
    try {
      bound = bootstrap.bind(host, port).sync().channel();
    } catch (Exception e) {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new ListenException(
          "cannot listen on " + host + ":" + port + " (--host, --port): " + e.getMessage());
    }
    this.listener = bound;
  }

  /** A connection over the limit: told so, and closed. */
  private static final class AtCapacity extends io.netty.channel.ChannelInboundHandlerAdapter {
    private final int limit;

    AtCapacity(int limit) {
      this.limit = limit;
    }

    @Override
    public void channelActive(io.netty.channel.ChannelHandlerContext ctx) {
      RawResponses.answerAndClose(
          ctx,
          503,
          "Service Unavailable",
          "this server holds its limit of " + limit + " connections; retry later");
    }
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** Stops accepting connections; open ones keep being served. */
  public void stopListening() {
    listener.close().syncUninterruptibly();
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
