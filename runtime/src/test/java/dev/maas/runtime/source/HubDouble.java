package dev.maas.runtime.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays the Hugging Face Hub's download path as huggingface_hub meets it: {@code
 * /{repo}/resolve/{revision}/{path}} answers 401 without a token for a gated repository, 404 for an
 * unknown file or revision, and otherwise 302 with {@code X-Repo-Commit} to a CDN on another
 * origin, which serves the bytes (with ranges). It records the Authorization header each side saw.
 * It does not prove the real Hub's current behaviour (its CDN, rate limits, Xet storage): only that
 * the client forms the documented requests and keeps the token to the Hub.
 */
final class HubDouble implements AutoCloseable {
  static final String COMMIT = "3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a";

  private final HttpServer hub;
  private final HttpServer cdn;
  private final String repo;
  private final String token;
  private final Map<String, byte[]> files;
  final List<String> hubAuthorizations = new CopyOnWriteArrayList<>();
  final List<String> cdnAuthorizations = new CopyOnWriteArrayList<>();

  /**
   * @param files path in the repository to content, at revisions {@code main}, {@code v1} and
   *     {@link #COMMIT}
   */
  HubDouble(String repo, String token, Map<String, byte[]> files) throws IOException {
    this.repo = repo;
    this.token = token;
    this.files = Map.copyOf(files);
    hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    cdn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hub.createContext("/", this::resolve);
    cdn.createContext("/", this::serve);
    hub.start();
    cdn.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + hub.getAddress().getPort();
  }

  private void resolve(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    hubAuthorizations.add(String.valueOf(authorization));
    String prefix = "/" + repo + "/resolve/";
    String path = exchange.getRequestURI().getPath();
    if (!path.startsWith(prefix)) {
      respond(exchange, 404, "Repository not found");
      return;
    }
    if (!("Bearer " + token).equals(authorization)) {
      respond(exchange, 401, "Access to model " + repo + " is restricted");
      return;
    }
    String rest = path.substring(prefix.length());
    int slash = rest.indexOf('/');
    String revision = rest.substring(0, slash);
    String file = rest.substring(slash + 1);
    if (!List.of("main", "v1", COMMIT).contains(revision) || !files.containsKey(file)) {
      respond(exchange, 404, "Entry not found");
      return;
    }
    exchange.getResponseHeaders().add("X-Repo-Commit", COMMIT);
    exchange
        .getResponseHeaders()
        .add("Location", "http://127.0.0.1:" + cdn.getAddress().getPort() + "/cas/" + file);
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  private void serve(HttpExchange exchange) throws IOException {
    cdnAuthorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
    byte[] content = files.get(exchange.getRequestURI().getPath().substring("/cas/".length()));
    String range = exchange.getRequestHeaders().getFirst("Range");
    int start = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
    exchange.getResponseHeaders().add("ETag", "\"cdn-etag\"");
    if (start > 0) {
      exchange
          .getResponseHeaders()
          .add(
              "Content-Range",
              "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
    }
    exchange.sendResponseHeaders(start > 0 ? 206 : 200, content.length - start);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(content, start, content.length - start);
    }
  }

  private static void respond(HttpExchange exchange, int status, String message)
      throws IOException {
    byte[] body = message.getBytes();
    exchange.getResponseHeaders().add("X-Error-Message", message);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    hub.stop(0);
    cdn.stop(0);
  }
}
