package dev.maas.operator.app;

import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Liveness ({@code /healthz}: the operator started), readiness ({@code /readyz}: every informer is
 * healthy) and {@code /metrics} (Prometheus text) for the operator's own pod.
 */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  public HealthServer(int port, Operator operator) throws IOException {
    this(port, operator, new OperatorMetrics());
  }

  public HealthServer(int port, Operator operator, OperatorMetrics metrics) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.createContext(
        "/healthz",
        exchange -> {
          respond(exchange, operator.getRuntimeInfo().isStarted());
        });
    server.createContext(
        "/readyz",
        exchange -> {
          respond(
              exchange,
              operator.getRuntimeInfo().isStarted()
                  && operator.getRuntimeInfo().allEventSourcesAreHealthy());
        });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, boolean ok)
      throws IOException {
    byte[] body = (ok ? "ok" : "not ready").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
