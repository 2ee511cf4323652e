package dev.maas.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * Serves model files over plain HTTP, from the host's address on the pods' bridge, so that runtime
 * pods and prepare Jobs fetch their artifacts as they would from a model store. The examples name
 * https://models.example.com/...; the end-to-end suite and the demo point spec.model.uri here.
 */
public final class ModelServer implements AutoCloseable {
  private final HttpServer server;

  public ModelServer(String host, int port, Path directory) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String name =
                Path.of(exchange.getRequestURI().getPath()).getFileName() == null
                    ? ""
                    : Path.of(exchange.getRequestURI().getPath()).getFileName().toString();
            Path file = directory.resolve(name).normalize();
            if (!"GET".equals(exchange.getRequestMethod())
                || name.isEmpty()
                || !file.startsWith(directory)
                || !Files.isRegularFile(file)) {
              exchange.sendResponseHeaders(404, -1);
              return;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = exchange.getResponseBody()) {
              Files.copy(file, out);
            }
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  public String url(String file) {
    InetSocketAddress address = server.getAddress();
    return "http://" + address.getHostString() + ":" + address.getPort() + "/" + file;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
