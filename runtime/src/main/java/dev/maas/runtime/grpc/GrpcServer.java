package dev.maas.runtime.grpc;

import dev.maas.runtime.access.Access;
import dev.maas.runtime.http.ConnectionLimits;
import dev.maas.runtime.http.ListenException;
import dev.maas.runtime.http.ServingState;
import dev.maas.runtime.metrics.ServerMetrics;
import dev.maas.runtime.tls.ServerTls;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The OIP gRPC server on its own port, over grpc-java's Netty transport and the runtime's own Netty
 * (not a shaded second copy). Calls run on the transport's event loops, as REST's decoding does:
 * decoding a request and queueing it never blocks, and the answer is written from the batch worker
 * that produced it. With TLS, the same certificate as REST, renewed without a restart.
 */
public final class GrpcServer implements AutoCloseable {
  private final EventLoopGroup boss;
  private final EventLoopGroup io;
  private final Server server;

  public GrpcServer(
      String host,
      int port,
      int ioThreads,
      int maxMessageBytes,
      ConnectionLimits limits,
      ServingState state,
      ServerMetrics metrics,
      Access access,
      Optional<ServerTls> tls) {
    boolean epoll = Epoll.isAvailable();
    this.boss = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
    this.io = epoll ? new EpollEventLoopGroup(ioThreads) : new NioEventLoopGroup(ioThreads);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(io)
            .channelType(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .directExecutor()
            .maxInboundMessageSize(maxMessageBytes)
            .maxConnectionIdle(limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .addService(
                ServerInterceptors.intercept(
                    new InferenceService(state, metrics, access), new CallerCredential()));
    try {
      if (tls.isPresent()) {
        builder.sslContext(
            GrpcSslContexts.configure(
                    SslContextBuilder.forServer(tls.get().keyManager()), SslProvider.JDK)
                .protocols(ServerTls.PROTOCOLS)
                .build());
      }
      this.server = builder.build().start();
    } catch (IOException | RuntimeException e) {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      if (e instanceof SSLException ssl) {
        throw new IllegalArgumentException("--tls-cert cannot serve gRPC: " + ssl.getMessage());
      }
      throw new ListenException(
          "cannot listen on "
              + host
              + ":"
              + port
              + " (--host, --grpc-port): "
              + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
    }
  }

  public int port() {
    return server.getPort();
  }

  /**
   * Drain: the listener closes and every connection is told GOAWAY, so clients send new calls
   * elsewhere; calls already started run to their answer.
   */
  public void stopAccepting() {
    server.shutdown();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
