package dev.maas.runtime.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays the network between a client and a server: a TCP relay on loopback that can break the
 * connection once after a number of bytes from the server (a reset mid-download) and can limit the
 * server's bytes per second (a slow link). It sees only bytes, so TLS passes through untouched. It
 * counts what the server sent, which is how tests tell a download from a cache hit.
 */
public final class UnreliableLink implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicLong breakAfter = new AtomicLong(-1);
  private volatile long bytesPerSecond = Long.MAX_VALUE;
  private final AtomicLong fromServer = new AtomicLong();

  public UnreliableLink(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.submit(this::accept);
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** The next connection that carries this many bytes from the server is cut there. */
  public void breakOnceAfter(long bytes) {
    breakAfter.set(bytes);
  }

  public void limitTo(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  public long bytesFromServer() {
    return fromServer.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        threads.submit(() -> relay(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void relay(Socket client) {
    try (client;
        Socket server = new Socket()) {
      server.connect(target, 5000);
      threads.submit(() -> copy(client, server, false));
      copy(server, client, true);
    } catch (IOException ignored) {
      // one side went away
    }
  }

  private void copy(Socket from, Socket to, boolean downstream) {
    byte[] buffer = new byte[16 * 1024];
    long sent = 0;
    long started = System.nanoTime();
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (downstream) {
          long limit = breakAfter.get();
          if (limit >= 0 && sent + n >= limit) {
            int part = (int) (limit - sent);
            out.write(buffer, 0, part);
            fromServer.addAndGet(part);
            breakAfter.set(-1);
            // Closed mid-body, as a proxy or load balancer that gives up closes it: what was
            // sent arrives, then the stream ends before its Content-Length.
            to.close();
            from.close();
            return;
          }
          fromServer.addAndGet(n);
          throttle(sent + n, started);
        }
        out.write(buffer, 0, n);
        sent += n;
      }
      to.shutdownOutput();
    } catch (IOException | InterruptedException ended) {
      try {
        to.close();
      } catch (IOException ignored) {
        // closed already
      }
    }
  }

  private void throttle(long sent, long startedNanos) throws InterruptedException {
    long rate = bytesPerSecond;
    if (rate == Long.MAX_VALUE) {
      return;
    }
    long dueNanos = startedNanos + sent * 1_000_000_000L / rate;
    long wait = dueNanos - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    threads.shutdownNow();
  }
}
