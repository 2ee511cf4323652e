package dev.maas.e2e;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One accepted connection relayed to a target, both directions, as kube-proxy's userspace mode did:
 * what the Service stand-ins of the local cluster share.
 */
public final class TcpRelay {
  private TcpRelay() {}

  /**
   * Connects to {@code target} and copies both ways until both ends are done; closes both sockets.
   * A target that does not answer within {@code connectTimeoutMillis} drops the connection, as
   * kube-proxy drops one to an endpoint that went away.
   */
  public static void relay(
      Socket client, InetSocketAddress target, int connectTimeoutMillis, ExecutorService threads) {
    Socket backend = new Socket();
    try {
      backend.connect(target, connectTimeoutMillis);
      Future<?> upstream = threads.submit(() -> pump(client, backend));
      pump(backend, client);
      upstream.get();
    } catch (IOException e) {
      // the target went away: drop the connection
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // the other direction failed; both sockets close below
    } finally {
      close(backend);
      close(client);
    }
  }

  /** Copies one direction until it ends, then half-closes the other side. */
  private static void pump(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      in.transferTo(out);
      to.shutdownOutput();
    } catch (IOException ended) {
      close(to);
    }
  }

  public static void close(Closeable socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
